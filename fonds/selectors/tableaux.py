"""Reads of the national fund pages and of a funder's own view (R8). Every figure is a sum over the ledger
(ADR 0005), computed by grouped aggregates: a constant number of queries, whatever the number of départements,
campaigns or conventions.

The money of a budget year flows through the ledger accounts: « disponible » (contributed, not distributed) →
« enveloppe » (distributed to a département, still free) → « réservation » (set aside for a campaign, not yet
committed) → « engagement » (committed to a tranche, not yet paid) → « versé ». So what was distributed to an
envelope is the sum of the balances of the last four accounts, and each column of the pages is one of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from fonds.enums import Compte
from fonds.models import Abondement, EcritureFonds, Enveloppe, Financeur, Fonds, Versement
from fonds.selectors.parts import PartConvention, parts_des_tranches, parts_du_financeur
from territoires.models import Departement

ZERO = Decimal("0")
MONTANT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class AnneeDuFonds:
    """R8: one budget year of a fund. `reparti` = `libre` + `reserve` + `engage`, and `verse` is part of `engage`;
    `contributions` = `reparti` + `a_repartir`."""

    annee: int
    contributions: Decimal = ZERO
    a_repartir: Decimal = ZERO
    libre: Decimal = ZERO
    reserve: Decimal = ZERO
    engage_non_verse: Decimal = ZERO
    verse: Decimal = ZERO

    @property
    def engage(self) -> Decimal:
        """Committed to tranches, paid or not."""
        return self.engage_non_verse + self.verse

    @property
    def reparti(self) -> Decimal:
        """Distributed into the départements' envelopes (what is still in them, reserved, committed or paid)."""
        return self.libre + self.reserve + self.engage


def _ajouter(ligne: AnneeDuFonds, compte: str, total: Decimal) -> None:
    if compte == Compte.APPORT:
        ligne.contributions -= total
    elif compte == Compte.DISPONIBLE:
        ligne.a_repartir += total
    elif compte == Compte.ENVELOPPE:
        ligne.libre += total
    elif compte == Compte.RESERVATION:
        ligne.reserve += total
    elif compte == Compte.ENGAGEMENT:
        ligne.engage_non_verse += total
    elif compte == Compte.VERSE:
        ligne.verse += total


def annees_du_fonds(fonds: Fonds) -> list[AnneeDuFonds]:
    """R8: per budget year, the fund's contributions, envelopes, reservations, commitments, payments and what
    remains to distribute: one grouped query over the ledger."""
    lignes: dict[int, AnneeDuFonds] = {}
    totaux = (
        EcritureFonds.objects.filter(fonds=fonds)
        .values("annee", "compte")
        .annotate(total=Sum("montant"))
        .order_by("annee", "compte")
    )
    for total in totaux:
        ligne = lignes.setdefault(total["annee"], AnneeDuFonds(annee=total["annee"]))
        _ajouter(ligne, total["compte"], total["total"])
    return [lignes[annee] for annee in sorted(lignes)]


def total_des_annees(annees: list[AnneeDuFonds]) -> AnneeDuFonds:
    """The sum of several years (the table's footer). Year 0 stands for « all years »."""
    total = AnneeDuFonds(annee=0)
    for ligne in annees:
        total.contributions += ligne.contributions
        total.a_repartir += ligne.a_repartir
        total.libre += ligne.libre
        total.reserve += ligne.reserve
        total.engage_non_verse += ligne.engage_non_verse
        total.verse += ligne.verse
    return total


def _solde_enveloppe(compte: str, *, positif: bool = False) -> Coalesce:
    """The balance of one account for the envelope's fund, département and year (a correlated subquery)."""
    lignes = EcritureFonds.objects.filter(
        fonds=OuterRef("fonds"), departement=OuterRef("departement"), annee=OuterRef("annee"), compte=compte
    )
    if positif:
        lignes = lignes.filter(montant__gt=0)
    somme = lignes.order_by().values("compte").annotate(total=Sum("montant")).values("total")
    return Coalesce(Subquery(somme, output_field=MONTANT), Value(ZERO), output_field=MONTANT)


def enveloppes_du_fonds(
    fonds: Fonds, *, annee: int | None = None, departement: Departement | None = None
) -> QuerySet[Enveloppe]:
    """R3, R8: the envelopes of a fund by département and year, each with its balances: still free (`libre`),
    reserved for campaigns and not committed (`reserve`), committed and not paid (`engage_non_verse`), paid
    (`verse`), and what distributions put in (`entrees`: zero for a year reserved while nothing was distributed,
    i.e. projected). Ordered by year then département; the balances are computed for the rows of the page only."""
    enveloppes = Enveloppe.objects.filter(fonds=fonds).select_related("departement")
    if annee is not None:
        enveloppes = enveloppes.filter(annee=annee)
    if departement is not None:
        enveloppes = enveloppes.filter(departement=departement)
    return enveloppes.annotate(
        libre=_solde_enveloppe(Compte.ENVELOPPE),
        entrees=_solde_enveloppe(Compte.ENVELOPPE, positif=True),
        reserve=_solde_enveloppe(Compte.RESERVATION),
        engage_non_verse=_solde_enveloppe(Compte.ENGAGEMENT),
        verse=_solde_enveloppe(Compte.VERSE),
    ).order_by("annee", "departement_id", "pk")


@dataclass(frozen=True)
class LigneEnveloppe:
    """R3, R8: one envelope row of the page: `reparti` = `libre` + `reserve` + `engage`; `verse` is part of
    `engage`. `projetee`: campaigns reserved on this year while nothing was distributed yet (the reservation was
    checked against the département's last known envelope); `non_repartie`: nothing distributed nor taken."""

    enveloppe: Enveloppe
    libre: Decimal
    reserve: Decimal
    engage: Decimal
    verse: Decimal
    projetee: bool
    non_repartie: bool

    @property
    def reparti(self) -> Decimal:
        return self.libre + self.reserve + self.engage


def lignes_enveloppes(enveloppes: list[Enveloppe]) -> list[LigneEnveloppe]:
    """The rows of a page of `enveloppes_du_fonds`, with their derived figures (no query)."""
    lignes = []
    for e in enveloppes:
        valeurs: dict[str, Decimal] = {
            nom: getattr(e, nom) for nom in ("libre", "entrees", "reserve", "engage_non_verse", "verse")
        }
        libre, entrees, reserve = valeurs["libre"], valeurs["entrees"], valeurs["reserve"]
        engage_non_verse, verse = valeurs["engage_non_verse"], valeurs["verse"]
        pris = reserve + engage_non_verse + verse
        lignes.append(
            LigneEnveloppe(
                enveloppe=e,
                libre=libre,
                reserve=reserve,
                engage=engage_non_verse + verse,
                verse=verse,
                projetee=entrees == 0 and pris > 0,
                non_repartie=entrees == 0 and pris == 0,
            )
        )
    return lignes


def grand_livre(
    fonds: Fonds,
    *,
    annee: int | None = None,
    departement: Departement | None = None,
    compte: str = "",
    financeur: Financeur | None = None,
) -> QuerySet[EcritureFonds]:
    """R19: the ledger lines of a fund, most recent first, with what a row shows, filtered."""
    lignes = EcritureFonds.objects.filter(fonds=fonds).select_related(
        "departement", "financeur", "campagne__departement", "convention", "tranche"
    )
    if annee is not None:
        lignes = lignes.filter(annee=annee)
    if departement is not None:
        lignes = lignes.filter(departement=departement)
    if compte:
        lignes = lignes.filter(compte=compte)
    if financeur is not None:
        # A funder's contributions: its own lines, and the counterpart lines of its contributions.
        lignes = lignes.filter(Q(financeur=financeur) | Q(abondement__financeur=financeur))
    return lignes.order_by("-ecrite_le", "-pk")


def abondements_du_fonds(fonds: Fonds) -> QuerySet[Abondement]:
    """R8: the contributions to a fund, most recent budget year first."""
    return (
        Abondement.objects.filter(fonds=fonds)
        .select_related("financeur", "departement_fleche")
        .order_by("-annee", "financeur__nom", "-pk")
    )


def financeurs_avec_totaux() -> QuerySet[Financeur]:
    """R8: the funders, each with the sum of its contributions (from the ledger) and its accepted logins."""
    apports = (
        EcritureFonds.objects.filter(financeur=OuterRef("pk"), compte=Compte.APPORT)
        .order_by()
        .values("financeur")
        .annotate(total=Sum("montant"))
        .values("total")
    )
    acces = (
        Financeur.objects.filter(pk=OuterRef("pk"))
        .annotate(nombre=Count("acces", filter=Q(acces__accepte_le__isnull=False)))
        .order_by()
        .values("nombre")
    )
    return Financeur.objects.annotate(
        apporte=-Coalesce(Subquery(apports, output_field=MONTANT), Value(ZERO), output_field=MONTANT),
        nombre_acces=Coalesce(Subquery(acces), 0),
    ).order_by("nom", "pk")


# --- The funder's own view ------------------------------------------------------------------------------------


@dataclass
class AnneeDuFinanceur:
    """R8: one budget year of a funder: what it contributed (earmarked or not), its share of the tranches of that
    year, and of what was paid."""

    annee: int
    apport_commun: Decimal = ZERO
    apport_fleche: Decimal = ZERO
    part_engagee: Decimal = ZERO
    part_versee: Decimal = ZERO

    @property
    def apport(self) -> Decimal:
        return self.apport_commun + self.apport_fleche


@dataclass(frozen=True)
class PartVersement:
    """R8: a funder's share of one payment (a tranche is paid once, in full)."""

    versement: Versement
    part: Decimal
    fleche: bool


@dataclass
class VueFinanceur:
    """R8: everything a funder's view shows."""

    financeur: Financeur
    annees: list[AnneeDuFinanceur]
    total: AnneeDuFinanceur
    # (budget year, earmarked département or None, amount)
    apports: list[tuple[int, Departement | None, Decimal]]
    conventions: list[PartConvention]
    versements: list[PartVersement] = field(default_factory=list)


def vue_du_financeur(financeur: Financeur) -> VueFinanceur:
    """R8: what a funder's money financed, per budget year: its contributions (from the ledger), its pro rata share
    of each convention (`parts_du_financeur`) and of each payment, earmarked money first. Constant queries."""
    apports = list(
        EcritureFonds.objects.filter(financeur=financeur, compte=Compte.APPORT)
        .values("annee", "abondement__departement_fleche")
        .annotate(total=Sum("montant"))
        .order_by("annee", "abondement__departement_fleche")
    )
    departements = Departement.objects.in_bulk(
        {a["abondement__departement_fleche"] for a in apports if a["abondement__departement_fleche"]}
    )
    annees: dict[int, AnneeDuFinanceur] = {}
    lignes_apports: list[tuple[int, Departement | None, Decimal]] = []
    for apport in apports:
        ligne = annees.setdefault(apport["annee"], AnneeDuFinanceur(annee=apport["annee"]))
        code = apport["abondement__departement_fleche"]
        montant = -apport["total"]
        if code:
            ligne.apport_fleche += montant
        else:
            ligne.apport_commun += montant
        lignes_apports.append((apport["annee"], departements.get(code) if code else None, montant))
    conventions = parts_du_financeur(financeur)
    for part_convention in conventions:
        for annee, montant in part_convention.par_annee.items():
            annees.setdefault(annee, AnneeDuFinanceur(annee=annee)).part_engagee += montant
    versements = _parts_des_versements(financeur, [p.convention.pk for p in conventions])
    for part_versement in versements:
        annee = part_versement.versement.tranche.annee
        annees.setdefault(annee, AnneeDuFinanceur(annee=annee)).part_versee += part_versement.part
    par_annee = [annees[annee] for annee in sorted(annees)]
    total = AnneeDuFinanceur(annee=0)
    for ligne in par_annee:
        total.apport_commun += ligne.apport_commun
        total.apport_fleche += ligne.apport_fleche
        total.part_engagee += ligne.part_engagee
        total.part_versee += ligne.part_versee
    return VueFinanceur(
        financeur=financeur,
        annees=par_annee,
        total=total,
        apports=lignes_apports,
        conventions=conventions,
        versements=versements,
    )


def _parts_des_versements(financeur: Financeur, conventions: list[int]) -> list[PartVersement]:
    """The funder's share of each payment of these conventions, most recent first."""
    if not conventions:
        return []
    versements = list(
        Versement.objects.filter(tranche__convention_id__in=conventions)
        .select_related("tranche__convention__departement")
        .order_by("-date_versement", "-pk")
    )
    if not versements:
        return []
    parts = parts_des_tranches({v.tranche.convention.fonds_id for v in versements})
    resultat = []
    for versement in versements:
        siennes = [p for p in parts.get(versement.tranche_id, []) if p.financeur == financeur]
        part = sum((p.montant for p in siennes), ZERO)
        if part:
            resultat.append(PartVersement(versement=versement, part=part, fleche=any(p.fleche for p in siennes)))
    return resultat
