"""Measure the key pages on the national and the one-département datasets (`make bench`, docs/banc.md).

Runs under `config.settings.banc`: alias "default" holds the national dataset, alias "loire" the Loire's, both
filled by `banc_generer`. Prints one markdown table and writes it, with a JSON twin, to `--sortie`; `--comparer`
prints the deltas with a previous run's JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from comptes.models import User
from demo.banc import mesure
from demo.banc.routeur import sur


class Command(BaseCommand):
    help = "Mesure les pages clés sur le jeu national et sur celui d’un département (banc d’essai)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--repetitions", type=int, default=30, help="Requêtes mesurées par couple (≥ 1).")
        parser.add_argument("--chauffe", type=int, default=3, help="Tours de chauffe, non comptés.")
        parser.add_argument(
            "--sortie", default="", help="Fichier markdown du tableau (défaut : var/banc/banc-<date>.md)."
        )
        parser.add_argument("--comparer", default="", help="Le JSON d’un banc précédent, pour afficher les écarts.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DATABASE_ROUTERS != ["demo.banc.routeur.RouteurBanc"] or "loire" not in settings.DATABASES:
            raise CommandError(
                "Le banc se lance avec DJANGO_SETTINGS_MODULE=config.settings.banc (deux bases : DATABASE_URL et "
                "BANC_DATABASE_URL_LOIRE)."
            )
        repetitions, chauffe = options["repetitions"], options["chauffe"]
        if repetitions < 1 or chauffe < 0:
            raise CommandError("--repetitions doit valoir au moins 1 et --chauffe au moins 0.")
        avant = None
        if options["comparer"]:
            try:
                avant = json.loads(Path(options["comparer"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as erreur:
                raise CommandError(f"Impossible de lire {options['comparer']} : {erreur}") from erreur
        self._verifier_les_jeux()
        date = timezone.localtime()
        sortie = Path(options["sortie"] or settings.BASE_DIR / "var" / "banc" / f"banc-{date:%Y%m%d-%H%M%S}.md")
        sortie.parent.mkdir(parents=True, exist_ok=True)

        debut = timezone.now()
        # The pairs a role may not see answer 403 or 404 once each: the table says so, without a traceback each.
        journal_requetes = logging.getLogger("django.request")
        niveau = journal_requetes.level
        journal_requetes.setLevel(logging.ERROR)
        try:
            mesures = mesure.mesurer(
                repetitions=repetitions, chauffe=chauffe, progression=lambda m: self.stderr.write(m)
            )
        finally:
            journal_requetes.setLevel(niveau)
        texte, jumeau = mesure.rapport(mesures, repetitions=repetitions, chauffe=chauffe, date=date)
        sortie.write_text(texte, encoding="utf-8")
        mesure.ecrire_json(sortie.with_suffix(".json"), jumeau)
        self.stdout.write(texte)
        if avant is not None:
            self.stdout.write(mesure.comparer(avant, jumeau["lignes"]))
        duree = (timezone.now() - debut).total_seconds()
        self.stderr.write(f"Tableau écrit dans {sortie} (et {sortie.with_suffix('.json').name}), en {duree:.0f} s.")

    def _verifier_les_jeux(self) -> None:
        """Each database is migrated and holds the bench's national account (`banc_generer` ran on it)."""
        for jeu, alias in mesure.JEUX:
            try:
                with sur(alias):
                    pret = User.objects.filter(email=mesure.ROLES[1].email).exists()
            except DatabaseError as erreur:
                raise CommandError(f"La base du jeu {jeu} (alias « {alias} ») est illisible : {erreur}") from erreur
            if not pret:
                raise CommandError(
                    f"La base du jeu {jeu} (alias « {alias} ») ne contient pas le jeu du banc : lancez "
                    "« manage.py banc_generer » sur elle (ou « make bench », qui fait tout)."
                )
