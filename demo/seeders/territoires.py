"""Seeds the territoires' reference data the migrations do not load: a few quartiers prioritaires de la politique
de la ville of the Loire (R17), from territoires/data/quartiers_prioritaires_demo.csv. Their codes have the shape
of the official ones but are not them (see territoires/data/README.md): a real platform imports the ANCT's list with
``manage.py importer_quartiers_prioritaires``. Called by the collectifs seeder, whose collectifs name them."""

from __future__ import annotations

from territoires.models import QuartierPrioritaire
from territoires.services import FICHIER_QUARTIERS_DEMO, quartiers_prioritaires_importer


def quartiers_prioritaires_loire() -> dict[str, QuartierPrioritaire]:
    """The demo quartiers prioritaires, created or brought up to date (idempotent), by code."""
    quartiers_prioritaires_importer(chemin=FICHIER_QUARTIERS_DEMO)
    return {q.code: q for q in QuartierPrioritaire.objects.filter(departement_id="42")}
