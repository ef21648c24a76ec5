"""`manage.py processus_reparer`: start the process of each filed declaration that has none (see
`workflow.flows.processus_reparer`; `workflow_timers` runs it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflow import flows


class Command(BaseCommand):
    help = (
        "Démarre le processus d'instruction des déclarations déposées qui n'en ont pas (démarrage échoué après le "
        "dépôt) et l'amène à l'étape correspondant à l'état de la déclaration. Sans effet quand il n'en manque aucun."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        repares = flows.processus_reparer()
        restants = flows.declarations_sans_processus().count()
        self.stdout.write(f"{repares} processus réparé(s), {restants} encore manquant(s).")
