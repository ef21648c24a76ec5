"""Reads of the fund that the API needs beyond the pages' selectors (R8): who sees which fund, funder,
contribution, envelope and ledger line, and grouped aggregates over the ledger, each in one query whatever the
number of rows (ADR 0005: every balance is a sum over the ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur
from fonds.enums import Compte
from fonds.models import Abondement, EcritureFonds, Enveloppe, Financeur, Fonds
from fonds.permissions import financeur_de
from fonds.selectors.soldes import ZERO

MONTANT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def fonds_visibles(user: Acteur) -> QuerySet[Fonds]:
    """R8: staff (national staff and instructeurs) know the funds; others see none. What each may read or change
    of a fund is decided by the predicates (can_voir_fonds, can_gerer_fonds)."""
    qs = Fonds.objects.select_related("departement").order_by("nom", "pk")
    if est_equipe_nationale(user) or est_instructeur(user):
        return qs
    return qs.none()


def financeurs_visibles(user: Acteur) -> QuerySet[Financeur]:
    """R8: national staff see every funder; a funder's account sees its own funder only."""
    qs = Financeur.objects.order_by("nom", "pk")
    if est_equipe_nationale(user):
        return qs
    financeur = financeur_de(user)
    return qs.filter(pk=financeur) if financeur is not None else qs.none()


def abondements_visibles(user: Acteur) -> QuerySet[Abondement]:
    """R8: national staff see every contribution; a funder's account its own; an instructeur those of a fund their
    département runs (SPEC R8)."""
    qs = Abondement.objects.select_related("fonds", "financeur", "departement_fleche").order_by("-annee", "pk")
    if not connecte(user):
        return qs.none()
    if est_equipe_nationale(user):
        return qs
    financeur = financeur_de(user)
    if financeur is not None:
        return qs.filter(financeur_id=financeur)
    if est_instructeur(user):
        return qs.filter(fonds__departement__instructeurs__user=user)
    return qs.none()


def _somme_enveloppe(signe: Q) -> Subquery:
    lignes = (
        EcritureFonds.objects.filter(
            fonds=OuterRef("fonds"),
            departement=OuterRef("departement"),
            annee=OuterRef("annee"),
            compte=Compte.ENVELOPPE,
        )
        .filter(signe)
        .order_by()
        .values("fonds")
        .annotate(total=Sum("montant"))
        .values("total")
    )
    return Subquery(lignes, output_field=MONTANT)


def enveloppes_visibles(user: Acteur) -> QuerySet[Enveloppe]:
    """R3, R8: the envelopes, each with what was distributed into it (`repartie`) and what campaigns reserved and
    projects committed from it (`prise`), as `enveloppes_du_departement` counts them, in the list's one query.
    National staff see all; an instructeur those of their départements."""
    qs = (
        Enveloppe.objects.select_related("fonds", "departement")
        .annotate(
            repartie=Coalesce(_somme_enveloppe(Q(montant__gt=0)), Value(ZERO), output_field=MONTANT),
            prise=-Coalesce(_somme_enveloppe(Q(montant__lt=0)), Value(ZERO), output_field=MONTANT),
        )
        .order_by("-annee", "departement_id", "fonds_id", "pk")
    )
    if not connecte(user):
        return qs.none()
    if est_equipe_nationale(user):
        return qs
    if est_instructeur(user):
        return qs.filter(departement__instructeurs__user=user)
    return qs.none()


def ecritures_visibles(user: Acteur) -> QuerySet[EcritureFonds]:
    """R8, R19: the ledger. National staff read every line; an instructeur the lines of their départements."""
    qs = EcritureFonds.objects.select_related("financeur", "acteur").order_by("-ecrite_le", "-pk")
    if not connecte(user):
        return qs.none()
    if est_equipe_nationale(user):
        return qs
    if est_instructeur(user):
        return qs.filter(departement__instructeurs__user=user)
    return qs.none()


@dataclass(frozen=True)
class SituationAnnuelle:
    """R8: where a fund stands for one budget year: the balance of every account of the ledger. The ledger is
    balanced, so `contributions` = `a_repartir` + `enveloppes` + `reservations` + `engagements` + `verse`."""

    annee: int
    contributions: Decimal
    a_repartir: Decimal
    enveloppes: Decimal
    reservations: Decimal
    engagements: Decimal
    verse: Decimal

    @property
    def reparti(self) -> Decimal:
        """What was distributed into the envelopes: every euro that left « à répartir » went to an envelope."""
        return self.contributions - self.a_repartir


def situations_du_fonds(fonds: Fonds, annee: int | None = None) -> list[SituationAnnuelle]:
    """R8: the fund's situation per budget year (every year of its ledger, or one), in one grouped query. Its
    contributions, envelopes and « à répartir » are those of `situation_du_fonds`, which the pages use."""
    lignes = EcritureFonds.objects.filter(fonds=fonds)
    if annee is not None:
        lignes = lignes.filter(annee=annee)

    def somme(compte: str) -> Coalesce:
        return Coalesce(Sum("montant", filter=Q(compte=compte)), Value(ZERO), output_field=MONTANT)

    totaux = (
        lignes.order_by()
        .values("annee")
        .annotate(**{compte: somme(compte) for compte in Compte.values})
        .order_by("annee")
    )
    return [
        SituationAnnuelle(
            annee=t["annee"],
            contributions=-t[Compte.APPORT],
            a_repartir=t[Compte.DISPONIBLE],
            enveloppes=t[Compte.ENVELOPPE],
            reservations=t[Compte.RESERVATION],
            engagements=t[Compte.ENGAGEMENT],
            verse=t[Compte.VERSE],
        )
        for t in totaux
    ]


def annees_de_l_enveloppe(fonds: Fonds, departement_code: str) -> list[int]:
    """R3, R8: the budget years a département's envelopes concern, from the first year with a movement (a
    distribution, a reservation, a commitment) to the last: a year reserved but not yet distributed shows as
    projected. One query."""
    annees = set(
        EcritureFonds.objects.filter(fonds=fonds, departement_id=departement_code, compte=Compte.ENVELOPPE)
        .order_by()
        .values_list("annee", flat=True)
        .distinct()
    )
    return list(range(min(annees), max(annees) + 1)) if annees else []
