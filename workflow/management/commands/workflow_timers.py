"""`manage.py workflow_timers`: viewflow's timer dispatcher, then the repair of missing processes.

It replaces viewflow's command of the same name (the `workflow` app is listed before `viewflow` in
INSTALLED_APPS for this reason); its first line of output stays viewflow's."""

from __future__ import annotations

from typing import Any

from viewflow.management.commands.workflow_timers import Command as CommandeViewflow

from workflow import flows


class Command(CommandeViewflow):  # type: ignore[misc]  # viewflow ships no type hints
    help = (
        "Déclenche les minuteurs échus des processus (rappels, échéances), puis démarre le processus des "
        "déclarations déposées qui n'en ont pas (voir `processus_reparer`)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Repaired first: a process started here gets its timers, and the overdue ones fire in this same run.
        repares = flows.processus_reparer()
        super().handle(*args, **options)
        self.stdout.write(f"{repares} processus réparé(s)")
