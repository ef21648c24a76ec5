"""`manage.py verifier_journal`: recompute the hash chains and check the signed digests (R19). Read-only; exit 1
naming the first broken row. Cron it after `journal_condenser`, and run it on every restored backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from journal.verification import verifier


class Command(BaseCommand):
    help = "Recalcule les chaînes d’empreintes du journal, du grand livre et des documents, et vérifie les condensés."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--condenses-dir",
            type=Path,
            default=None,
            help="Dossier des condensés signés à confronter (par défaut : JOURNAL_CONDENSES_DIR s’il existe).",
        )
        parser.add_argument("--database", default="default", help="Alias de la base à vérifier.")

    def handle(self, *args: Any, **options: Any) -> None:
        dossier = options["condenses_dir"] or Path(settings.JOURNAL_CONDENSES_DIR)
        resultat = verifier(using=options["database"], condenses_dir=dossier)
        for avertissement in resultat.avertissements:
            self.stderr.write(f"Attention : {avertissement}")
        if not resultat.ok:
            for erreur in resultat.erreurs[1:]:
                self.stderr.write(erreur)
            raise CommandError(f"Journal altéré : {resultat.erreurs[0]}")
        tables = ", ".join(f"{table} : {nombre} ligne(s)" for table, nombre in resultat.lignes.items())
        self.stdout.write(
            f"Journal intègre : {len(resultat.lignes)} tables, {sum(resultat.lignes.values())} lignes vérifiées "
            f"({tables}), {resultat.condenses} condensé(s), en {resultat.duree:.2f} s."
        )
