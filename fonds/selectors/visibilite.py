"""Who sees which convention (R7, SPEC §2): national staff see all; instructeurs those of their départements;
référents their collectifs' conventions. A funder reads its own view (`parts`), not the conventions list."""

from __future__ import annotations

from django.db.models import QuerySet

from comptes.models import Acteur
from comptes.permissions import connecte
from fonds.models import Convention, Tranche, Versement


def conventions_visibles(user: Acteur) -> QuerySet[Convention]:
    """R7: the conventions a user may read, with what a list shows (one query, whatever the number of rows)."""
    qs = Convention.objects.select_related("departement", "fonds", "declaration", "campagne")
    if not connecte(user):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    instructeur = Convention.objects.filter(departement__instructeurs__user=user).order_by().values("pk")
    referent = Convention.objects.filter(declaration__collectif__referents=user).order_by().values("pk")
    return qs.filter(pk__in=instructeur.union(referent))


def conventions_gerees(user: Acteur) -> QuerySet[Convention]:
    """R7: the conventions a user may change (signature, payments, cancellation): those of an instructeur's
    départements. National staff change national objects only."""
    qs = Convention.objects.select_related("departement", "fonds", "declaration", "campagne")
    if not connecte(user):
        return qs.none()
    return qs.filter(departement__instructeurs__user=user)


def tranches_visibles(user: Acteur) -> QuerySet[Tranche]:
    """R7: the tranches of the conventions a user may read."""
    return Tranche.objects.select_related("convention", "convention__departement").filter(
        convention__in=conventions_visibles(user).values("pk")
    )


def versements_visibles(user: Acteur) -> QuerySet[Versement]:
    """R7: the payments of the conventions a user may read."""
    return Versement.objects.select_related(
        "tranche", "tranche__convention", "tranche__convention__departement"
    ).filter(tranche__convention__in=conventions_visibles(user).values("pk"))
