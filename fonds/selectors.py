"""Reads of the fund (R8): every balance is a sum over the ledger, never a stored number (ADR 0005)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from fonds.enums import Compte
from fonds.models import EcritureFonds, Fonds
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
