"""`manage.py workflow_timers`: viewflow's timer dispatcher, then the repair of missing processes.

It replaces viewflow's command of the same name (the `workflow` app is listed before `viewflow` in
INSTALLED_APPS for this reason); its first line of output stays viewflow's."""

from __future__ import annotations

from typing import Any

from viewflow.management.commands.workflow_timers import Command as CommandeViewflow

from fonds.services import conformites_reverifier
from workflow import flows, flux_bilans, flux_conformite


class Command(CommandeViewflow):  # type: ignore[misc]  # viewflow ships no type hints
    help = (
        "Déclenche les minuteurs échus des processus (rappels, échéances), puis démarre le processus des "
        "déclarations déposées qui n'en ont pas (voir `processus_reparer`)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Repaired first: a process started here gets its timers, and the overdue ones fire in this same run.
        repares = flows.processus_reparer()
        # R12: compositions changed by the calendar alone (a membership ended yesterday), then the missing
        # processes of non-compliant conventions, whose grace-period timers fire below.
        conformites = conformites_reverifier()
        repares += flux_conformite.processus_reparer()
        # R11: the missing processes of the yearly check-ins, whose reminders and lateness timers fire below.
        repares += flux_bilans.processus_reparer()
        super().handle(*args, **options)
        self.stdout.write(f"{repares} processus réparé(s)")
        self.stdout.write(f"{conformites} convention(s) dont la conformité de la composition a changé")
