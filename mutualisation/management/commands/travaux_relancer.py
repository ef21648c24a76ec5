"""List the long jobs whose worker died (stale: no heartbeat for more than two periods), and relaunch them (R15: a
national report is never stuck « en cours »).

    manage.py travaux_relancer               # what is stale
    manage.py travaux_relancer --relancer    # mark each stale job « échoué » and launch it again (cron)

Also the synthesis and practice-sheet PDFs whose issue a dead worker left undone are queued again with --relancer
(idempotent jobs)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand

from documents.enums import TypeDocument
from documents.models import Document
from mutualisation.enums import FICHE_PUBLIQUE, EtatSynthese
from mutualisation.models import FichePratique, SyntheseDepartementale
from mutualisation.services.rapports import rapports_relancer_bloques
from mutualisation.services.travaux import travaux_bloques
from mutualisation.tasks_fiches import emettre_fiche_pratique
from mutualisation.tasks_syntheses import emettre_synthese


def fiches_publiques_sans_pdf() -> list[int]:
    """The public sheets whose Fiche pratique PDF is missing (the worker died before issuing it)."""
    emises = Document.objects.filter(
        type=TypeDocument.FICHE_PRATIQUE, content_type=ContentType.objects.get_for_model(FichePratique)
    ).values("object_id")
    return list(
        FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE).exclude(pk__in=emises).values_list("pk", flat=True)
    )


class Command(BaseCommand):
    help = (
        "Liste les travaux de fond interrompus (worker arrêté) ; --relancer les marque « échoués » et les relance, "
        "et relance l'émission des PDF de synthèses transmises et de fiches publiées qui n'en ont pas."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--relancer", action="store_true", help="Relancer chaque travail interrompu listé.")

    def handle(self, *args: Any, **options: Any) -> None:
        bloques = travaux_bloques()
        sans_pdf = list(
            SyntheseDepartementale.objects.filter(document__isnull=True)
            .exclude(etat=EtatSynthese.BROUILLON)
            .values_list("pk", flat=True)
        )
        for travail in bloques:
            self.stdout.write(f"Interrompu : {travail} (dernier signe de vie : {travail.battement or travail.cree_le})")
        fiches = fiches_publiques_sans_pdf()
        if sans_pdf:
            self.stdout.write(f"{len(sans_pdf)} synthèse(s) transmise(s) sans PDF.")
        if fiches:
            self.stdout.write(f"{len(fiches)} fiche(s) pratique(s) publiée(s) sans PDF.")
        if not options["relancer"]:
            if not bloques and not sans_pdf and not fiches:
                self.stdout.write(self.style.SUCCESS("Aucun travail interrompu."))
            return
        relances = rapports_relancer_bloques()
        for pk in sans_pdf:
            emettre_synthese.enqueue(pk)
        for pk in fiches:
            emettre_fiche_pratique.enqueue(pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(relances)} rapport(s) relancé(s), {len(sans_pdf)} PDF de synthèse relancé(s), "
                f"{len(fiches)} PDF de fiche pratique relancé(s)."
            )
        )
