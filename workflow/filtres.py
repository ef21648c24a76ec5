"""The task list (/taches/) as a `core.listes` list: search by collectif, filters (who holds the task, the
declaration's state, département, campaign), sort by deadline or filing date, export of the filtered tasks.

The list stays in sections (the user's tasks, the queue, the colleagues'): the sort applies inside each section,
and each section's size is counted on the filtered rows, in the page's query (`par_section`)."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import DateTimeField, Func, QuerySet
from django.utils.functional import cached_property
from viewflow.workflow.models import Task

from collectifs.filtres import ETATS_DEPOSES, ChoixDuPerimetre
from core.listes import Colonne, FiltresListe, Liste, Tri
from workflow.selectors import DECLARATION, par_section

MOI, LIBRE, COLLEGUES = "moi", "libre", "collegues"


class PlusJours(Func):  # type: ignore[misc]  # django-stubs types Func loosely
    """`instant + n days` in SQL (an instant field, a whole-number field), to sort by a deadline."""

    arity = 2
    output_field = DateTimeField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps datetimes as ISO text; datetime(…, '+N days') gives comparable text.
        return self.as_sql(
            compiler, connection, template="datetime(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s * INTERVAL '1 day')", arg_joiner=" + ", **extra
        )


class FiltresTaches(FiltresListe):
    """Search the collectif's name; filter by who holds the task, the declaration's state, département, campaign."""

    prise_en_charge = django_filters.ChoiceFilter(
        label="Prise en charge",
        choices=[(MOI, "Par moi"), (LIBRE, "Par personne (à prendre en charge)"), (COLLEGUES, "Par un·e collègue")],
        empty_label="Toutes les tâches",
        method="filtrer_prise_en_charge",
    )
    etat = django_filters.ChoiceFilter(
        label="État de la déclaration",
        choices=ETATS_DEPOSES,
        empty_label="Tous les états",
        field_name=f"{DECLARATION}__etat",
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        empty_label="Tous les départements",
        field_name=f"{DECLARATION}__collectif__departement_id",
    )
    campagne = django_filters.ChoiceFilter(
        label="Campagne", empty_label="Toutes les campagnes", field_name=f"{DECLARATION}__campagne_id"
    )

    champs_recherche = (f"{DECLARATION}__collectif__nom",)
    aide_recherche = "Nom du collectif."

    def choisir(self) -> None:
        perimetre = ChoixDuPerimetre(self.user)
        self.filters["departement"].extra["choices"] = perimetre.choix_departements
        self.filters["campagne"].extra["choices"] = perimetre.choix_campagnes

    def filtrer_prise_en_charge(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        moi = getattr(self.user, "pk", None)
        if value == MOI:
            return queryset.filter(owner_id=moi)
        if value == LIBRE:
            return queryset.filter(owner__isnull=True)
        if value == COLLEGUES:
            return queryset.filter(owner__isnull=False).exclude(owner_id=moi)
        return queryset


def _responsable(tache: Task) -> str:
    return str(tache.owner) if tache.owner_id else ""


class ListeTaches(Liste):
    filtres = FiltresTaches
    colonnes = (
        Colonne("Collectif", lambda t: t.process.processusdeclaration.declaration.collectif.nom),
        Colonne("Département", lambda t: str(t.process.processusdeclaration.declaration.collectif.departement)),
        Colonne("Déposée le", lambda t: t.process.processusdeclaration.declaration.deposee_le),
        Colonne("Échéance d'instruction", lambda t: t.process.processusdeclaration.declaration.echeance_instruction),
        Colonne("État de la déclaration", lambda t: t.process.processusdeclaration.declaration.get_etat_display()),
        Colonne("Prise en charge par", _responsable),
    )
    tris: ClassVar[dict[str, Tri]] = {
        "echeance": Tri(
            "Échéance d'instruction",
            (PlusJours(f"{DECLARATION}__deposee_le", f"{DECLARATION}__campagne__delai_instruction_jours"),),
        ),
        "depot": Tri("Déposée le", (f"{DECLARATION}__deposee_le",)),
    }
    tri_defaut = "depot"
    nom_fichier = "taches"
    titre_feuille = "Tâches d'instruction"

    @cached_property
    def queryset(self) -> QuerySet[Any]:
        """Section after section, sorted inside each; the sections' sizes counted on the filtered tasks."""
        cle, descendant = self.tri
        filtrees = self.filtreset.qs
        return par_section(filtrees, self.filtreset.user).order_by("section", *self.tris[cle].ordre(descendant))
