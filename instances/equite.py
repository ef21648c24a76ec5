"""R17 Equity ("do not free the initiative of those who already have the most", 002:2617): the warning the
instance sees when an originating institution of a collectif already carries the campaign's cap of funded
collectifs in the département, and the equity dashboard's aggregates (funded collectifs and money by territory,
by quartier prioritaire de la politique de la ville and by originating institution, per département or national).
Reads only; each in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce

from campagnes.models import Campagne
from collectifs.models import Collectif, CommuneCollectif
from fonds.enums import CONVENTION_EN_COURS, EtatConvention, EtatTranche, NatureBeneficiaire
from fonds.models import Convention, Tranche
from territoires.models import Departement

# R17's cap counts the conventions « en cours »; cancelled (and, later, closed) ones do not.
ETATS_EN_COURS = CONVENTION_EN_COURS

SANS_INSTITUTION = "Sans institution d'origine"
SANS_COMMUNE = "Communes non renseignées"
SANS_QUARTIER = "Hors quartier prioritaire ou non renseigné"

Institutions = Collectif.institutions_origine.through
Quartiers = Collectif.quartiers_prioritaires.through


@dataclass(frozen=True)
class AlerteEquite:
    """R17: one originating institution of the collectif already carries `plafond` funded collectifs (or more)."""

    institution: str
    collectifs: tuple[str, ...]
    plafond: int

    @property
    def message(self) -> str:
        nombre = len(self.collectifs)
        pluriel = "s" if nombre > 1 else ""
        return (
            f"L'institution d'origine « {self.institution} » porte déjà {nombre} collectif{pluriel} financé{pluriel} "
            f"en cours dans le département ({', '.join(self.collectifs)}) ; le plafond de la campagne est de "
            f"{self.plafond}. L'instance ne peut agréer qu'en motivant par écrit sa dérogation."
        )


def _conventions_en_cours_du_collectif() -> Exists:
    return Exists(
        Convention.objects.filter(
            declaration__collectif=OuterRef("collectif_id"),
            nature_beneficiaire=NatureBeneficiaire.COLLECTIF,
            etat__in=ETATS_EN_COURS,
        )
    )


def alertes_equite(collectif_ids: Iterable[int], campagne: Campagne) -> dict[int, list[AlerteEquite]]:
    """R17: for each collectif, the warnings of its originating institutions that already carry the campaign's cap
    (`plafond_par_institution`) of other collectifs of the département with a convention in progress. Two
    queries, whatever the number of collectifs: the séance page asks for its whole agenda at once."""
    ids = list(collectif_ids)
    alertes: dict[int, list[AlerteEquite]] = {pk: [] for pk in ids}
    if not ids:
        return alertes
    portees = list(
        Institutions.objects.filter(collectif_id__in=ids)
        .values_list("collectif_id", "organisation_id", "organisation__nom")
        .order_by("organisation__nom", "organisation_id")
    )
    if not portees:
        return alertes
    financees: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for organisation_id, collectif_id, nom in (
        Institutions.objects.filter(
            organisation_id__in={o for _, o, _ in portees},
            collectif__departement_id=campagne.departement_id,
        )
        .filter(_conventions_en_cours_du_collectif())
        .values_list("organisation_id", "collectif_id", "collectif__nom")
        .order_by("collectif__nom", "collectif_id")
    ):
        financees[organisation_id].append((collectif_id, nom))
    for collectif_id, organisation_id, institution in portees:
        autres = tuple(nom for pk, nom in financees[organisation_id] if pk != collectif_id)
        if len(autres) >= campagne.plafond_par_institution:
            alertes[collectif_id].append(AlerteEquite(institution, autres, campagne.plafond_par_institution))
    return alertes


def alertes_du_collectif(collectif: Collectif, campagne: Campagne) -> list[AlerteEquite]:
    """R17: the warnings for one collectif (see `alertes_equite`)."""
    return alertes_equite([collectif.pk], campagne)[collectif.pk]


# ---------------------------------------------------------------------------------------------------------------
# The equity dashboard
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Ligne:
    """One row of a distribution: how many funded collectifs, and the money of their tranches."""

    libelle: str
    collectifs: set[int] = field(default_factory=set)
    montant: Decimal = Decimal("0")

    @property
    def nombre(self) -> int:
        return len(self.collectifs)


@dataclass(frozen=True)
class Repartition:
    """R17: the distribution of the funded collectifs of a département (or of the whole country)."""

    departement: Departement | None
    collectifs: int
    montant: Decimal
    par_territoire: list[Ligne]
    par_quartier: list[Ligne]
    par_institution: list[Ligne]


def _trier(lignes: Iterable[Ligne]) -> list[Ligne]:
    return sorted(lignes, key=lambda ligne: (-ligne.nombre, -ligne.montant, ligne.libelle))


def conventions_financees(departement: Departement | None) -> QuerySet[Convention]:
    """The collectifs' conventions that fund them (not cancelled), of one département or of all."""
    conventions = Convention.objects.filter(nature_beneficiaire=NatureBeneficiaire.COLLECTIF).exclude(
        etat=EtatConvention.ANNULEE
    )
    return conventions if departement is None else conventions.filter(declaration__collectif__departement=departement)


def repartition_equite(departement: Departement | None) -> Repartition:
    """R17: funded collectifs (a convention not cancelled) and their money (the sum of their tranches not
    cancelled), by territory, by quartier prioritaire de la politique de la ville and by originating institution.
    For a département, the territory is the commune (INSEE code, from `CommuneCollectif`); nationally, the
    département. The quartiers are those the collectifs named, one row each, plus one row for the collectifs that
    named none. A collectif acting on several communes or quartiers, or carried by several institutions, counts in
    each of them, so the rows may add up to more than the total. Five queries at most, whatever the number of
    collectifs."""
    conventions = conventions_financees(departement)
    montants: dict[int, Decimal] = dict(
        Tranche.objects.filter(convention__in=conventions)
        .exclude(etat=EtatTranche.ANNULEE)
        .values_list("convention__declaration__collectif_id")
        .annotate(total=Coalesce(Sum("montant"), Decimal("0")))
        .order_by()
    )
    collectifs = dict(
        conventions.values_list("declaration__collectif_id", "declaration__collectif__departement__nom")
        .order_by()
        .distinct()
    )
    ids = conventions.values("declaration__collectif_id")
    par_territoire: dict[str, Ligne] = {}
    if departement is None:
        for collectif_id, nom in collectifs.items():
            ligne = par_territoire.setdefault(nom, Ligne(nom))
            ligne.collectifs.add(collectif_id)
    else:
        avec_commune: set[int] = set()
        for code, collectif_id in CommuneCollectif.objects.filter(collectif_id__in=ids).values_list(
            "code_insee", "collectif_id"
        ):
            par_territoire.setdefault(code, Ligne(code)).collectifs.add(collectif_id)
            avec_commune.add(collectif_id)
        if sans := set(collectifs) - avec_commune:
            par_territoire[SANS_COMMUNE] = Ligne(SANS_COMMUNE, sans)
    par_quartier: dict[int | None, Ligne] = {}
    en_quartier: set[int] = set()
    for quartier_id, code, nom, collectif_id in Quartiers.objects.filter(collectif_id__in=ids).values_list(
        "quartierprioritaire_id", "quartierprioritaire__code", "quartierprioritaire__nom", "collectif_id"
    ):
        par_quartier.setdefault(quartier_id, Ligne(f"{nom} ({code})")).collectifs.add(collectif_id)
        en_quartier.add(collectif_id)
    if sans := set(collectifs) - en_quartier:
        par_quartier[None] = Ligne(SANS_QUARTIER, sans)
    par_institution: dict[int | None, Ligne] = {}
    portes: set[int] = set()
    for organisation_id, nom, collectif_id in Institutions.objects.filter(collectif_id__in=ids).values_list(
        "organisation_id", "organisation__nom", "collectif_id"
    ):
        par_institution.setdefault(organisation_id, Ligne(nom)).collectifs.add(collectif_id)
        portes.add(collectif_id)
    if sans := set(collectifs) - portes:
        par_institution[None] = Ligne(SANS_INSTITUTION, sans)
    for ligne in (*par_territoire.values(), *par_quartier.values(), *par_institution.values()):
        ligne.montant = sum((montants.get(pk, Decimal("0")) for pk in ligne.collectifs), Decimal("0"))
    return Repartition(
        departement=departement,
        collectifs=len(collectifs),
        montant=sum((montants.get(pk, Decimal("0")) for pk in collectifs), Decimal("0")),
        par_territoire=_trier(par_territoire.values()),
        par_quartier=_trier(par_quartier.values()),
        par_institution=_trier(par_institution.values()),
    )
