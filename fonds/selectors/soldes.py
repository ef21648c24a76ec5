"""Balances of the fund (R3, R8): sums over the ledger, never a stored number (ADR 0005)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from campagnes.models import Campagne
from fonds.enums import Compte, GestionFonds
from fonds.models import EcritureFonds, Fonds, Reservation
from territoires.models import Departement

ZERO = Decimal("0")


class Tous(Enum):
    """Every département: the default of `solde`, which None cannot be (None means "no département")."""

    DEPARTEMENTS = "tous"


def solde(
    fonds: Fonds, compte: str, annee: int, *, departement: Departement | Tous | None = Tous.DEPARTEMENTS
) -> Decimal:
    """R8: the balance of one account of the ledger for a budget year. `departement` narrows it to one
    département (None: the lines without one, i.e. unearmarked money); left out, every line counts."""
    lignes = EcritureFonds.objects.filter(fonds=fonds, compte=compte, annee=annee)
    if departement is None:
        lignes = lignes.filter(departement__isnull=True)
    elif not isinstance(departement, Tous):
        lignes = lignes.filter(departement=departement)
    return lignes.aggregate(total=Coalesce(Sum("montant"), ZERO))["total"]


@dataclass(frozen=True)
class Situation:
    """R8: where a fund stands for one budget year, computed from the ledger."""

    annee: int
    contributions: Decimal
    enveloppes: Decimal
    a_repartir: Decimal


def situation_du_fonds(fonds: Fonds, annee: int) -> Situation:
    """R8: contributions, envelopes and what remains to distribute for one year, in one query."""
    totaux = EcritureFonds.objects.filter(fonds=fonds, annee=annee).aggregate(
        apports=Coalesce(Sum("montant", filter=Q(compte=Compte.APPORT)), ZERO),
        enveloppes=Coalesce(Sum("montant", filter=Q(compte=Compte.ENVELOPPE)), ZERO),
        disponible=Coalesce(Sum("montant", filter=Q(compte=Compte.DISPONIBLE)), ZERO),
    )
    return Situation(
        annee=annee,
        contributions=-totaux["apports"],
        enveloppes=totaux["enveloppes"],
        a_repartir=totaux["disponible"],
    )


def fonds_du_departement(departement_code: str) -> Fonds | None:
    """R8: the fund that finances a département: its own fund if it runs one, else the national fund."""
    return (
        Fonds.objects.filter(Q(departement_id=departement_code) | Q(gestion=GestionFonds.NATIONALE))
        .order_by(F("departement_id").asc(nulls_last=True), "pk")
        .first()
    )


@dataclass(frozen=True)
class EtatEnveloppe:
    """R3, R8: one département's envelope for one budget year. `repartie` is what national staff distributed
    into it, `prise` what campaigns reserved and projects committed from it. A year with nothing distributed yet
    is projected at the last amount distributed to the département (`base`), and flagged."""

    annee: int
    repartie: Decimal
    prise: Decimal
    projetee: bool
    base: Decimal

    @property
    def disponible(self) -> Decimal:
        """What can still be reserved or committed: against the projection when the year is projected."""
        return self.base - self.prise


def enveloppes_du_departement(fonds: Fonds, departement_code: str, annees: list[int]) -> dict[int, EtatEnveloppe]:
    """R3, R8: the envelopes of a département for some budget years, in one query over the ledger."""
    # A distribution is the movement that takes from « disponible »; every other envelope line is a reservation, a
    # project's commitment, or the cancellation that gives it back (positive, but not distributed money).
    repartition = Exists(
        EcritureFonds.objects.filter(mouvement=OuterRef("mouvement"), compte=Compte.DISPONIBLE).order_by()
    )
    lignes = (
        EcritureFonds.objects.filter(fonds=fonds, compte=Compte.ENVELOPPE, departement_id=departement_code)
        .values("annee")
        .annotate(
            repartie=Coalesce(Sum("montant", filter=repartition), ZERO),
            prise=Coalesce(Sum("montant", filter=~repartition), ZERO),
        )
        .order_by("annee")
    )
    par_annee = {ligne["annee"]: (ligne["repartie"], -ligne["prise"]) for ligne in lignes}
    etats = {}
    for annee in annees:
        repartie, prise = par_annee.get(annee, (ZERO, ZERO))
        connues = [montant for an, (montant, _) in par_annee.items() if an < annee and montant > 0]
        projetee = repartie == 0
        base = (connues[-1] if connues else ZERO) if projetee else repartie
        etats[annee] = EtatEnveloppe(annee=annee, repartie=repartie, prise=prise, projetee=projetee, base=base)
    return etats


def annees_de_campagne(campagne: Campagne) -> list[int]:
    """R3: the three budget years a campaign's cohort is funded: Y, Y+1, Y+2."""
    return [campagne.annee, campagne.annee + 1, campagne.annee + 2]


def reservation_restante(campagne: Campagne) -> dict[int, Decimal] | None:
    """R7: what the campaign's reservation still has, per budget year (reserved minus committed), or None when the
    campaign holds no reservation (it opened before the fund existed)."""
    if not Reservation.objects.filter(campagne=campagne).exists():
        return None
    soldes = dict(
        EcritureFonds.objects.filter(campagne=campagne, compte=Compte.RESERVATION)
        .values("annee")
        .annotate(total=Coalesce(Sum("montant"), ZERO))
        .values_list("annee", "total")
    )
    return {annee: soldes.get(annee, ZERO) for annee in annees_de_campagne(campagne)}
