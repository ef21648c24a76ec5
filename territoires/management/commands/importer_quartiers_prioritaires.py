"""Import or update the quartiers prioritaires de la politique de la ville (QPV) from the ANCT's official list
(R17: the equity dashboard breaks the funding down by quartier).

    manage.py importer_quartiers_prioritaires liste_qp_2024.csv            # create and update
    manage.py importer_quartiers_prioritaires liste_qp_2024.csv --dry-run  # count only, write nothing

The CSV needs the columns code_qp, lib_qp and insee_com (« ; » or « , » separated, UTF-8 or Windows-1252); the
other columns of the official file are ignored. Quartiers are matched on their code; none is ever deleted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from territoires.services import quartiers_prioritaires_importer


class Command(BaseCommand):
    help = (
        "Importe ou met à jour les quartiers prioritaires de la politique de la ville depuis la liste officielle de "
        "l'ANCT (CSV avec les colonnes code_qp, lib_qp et insee_com)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("fichier", type=Path, help="Chemin du fichier CSV de l'ANCT.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter les quartiers à créer et à mettre à jour sans rien enregistrer.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fichier: Path = options["fichier"]
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}.")
        try:
            bilan = quartiers_prioritaires_importer(chemin=fichier, simulation=options["dry_run"])
        except ValidationError as erreur:
            raise CommandError("\n".join(erreur.messages)) from erreur
        self.stdout.write(self.style.SUCCESS(bilan.message))
