"""Reads of the territoires app: public reference data."""

from __future__ import annotations

from django.db.models import QuerySet

from territoires.models import Departement, QuartierPrioritaire


def departements() -> QuerySet[Departement]:
    """The 101 départements of the COG, in code order."""
    return Departement.objects.order_by("code")


def quartiers_prioritaires(departement: Departement | None = None) -> QuerySet[QuartierPrioritaire]:
    """The quartiers prioritaires de la politique de la ville of a département (all of them without one), by name."""
    quartiers = QuartierPrioritaire.objects.order_by("nom", "code")
    return quartiers if departement is None else quartiers.filter(departement=departement)
