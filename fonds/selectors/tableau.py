"""Reads of the dashboards (`config.tableaux`) about the fund: money reserved, committed and paid in a scope,
late check-ins, conventions awaiting signature or payment, secondments awaiting the employer, a collectif's
convention with its tranches and check-ins, the check-ins to come of followed collectifs. Each function runs a
constant number of queries, whatever the number of rows.

A scope is a list of département codes, or None for every département (national staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from fonds.enums import Compte, EtatBilan, EtatConvention, EtatMiseADisposition, EtatTranche
from fonds.models import BilanAnnuel, Convention, EcritureFonds, MiseADisposition, Tranche, Versement

ZERO = Decimal("0.00")
# A check-in still expected from the collectif (R11).
ETATS_BILAN_ATTENDU = (EtatBilan.ATTENDU, EtatBilan.A_COMPLETER)


@dataclass(frozen=True)
class Argent:
    """R3, R7: in a scope, what open campaigns still hold in reserve (reserved, not yet committed), what the
    conventions commit (their tranches, cancelled ones excluded) and what was paid, in euros."""

    reserve: Decimal
    engage: Decimal
    verse: Decimal


def argent(departements: list[str] | None) -> Argent:
    """R3, R7: the scope's money, from the ledger and the tranches (three aggregate queries)."""
    reservations = EcritureFonds.objects.filter(compte=Compte.RESERVATION)
    tranches = Tranche.objects.exclude(convention__etat=EtatConvention.ANNULEE).exclude(etat=EtatTranche.ANNULEE)
    versements = Versement.objects.all()
    if departements is not None:
        reservations = reservations.filter(departement_id__in=departements)
        tranches = tranches.filter(convention__departement_id__in=departements)
        versements = versements.filter(tranche__convention__departement_id__in=departements)
    return Argent(
        reserve=reservations.aggregate(t=Coalesce(Sum("montant"), ZERO))["t"],
        engage=tranches.aggregate(t=Coalesce(Sum("montant"), ZERO))["t"],
        verse=versements.aggregate(t=Coalesce(Sum("montant"), ZERO))["t"],
    )


def bilans_en_retard_du_perimetre(departements: list[str] | None, jour: date) -> QuerySet[BilanAnnuel]:
    """R11: the check-ins of the scope past their due date and not filed (or returned and not filed again),
    oldest first."""
    bilans = BilanAnnuel.objects.filter(etat__in=ETATS_BILAN_ATTENDU, echeance__lt=jour)
    if departements is not None:
        bilans = bilans.filter(convention__departement_id__in=departements)
    return bilans.select_related("convention__declaration__collectif").order_by("echeance", "pk")


@dataclass(frozen=True)
class ConventionsEnAttente:
    """R7: conventions still to sign, tranches payable and not paid, in a scope."""

    a_signer: int
    tranches_a_verser: int
    non_conformes: int


def conventions_en_attente(departements: list[str]) -> ConventionsEnAttente:
    """R7, R12: what the département's staff must do on the conventions (two aggregate queries)."""
    conventions = Convention.objects.filter(departement_id__in=departements).aggregate(
        a_signer=Count("pk", filter=Q(etat=EtatConvention.ACTIVE, signee_le__isnull=True)),
        non_conformes=Count("pk", filter=Q(etat=EtatConvention.NON_CONFORME)),
    )
    tranches = Tranche.objects.filter(
        convention__departement_id__in=departements,
        etat=EtatTranche.EXIGIBLE,
        convention__signee_le__isnull=False,
    ).count()
    return ConventionsEnAttente(
        a_signer=conventions["a_signer"], tranches_a_verser=tranches, non_conformes=conventions["non_conformes"]
    )


def mises_a_disposition_en_attente(departements: list[str]) -> int:
    """R9: the secondments of the scope awaiting the employer's answer (one query)."""
    return MiseADisposition.objects.filter(
        collectif__departement_id__in=departements, etat=EtatMiseADisposition.DEMANDEE
    ).count()


def conventions_des_declarations(declaration_ids: list[int]) -> dict[int, Convention]:
    """R7, R11: the convention of each of these declarations, by declaration, with its tranches and check-ins in
    order (`tranches_du_tableau`, `bilans_du_tableau`), in three queries."""
    if not declaration_ids:
        return {}
    conventions = Convention.objects.filter(declaration_id__in=declaration_ids).prefetch_related(
        Prefetch("tranches", queryset=Tranche.objects.order_by("rang"), to_attr="tranches_du_tableau"),
        Prefetch("bilans", queryset=BilanAnnuel.objects.order_by("rang"), to_attr="bilans_du_tableau"),
    )
    return {c.declaration_id: c for c in conventions if c.declaration_id is not None}


def bilans_a_venir(collectif_ids: list[int]) -> list[BilanAnnuel]:
    """R10, R11: the check-ins still expected from these collectifs, the nearest due date first (one query)."""
    if not collectif_ids:
        return []
    return list(
        BilanAnnuel.objects.filter(
            convention__declaration__collectif_id__in=collectif_ids, etat__in=ETATS_BILAN_ATTENDU
        )
        .select_related("convention__declaration__collectif")
        .order_by("echeance", "pk")
    )
