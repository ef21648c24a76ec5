"""List the fund's documents a job that died left unissued, and relaunch their issue (R7, SPEC §6: every signed
convention has its Convention triannuelle de financement, every payment its Attestation de versement).

    manage.py documents_fonds               # what is missing
    manage.py documents_fonds --relancer    # queue the issue of the missing documents again

Both jobs are idempotent (the row is locked, the document looked for before it is issued): relaunching a job that
is still waiting in the queue issues nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fonds.selectors.documents import conventions_sans_document, versements_sans_attestation
from fonds.tasks import emettre_attestation_versement, emettre_convention_financement


class Command(BaseCommand):
    help = (
        "Liste les conventions signées sans leur « Convention triannuelle de financement » et les versements sans "
        "leur « Attestation de versement » ; --relancer en relance l'émission."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--relancer",
            action="store_true",
            help="Relancer l'émission de chaque document manquant listé.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        conventions = list(conventions_sans_document())
        versements = list(versements_sans_attestation())
        if not conventions and not versements:
            self.stdout.write(
                self.style.SUCCESS("Toutes les conventions signées et tous les versements ont leurs documents.")
            )
            return
        for convention in conventions:
            self.stdout.write(
                f"Convention {convention.reference} — {convention.beneficiaire} ({convention.departement.nom}), "
                f"signée le {convention.signee_le:%d/%m/%Y} : Convention triannuelle de financement manquante"
            )
            if options["relancer"]:
                emettre_convention_financement.enqueue(convention.pk)
                self.stdout.write(self.style.SUCCESS("  Émission relancée."))
        for versement in versements:
            tranche = versement.tranche
            convention = tranche.convention
            self.stdout.write(
                f"Versement n° {versement.pk} — tranche {tranche.rang} de la convention {convention.reference} "
                f"({convention.beneficiaire}), versée le {versement.date_versement:%d/%m/%Y} : Attestation de "
                "versement manquante"
            )
            if options["relancer"]:
                emettre_attestation_versement.enqueue(versement.pk)
                self.stdout.write(self.style.SUCCESS("  Émission relancée."))
        self.stdout.write(
            f"{len(conventions)} convention(s) signée(s) et {len(versements)} versement(s) avec un document manquant."
        )
