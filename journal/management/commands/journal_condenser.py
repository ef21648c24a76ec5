"""`manage.py journal_condenser`: seal the unsealed rows, then write today's signed digest (a row and a file in
JOURNAL_CONDENSES_DIR, to copy off the server). Idempotent for a date: run it from cron daily, or more often."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journal.condense import condense_ecrire


class Command(BaseCommand):
    help = "Scelle les lignes en attente et écrit le condensé signé du jour (ligne en base et fichier)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", type=Path, default=None, help="Dossier des fichiers de condensés.")

    def handle(self, *args: Any, **options: Any) -> None:
        condense, chemin, cree = condense_ecrire(dossier=options["dossier"])
        etat = "écrit" if cree else "déjà écrit aujourd’hui, fichier réécrit"
        self.stdout.write(f"Condensé du {condense.date:%d/%m/%Y} {etat} : {chemin}")
