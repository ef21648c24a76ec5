"""Public figures and open data (SPEC §7, §8): what anyone may read without an account. No personal data ever: no
member, référent, juror or author name, e-mail or phone; a collectif's name is not personal data.

- `chiffres_nationaux()` and `chiffres_par_departement()`: the home page's figures (collectifs agreed, money committed
  and paid, sheets published), each in a constant number of grouped queries.
  « Engagé » is the sum of the tranches of the conventions not cancelled (tranches cancelled excluded); « versé » is
  the sum of the payments. Every convention of the fund counts (collectifs and the other beneficiaries of R8).
- `collectifs_agrees_ouverts()` and `fiches_publiees_ouvertes()`: the rows of the open-data files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from core.emails import url_absolue
from fonds.enums import EtatConvention, EtatTranche
from fonds.models import Tranche, Versement
from mutualisation.enums import FICHE_PUBLIQUE
from mutualisation.models import FichePratique
from territoires.models import Departement

ZERO = Decimal("0.00")
MONTANT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def _tranches_engagees() -> QuerySet[Tranche]:
    return Tranche.objects.exclude(convention__etat=EtatConvention.ANNULEE).exclude(etat=EtatTranche.ANNULEE)


def _agrees() -> QuerySet[Declaration]:
    return Declaration.objects.filter(etat=EtatDeclaration.AGREEE)


@dataclass(frozen=True)
class ChiffresNationaux:
    """The home page's national figures."""

    collectifs_agrees: int
    montant_engage: Decimal
    montant_verse: Decimal
    fiches_publiees: int


def chiffres_nationaux() -> ChiffresNationaux:
    """SPEC §8: the national figures (four aggregate queries)."""
    return ChiffresNationaux(
        collectifs_agrees=_agrees().values("collectif_id").distinct().count(),
        montant_engage=_tranches_engagees().aggregate(t=Coalesce(Sum("montant"), ZERO, output_field=MONTANT))["t"],
        montant_verse=Versement.objects.aggregate(t=Coalesce(Sum("montant"), ZERO, output_field=MONTANT))["t"],
        fiches_publiees=FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE).count(),
    )


@dataclass
class ChiffresDepartement:
    """One département's row of the home page's table."""

    departement: Departement
    collectifs_agrees: int = 0
    montant_engage: Decimal = ZERO
    montant_verse: Decimal = ZERO
    fiches_publiees: int = 0

    @property
    def actif(self) -> bool:
        return bool(self.collectifs_agrees or self.montant_engage or self.montant_verse or self.fiches_publiees)


def chiffres_par_departement(*, tous: bool = False) -> list[ChiffresDepartement]:
    """SPEC §8: the same figures by département, in the départements' order (five grouped queries, whatever the
    number of départements). Only the départements with something to show, unless `tous`."""
    lignes = {d.code: ChiffresDepartement(departement=d) for d in Departement.objects.order_by("code")}
    for code, n in (
        _agrees().values_list("collectif__departement_id").annotate(n=Count("collectif_id", distinct=True)).order_by()
    ):
        lignes[code].collectifs_agrees = n
    for code, total in (
        _tranches_engagees().values_list("convention__departement_id").annotate(t=Sum("montant")).order_by()
    ):
        lignes[code].montant_engage = total
    for code, total in (
        Versement.objects.values_list("tranche__convention__departement_id").annotate(t=Sum("montant")).order_by()
    ):
        lignes[code].montant_verse = total
    for code, n in (
        FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE)
        .values_list("departement_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        lignes[code].fiches_publiees = n
    return [ligne for ligne in lignes.values() if tous or ligne.actif]


# --- Open data ---------------------------------------------------------------------------------------------------

COLONNES_COLLECTIFS = (
    "nom_collectif",
    "code_departement",
    "departement",
    "annee_agrement",
    "codes_communes",
    "montant_engage",
)
COLONNES_FICHES = ("titre", "code_departement", "departement", "annee", "themes", "territoire", "url")


@dataclass(frozen=True)
class CollectifAgree:
    """One agreed collectif in a year's campaign (open data): no person, only the collectif and its funding."""

    nom_collectif: str
    code_departement: str
    departement: str
    annee_agrement: int | None
    codes_communes: str
    montant_engage: Decimal

    def valeurs(self) -> tuple[str, str, str, int | None, str, Decimal]:
        return (
            self.nom_collectif,
            self.code_departement,
            self.departement,
            self.annee_agrement,
            self.codes_communes,
            self.montant_engage,
        )


def collectifs_agrees_ouverts() -> Iterator[CollectifAgree]:
    """SPEC §7: the agreed collectifs by département and year (one query, streamed): the collectif's name,
    département, the campaign year of the agreement, its communes' INSEE codes, and the amount committed by its
    convention (tranches not cancelled)."""
    engage = (
        _tranches_engagees()
        .filter(convention__declaration=OuterRef("pk"))
        .order_by()
        .values("convention__declaration")
        .annotate(t=Sum("montant"))
        .values("t")
    )
    lignes = (
        _agrees()
        .select_related("collectif__departement", "campagne")
        .annotate(engage=Coalesce(Subquery(engage, output_field=MONTANT), ZERO, output_field=MONTANT))
        .order_by("collectif__departement_id", "campagne__annee", "collectif__nom", "pk")
    )
    for declaration in lignes.iterator(chunk_size=500):
        collectif = declaration.collectif
        yield CollectifAgree(
            nom_collectif=collectif.nom,
            code_departement=collectif.departement_id,
            departement=collectif.departement.nom,
            annee_agrement=declaration.campagne.annee if declaration.campagne is not None else None,
            codes_communes=" ".join(collectif.liste_codes_communes),
            montant_engage=declaration.engage,  # type: ignore[attr-defined]
        )


@dataclass(frozen=True)
class FicheOuverte:
    """One published sheet (open data): no credits (they may name people), no author."""

    titre: str
    code_departement: str
    departement: str
    annee: int
    themes: list[str] = field(default_factory=list)
    territoire: str = ""
    url: str = ""

    def valeurs(self) -> tuple[str, str, str, int, str, str, str]:
        return (
            self.titre,
            self.code_departement,
            self.departement,
            self.annee,
            ";".join(self.themes),
            self.territoire,
            self.url,
        )


def url_fiche_publique(pk: int) -> str:
    """The absolute address of a published sheet's public page in the catalogue (/pratiques/<pk>/)."""
    return url_absolue("mutualisation:pratique", pk)


def fiches_publiees_ouvertes() -> Iterator[FicheOuverte]:
    """SPEC §7: the published (and retained) sheets, with their themes (two queries)."""
    for f in (
        FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE)
        .select_related("departement")
        .prefetch_related("themes")
        .order_by("departement_id", "annee", "titre", "pk")
    ):
        yield FicheOuverte(
            titre=f.titre,
            code_departement=f.departement_id,
            departement=f.departement.nom,
            annee=f.annee,
            themes=[t.code for t in f.themes.all()],
            territoire=f.territoire,
            url=url_fiche_publique(f.pk),
        )
