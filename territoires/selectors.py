"""Reads of the territoires app: public reference data."""

from __future__ import annotations

from django.db.models import QuerySet

from territoires.models import Departement


def departements() -> QuerySet[Departement]:
    """The 101 départements of the COG, in code order."""
    return Departement.objects.order_by("code")
