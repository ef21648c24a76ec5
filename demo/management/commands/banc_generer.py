"""Build the benchmark's dataset (issue 13): `manage.py banc_generer --departements all` for the national one,
`--departements 42` for the Loire's. Refuses a database that already holds collectifs."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from collectifs.models import Collectif
from demo.banc.generateur import CAMPAGNES_MAX, generer


class Command(BaseCommand):
    help = "Génère le jeu de données du banc de mesure (national ou de quelques départements)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--departements",
            default="all",
            help="« all » pour les 101 départements, ou des codes séparés par des virgules (par exemple 42,69).",
        )
        parser.add_argument(
            "--campagnes", type=int, default=3, help=f"Campagnes par département (1 à {CAMPAGNES_MAX})."
        )
        parser.add_argument("--collectifs", type=int, default=30, help="Collectifs par campagne.")
        parser.add_argument("--membres", type=int, default=16, help="Membres par collectif (5 au moins).")
        parser.add_argument(
            "--echantillon", type=int, default=2, help="Collectifs par campagne créés par les services."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Collectif.objects.exists():
            raise CommandError(
                "La base contient déjà des collectifs : le banc se génère dans une base vide "
                "(par exemple une base PostgreSQL jetable, comme le fait « make bench »)."
            )
        valeur = options["departements"].strip()
        codes = None if valeur == "all" else [code.strip() for code in valeur.split(",") if code.strip()]
        if codes == []:
            raise CommandError("Indiquez « all » ou au moins un code de département.")
        debut = time.monotonic()
        try:
            comptes = generer(
                codes,
                campagnes=options["campagnes"],
                collectifs=options["collectifs"],
                membres=options["membres"],
                echantillon=options["echantillon"],
                progression=self.stdout.write,
            )
        except ValueError as erreur:
            raise CommandError(str(erreur)) from erreur
        for libelle, nombre in comptes.items():
            self.stdout.write(f"  {libelle:<40} {nombre:>10}")
        self.stdout.write(self.style.SUCCESS(f"Jeu de données généré en {time.monotonic() - debut:.1f} s."))
