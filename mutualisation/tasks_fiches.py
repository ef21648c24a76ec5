"""Jobs of the practice sheets (R14), run by the task worker after commit (CONVENTIONS: nothing slow inside a
request)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_emettre
from mutualisation.documents_fiches import rendu_fiche
from mutualisation.enums import FICHE_PUBLIQUE
from mutualisation.models import FichePratique


@task()
def emettre_fiche_pratique(fiche_id: int) -> str | None:
    """R14, SPEC §6: issue the numbered Fiche pratique PDF of a published sheet, once.

    Numbered FIP-<département>-<year of the sheet>-<sequence>. Idempotent: the sheet's row is locked, then the
    document is looked for before it is issued, so a second run (or two at once) issues nothing more. Returns the
    number issued by this run, or None."""
    with transaction.atomic():
        fiche = (
            FichePratique.objects.select_for_update(of=("self",))
            .select_related("collectif", "departement")
            .get(pk=fiche_id)
        )
        if fiche.etat not in FICHE_PUBLIQUE:
            return None  # never a PDF of a sheet that is not public
        if documents_de(fiche, TypeDocument.FICHE_PRATIQUE).exists():
            return None
        rendu = rendu_fiche(fiche)
        document = document_emettre(
            acteur=None,
            type=TypeDocument.FICHE_PRATIQUE,
            departement=fiche.departement_id,
            annee=fiche.annee,
            titre=rendu.titre,
            template=rendu.template,
            contexte=rendu.contexte,
            objet=fiche,
        )
        return document.numero
