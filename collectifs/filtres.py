"""The staff lists of the collectifs app (`core.listes`): the declarations (/instruction/) and the collectifs
(/collectifs/). Each list's rows are first restricted by the app's visibility selector, in the view.

The declarations list opens on the files in progress (filed, not yet decided): a decided file of a past campaign
does not mix with the files of the current one; « Toutes » in « Avancement » shows every filed declaration."""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

import django_filters
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from campagnes.models import Campagne
from campagnes.selectors import campagne_visible_to
from collectifs.enums import ETATS_DECIDES, EtatDeclaration
from collectifs.models import Collectif, Declaration, Membre
from comptes.models import Acteur
from core.listes import Colonne, FiltresListe, Liste, Tri, choix_departements, rang_des_choix
from core.pagination import Page
from documents.enums import TypeDocument
from documents.selectors import numero_du_premier

EN_COURS = "en_cours"
DECIDEES = "decidees"
# The states of a filed declaration, in the order of its lifecycle (the « État » sort follows it).
ETATS_DEPOSES = [(valeur, nom) for valeur, nom in EtatDeclaration.choices if valeur != EtatDeclaration.BROUILLON]


class ChoixDuPerimetre:
    """The campaigns the user sees (one query), and what the filters derive from them: the campaigns, their years
    and their départements."""

    def __init__(self, user: Acteur) -> None:
        self.campagnes: list[Campagne] = list(campagne_visible_to(user).order_by("-annee", "departement__code"))

    @property
    def choix_campagnes(self) -> list[tuple[str, str]]:
        return [(str(c.pk), f"{c.annee} — {c.departement.nom} ({c.departement_id})") for c in self.campagnes]

    @property
    def choix_annees(self) -> list[tuple[str, str]]:
        annees = sorted({c.annee for c in self.campagnes}, reverse=True)
        return [(str(a), str(a)) for a in annees]

    @property
    def choix_departements(self) -> list[tuple[str, str]]:
        departements = {c.departement_id: c.departement for c in self.campagnes}
        return choix_departements(sorted(departements.values(), key=lambda d: d.code))


def rang_etat(champ: str = "etat") -> Case:
    """The rank of a declaration state in its lifecycle, to sort by state."""
    return rang_des_choix(champ, EtatDeclaration.choices)


def numero_recepisse() -> Subquery:
    """The number of the declaration's first récépissé (its filing number, SPEC §6), as an expression."""
    return numero_du_premier(TypeDocument.RECEPISSE, "collectifs", "declaration")


# --- Declarations ----------------------------------------------------------------------------------------------


class FiltresDeclarations(FiltresListe):
    """Search the collectif's name and the filing number; filter by progress, state, campaign, year, département."""

    avancement = django_filters.ChoiceFilter(
        label="Avancement",
        choices=[(EN_COURS, "En cours (pas encore décidées)"), (DECIDEES, "Décidées")],
        empty_label="Toutes",
        method="filtrer_avancement",
    )
    etat = django_filters.ChoiceFilter(label="État", choices=ETATS_DEPOSES, empty_label="Tous les états")
    campagne = django_filters.ChoiceFilter(
        label="Campagne", empty_label="Toutes les campagnes", field_name="campagne_id"
    )
    annee = django_filters.ChoiceFilter(label="Année", empty_label="Toutes les années", field_name="campagne__annee")
    departement = django_filters.ChoiceFilter(
        label="Département", empty_label="Tous les départements", field_name="collectif__departement_id"
    )

    champs_recherche = ("collectif__nom", "numero")
    aide_recherche = "Nom du collectif ou numéro du récépissé (par ex. REC-42-2027-0001)."
    defauts: ClassVar[dict[str, str]] = {"avancement": EN_COURS}

    def choisir(self) -> None:
        perimetre = ChoixDuPerimetre(self.user)
        self.filters["campagne"].extra["choices"] = perimetre.choix_campagnes
        self.filters["annee"].extra["choices"] = perimetre.choix_annees
        self.filters["departement"].extra["choices"] = perimetre.choix_departements

    def filtrer_avancement(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == EN_COURS:
            return queryset.exclude(etat__in=ETATS_DECIDES)
        if value == DECIDEES:
            return queryset.filter(etat__in=ETATS_DECIDES)
        return queryset


class ListeDeclarations(Liste):
    filtres = FiltresDeclarations
    colonnes = (
        Colonne("Numéro", lambda d: d.numero),
        Colonne("Collectif", lambda d: d.collectif.nom),
        Colonne("Département", lambda d: str(d.collectif.departement)),
        Colonne("Campagne", lambda d: d.campagne.annee if d.campagne else None),
        Colonne("Déposée le", lambda d: d.deposee_le),
        Colonne("État", lambda d: d.get_etat_display()),
    )
    tris: ClassVar[dict[str, Tri]] = {
        "depot": Tri("Déposée le", ("deposee_le",)),
        "collectif": Tri("Collectif", ("collectif__nom",)),
        "etat": Tri("État", ("rang_etat",)),
    }
    tri_defaut = "depot"
    nom_fichier = "declarations"
    titre_feuille = "Déclarations"

    def preparer(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.annotate(numero=numero_recepisse(), rang_etat=rang_etat())


# --- Collectifs -------------------------------------------------------------------------------------------------


@cache
def etats_convention() -> dict[str, str]:
    """The labels of a convention's states. The convention belongs to a higher app (fonds), reached here through
    the reverse relation `Declaration.convention` only (collectifs does not import fonds)."""
    convention = Declaration._meta.get_field("convention").related_model
    return {str(valeur): str(libelle) for valeur, libelle in convention._meta.get_field("etat").flatchoices}


def libelle_declaration(etat: str | None) -> str:
    return str(EtatDeclaration(etat).label) if etat else ""


def collectifs_pour_liste(queryset: QuerySet[Collectif]) -> QuerySet[Collectif]:
    """The collectifs with what the list shows, per row in the same query: the number of current members (R1), the
    state (and key) of the latest filed declaration, the state of the latest convention."""
    jour = timezone.localdate()
    membres = (
        Membre.objects.filter(collectif=OuterRef("pk"), date_debut__lte=jour)
        .filter(Q(date_fin__isnull=True) | Q(date_fin__gte=jour))
        .order_by()
        .values("collectif")
        .annotate(n=Count("pk"))
        .values("n")
    )
    deposees = Declaration.objects.filter(collectif=OuterRef("pk")).exclude(etat=EtatDeclaration.BROUILLON)
    derniere = deposees.order_by("-deposee_le", "-pk")
    return queryset.annotate(
        nombre_membres=Subquery(membres, output_field=IntegerField()),
        derniere_declaration=Subquery(derniere.values("pk")[:1]),
        etat_declaration=Subquery(derniere.values("etat")[:1]),
        etat_convention=Subquery(
            deposees.filter(convention__isnull=False).order_by("-deposee_le", "-pk").values("convention__etat")[:1]
        ),
    )


class FiltresCollectifs(FiltresListe):
    """Search the name, the territory and the communes; filter by département and state of the latest declaration."""

    departement = django_filters.ChoiceFilter(
        label="Département", empty_label="Tous les départements", field_name="departement_id"
    )
    etat = django_filters.ChoiceFilter(
        label="Dernière déclaration", choices=ETATS_DEPOSES, empty_label="Tous les états", field_name="etat_declaration"
    )
    convention = django_filters.ChoiceFilter(
        label="Convention",
        choices=[("avec", "Avec une convention"), ("sans", "Sans convention")],
        empty_label="Toutes",
        method="filtrer_convention",
    )

    champs_recherche = ("nom", "territoire", "codes_communes")
    aide_recherche = "Nom du collectif, territoire ou code INSEE d'une commune."

    def choisir(self) -> None:
        self.filters["departement"].extra["choices"] = ChoixDuPerimetre(self.user).choix_departements

    def filtrer_convention(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "avec":
            return queryset.filter(etat_convention__isnull=False)
        if value == "sans":
            return queryset.filter(etat_convention__isnull=True)
        return queryset


class ListeCollectifs(Liste):
    filtres = FiltresCollectifs
    tris: ClassVar[dict[str, Tri]] = {
        "nom": Tri("Collectif", ("nom",)),
        "departement": Tri("Département", ("departement_id", "nom")),
        "membres": Tri("Membres", ("nombre_membres",)),
        "declaration": Tri("Dernière déclaration", ("rang_etat",)),
    }
    tri_defaut = "nom"
    nom_fichier = "collectifs"
    titre_feuille = "Collectifs"

    colonnes = (
        Colonne("Collectif", lambda c: c.nom),
        Colonne("Département", lambda c: str(c.departement)),
        Colonne("Communes (codes INSEE)", lambda c: c.codes_communes),
        Colonne("Membres", lambda c: c.nombre_membres or 0),
        Colonne("Dernière déclaration", lambda c: libelle_declaration(c.etat_declaration)),
        Colonne("Convention", lambda c: etats_convention().get(c.etat_convention or "", "")),
    )

    def preparer(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return collectifs_pour_liste(queryset).annotate(rang_etat=rang_etat("etat_declaration"))

    def page(self) -> Page:
        """The page, each collectif with the labels of its states (`libelle_declaration`, `libelle_convention`)."""
        page = super().page()
        for collectif in page.lignes:
            collectif.libelle_declaration = libelle_declaration(collectif.etat_declaration)
            collectif.libelle_convention = etats_convention().get(collectif.etat_convention or "", "")
        return page
