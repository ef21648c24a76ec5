"""List the closed séances whose documents (decisions, procès-verbal) are missing, relaunch their issue, and
recover the jobs that issue them (R5: every decision produces its PDF, every séance its minutes).

    manage.py documents_seances               # what is missing, and the state of the jobs
    manage.py documents_seances --relancer    # queue the issue of the missing documents again
    manage.py documents_seances --recuperer   # periodic: stale jobs failed, failed ones retried with backoff
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import TaskResultStatus

from instances.selectors import documents_manquants, seances_documents_manquants
from instances.tasks import (
    ATTENTE_INITIALE,
    BLOQUEE_APRES,
    EN_ATTENTE,
    TENTATIVES_MAX,
    documents_seances_recuperer,
    emettre_documents_seance,
    taches_documents_par_seance,
)


class Command(BaseCommand):
    help = (
        "Liste les séances closes dont des documents (décisions, procès-verbal) manquent ; --relancer en relance "
        "l'émission ; --recuperer (à lancer périodiquement) tient pour arrêtées les tâches d'émission bloquées et "
        "relance celles en échec, avec un délai croissant."
    )

    def add_arguments(self, parser: Any) -> None:
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--relancer",
            action="store_true",
            help="Relancer l'émission des documents manquants de chaque séance listée (sauf tâche déjà en attente).",
        )
        action.add_argument(
            "--recuperer",
            action="store_true",
            help="Récupérer les tâches d'émission bloquées ou en échec (à lancer périodiquement, par exemple "
            "chaque minute).",
        )
        parser.add_argument(
            "--bloquee-apres",
            type=int,
            default=int(BLOQUEE_APRES.total_seconds() // 60),
            metavar="MINUTES",
            help="Avec --recuperer : durée après laquelle une tâche toujours en cours est tenue pour arrêtée "
            "(défaut : %(default)s min).",
        )
        parser.add_argument(
            "--tentatives-max",
            type=int,
            default=TENTATIVES_MAX,
            help="Avec --recuperer : nombre d'échecs après lequel la relance automatique s'arrête "
            "(défaut : %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["recuperer"]:
            self._recuperer(options["bloquee_apres"], options["tentatives_max"])
            return
        taches = taches_documents_par_seance()
        seances = list(seances_documents_manquants())
        if not seances:
            self.stdout.write(self.style.SUCCESS("Toutes les séances closes ont leurs documents."))
            return
        for seance in seances:
            resultats = taches.get(seance.pk, [])
            en_attente = any(r.status in EN_ATTENTE for r in resultats)
            echecs = sum(1 for r in resultats if r.status == TaskResultStatus.FAILED)
            etat = "tâche en attente ou en cours" if en_attente else f"{echecs} échec(s), aucune tâche en attente"
            self.stdout.write(f"Séance n° {seance.pk} — {seance} ({seance.instance.departement}) : {etat}")
            for manquant in documents_manquants(seance):
                self.stdout.write(f"  - {manquant}")
            if options["relancer"] and not en_attente:
                emettre_documents_seance.enqueue(seance.pk)
                self.stdout.write(self.style.SUCCESS("  Émission relancée."))
        self.stdout.write(f"{len(seances)} séance(s) close(s) avec des documents manquants.")

    def _recuperer(self, bloquee_apres: int, tentatives_max: int) -> None:
        if bloquee_apres < 1 or tentatives_max < 1:
            raise CommandError("--bloquee-apres et --tentatives-max doivent être au moins 1.")
        bilan = documents_seances_recuperer(
            bloquee_apres=timedelta(minutes=bloquee_apres),
            tentatives_max=tentatives_max,
            attente_initiale=ATTENTE_INITIALE,
        )
        for seance_id in bilan.interrompues:
            self.stdout.write(f"Séance n° {seance_id} : tâche d'émission bloquée, tenue pour arrêtée.")
        for seance_id, quand in bilan.relancees.items():
            delai = "dès maintenant" if quand is None else f"à partir du {quand:%d/%m/%Y %H:%M:%S %Z}"
            self.stdout.write(f"Séance n° {seance_id} : émission des documents manquants relancée {delai}.")
        for seance_id in bilan.abandonnees:
            self.stderr.write(
                f"Séance n° {seance_id} : l'émission a échoué {tentatives_max} fois ; relancez-la depuis la page de "
                "la séance ou avec « manage.py documents_seances --relancer » après correction."
            )
