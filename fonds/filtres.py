"""The fund's staff lists (`core.listes`): the conventions (/fonds/conventions/) and the payments
(/fonds/versements/). Each list's rows are first restricted to the user's scope: national staff read every
convention, an instructeur those of their départements (`perimetre_conventions`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

import django_filters
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear

from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale
from core.listes import Colonne, FiltresListe, Liste, Tri, rang_des_choix
from core.pagination import Page, paginer
from documents.enums import TypeDocument
from documents.selectors import numero_du_premier
from fonds.enums import EtatConvention, NatureBeneficiaire
from fonds.models import Convention, Tranche, Versement
from fonds.selectors.visibilite import conventions_gerees, conventions_visibles

# A convention's number as people type it: « FDS-42-2028-00012 », or its last part « 00012 » / « 12 ».
NUMERO_CONVENTION = re.compile(r"^(?:FDS-\w{2,3}-\d{4}-)?0*(\d{1,9})$", re.IGNORECASE)


def perimetre_conventions(user: Acteur) -> QuerySet[Convention]:
    """National staff read every convention; an instructeur those of their départements (R7)."""
    return conventions_visibles(user) if est_equipe_nationale(user) else conventions_gerees(user)


def versements_du_perimetre(user: Acteur) -> QuerySet[Versement]:
    """The payments of the conventions of `perimetre_conventions`, with what the list shows."""
    return Versement.objects.select_related("tranche__convention__departement").filter(
        tranche__convention__in=perimetre_conventions(user).order_by().values("pk")
    )


def recherche_convention(mot: str, prefixe: str = "") -> Q | None:
    """The convention whose number the word is (« FDS-42-2028-00012 », « 00012 », « 12 »), else None."""
    trouve = NUMERO_CONVENTION.match(mot)
    return Q(**{f"{prefixe}pk": int(trouve.group(1))}) if trouve else None


def _choix_perimetre(lignes: list[tuple[str, str, int | None]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The département and year choices from (code, name, year) rows."""
    departements = sorted({(code, f"{nom} ({code})") for code, nom, _ in lignes})
    annees = sorted({annee for _, _, annee in lignes if annee is not None}, reverse=True)
    return departements, [(str(a), str(a)) for a in annees]


def montant_total() -> Coalesce:
    """The sum of a convention's tranches (its amount, R7), as an expression."""
    return Coalesce(
        Subquery(
            Tranche.objects.filter(convention=OuterRef("pk"))
            .order_by()
            .values("convention")
            .annotate(total=Sum("montant"))
            .values("total"),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        Decimal("0"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


# --- Conventions -----------------------------------------------------------------------------------------------


class FiltresConventions(FiltresListe):
    """Search the beneficiary, the collectif and the number; filter by state, département, starting year and kind
    of beneficiary."""

    etat = django_filters.ChoiceFilter(label="État", choices=EtatConvention.choices, empty_label="Tous les états")
    departement = django_filters.ChoiceFilter(
        label="Département", empty_label="Tous les départements", field_name="departement_id"
    )
    annee = django_filters.ChoiceFilter(
        label="Année de début", empty_label="Toutes les années", field_name="date_debut__year"
    )
    nature = django_filters.ChoiceFilter(
        label="Bénéficiaire",
        choices=NatureBeneficiaire.choices,
        empty_label="Toutes les natures",
        field_name="nature_beneficiaire",
    )

    aide_recherche = "Bénéficiaire, nom du collectif ou numéro (par ex. FDS-42-2028-00012)."

    def choisir(self) -> None:
        lignes = list(
            self.queryset.order_by()
            .values_list("departement_id", "departement__nom", ExtractYear("date_debut"))
            .distinct()
        )
        departements, annees = _choix_perimetre(lignes)
        self.filters["departement"].extra["choices"] = departements
        self.filters["annee"].extra["choices"] = annees

    champs_recherche = ("beneficiaire", "declaration__collectif__nom")

    def condition_recherche(self, mot: str) -> Q | None:
        return recherche_convention(mot)


class ListeConventions(Liste):
    filtres = FiltresConventions
    colonnes = (
        Colonne("Numéro", lambda c: c.reference),
        Colonne("Bénéficiaire", lambda c: c.beneficiaire),
        Colonne("Nature du bénéficiaire", lambda c: c.get_nature_beneficiaire_display()),
        Colonne("Département", lambda c: str(c.departement)),
        Colonne("État", lambda c: c.get_etat_display()),
        Colonne("Signée le", lambda c: c.signee_le),
        Colonne("Début", lambda c: c.date_debut),
        Colonne("Fin", lambda c: c.date_fin),
        Colonne("Montant total (€)", lambda c: c.montant_total),
    )
    tris: ClassVar[dict[str, Tri]] = {
        "creation": Tri("Date de création", ("creee_le",)),
        "numero": Tri("Numéro", ("departement_id", "date_debut", "pk")),
        "beneficiaire": Tri("Bénéficiaire", ("beneficiaire",)),
        "etat": Tri("État", (rang_des_choix("etat", EtatConvention.choices),)),
        "montant": Tri("Montant total", ("montant_total",)),
    }
    tri_defaut = "-creation"
    nom_fichier = "conventions"
    titre_feuille = "Conventions"

    def preparer(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.annotate(montant_total=montant_total())

    def page(self) -> Page:
        """The page, with each convention's tranches (one more query, whatever the number of rows)."""
        tranches = self.queryset.prefetch_related("tranches")
        return paginer(self.request, tranches, par_page=self.par_page)


# --- Payments --------------------------------------------------------------------------------------------------


def numero_attestation() -> Subquery:
    """The number of the payment's Attestation de versement (SPEC §6), as an expression (empty until issued)."""
    return numero_du_premier(TypeDocument.ATTESTATION_VERSEMENT, "fonds", "versement")


class FiltresVersements(FiltresListe):
    """Search the beneficiary, the convention's number, the attestation's number and the bank reference; filter by
    budget year and département."""

    annee = django_filters.ChoiceFilter(
        label="Année budgétaire", empty_label="Toutes les années", field_name="tranche__annee"
    )
    departement = django_filters.ChoiceFilter(
        label="Département", empty_label="Tous les départements", field_name="tranche__convention__departement_id"
    )

    aide_recherche = "Bénéficiaire, numéro de la convention ou de l’attestation, référence bancaire."

    def choisir(self) -> None:
        lignes = list(
            self.queryset.order_by()
            .values_list(
                "tranche__convention__departement_id", "tranche__convention__departement__nom", "tranche__annee"
            )
            .distinct()
        )
        departements, annees = _choix_perimetre(lignes)
        self.filters["departement"].extra["choices"] = departements
        self.filters["annee"].extra["choices"] = annees

    champs_recherche = ("tranche__convention__beneficiaire", "attestation", "reference_bancaire")

    def condition_recherche(self, mot: str) -> Q | None:
        return recherche_convention(mot, "tranche__convention__")


class ListeVersements(Liste):
    filtres = FiltresVersements
    colonnes = (
        Colonne("Date du versement", lambda v: v.date_versement),
        Colonne("Convention", lambda v: v.tranche.convention.reference),
        Colonne("Bénéficiaire", lambda v: v.tranche.convention.beneficiaire),
        Colonne("Département", lambda v: str(v.tranche.convention.departement)),
        Colonne("Tranche", lambda v: v.tranche.rang),
        Colonne("Année budgétaire", lambda v: v.tranche.annee),
        Colonne("Montant (€)", lambda v: v.montant),
        Colonne("Attestation de versement", lambda v: v.attestation or ""),
    )
    tris: ClassVar[dict[str, Tri]] = {
        "date": Tri("Date du versement", ("date_versement",)),
        "beneficiaire": Tri("Bénéficiaire", ("tranche__convention__beneficiaire",)),
        "annee": Tri("Année budgétaire", ("tranche__annee", "tranche__rang")),
        "montant": Tri("Montant", ("montant",)),
    }
    tri_defaut = "-date"
    nom_fichier = "versements"
    titre_feuille = "Versements"

    def preparer(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.annotate(attestation=numero_attestation())
