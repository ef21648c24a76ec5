"""R20 retention, run from cron: `manage.py purger_donnees [--dry-run]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from personnes.services import donnees_purger


class Command(BaseCommand):
    help = (
        "Supprime les brouillons de déclaration jamais déposés et inchangés depuis trois ans, et les comptes jamais "
        "utilisés créés il y a plus de trois ans (sauf s'ils sont référencés)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Affiche ce qui serait supprimé ; ne supprime rien.")

    def handle(self, *args: Any, **options: Any) -> None:
        simulation = bool(options["dry_run"])
        purge = donnees_purger(simulation=simulation)
        verbe = "serait supprimé" if simulation else "supprimé"
        for libelle in purge.brouillons + purge.comptes:
            self.stdout.write(f"{libelle} : {verbe}")
        for libelle in purge.conserves:
            self.stdout.write(libelle)
        bilan = f"{len(purge.brouillons)} brouillon(s) et {len(purge.comptes)} compte(s) " + (
            "seraient supprimés (simulation : rien n'a été supprimé)." if simulation else "supprimés."
        )
        self.stdout.write(bilan)
