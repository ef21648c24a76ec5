"""The blank paper declaration form, for assisted filing (SPEC §2, §6).

Members with no e-mail or little digital ease fill it in on paper; the département's secretariat or
the accompagnateur then enters it on their behalf, with their consent.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from collectifs.composition import Seuils
from collectifs.enums import College
from collectifs.models import NOMBRE_MAX_INDICATEURS, Charte
from collectifs.selectors import charte_courante
from documents.enums import TypeDocument
from documents.models import CODE_NATIONAL, Document
from documents.services import document_emettre

TEMPLATE = "documents/pdf/formulaire_vierge.html"

# Empty rows printed per college: the R1 minimum plus room for a real collectif.
LIGNES_PAR_COLLEGE = {
    College.ELU_RESPONSABLE: 5,
    College.PROFESSIONNEL: 7,
    College.HABITANT: 9,
}
LIGNES_INSTITUTIONS = 4
LIGNES_PAR_TEXTE = 8
LIGNES_TERRITOIRE = 3


def _formulaire_existant(charte: Charte) -> Document | None:
    return (
        Document.objects.filter(
            type=TypeDocument.FORMULAIRE_VIERGE,
            content_type=ContentType.objects.get_for_model(Charte),
            object_id=charte.pk,
        )
        .order_by("emis_le", "pk")
        .first()
    )


def _contexte(charte: Charte) -> dict[str, Any]:
    seuils = Seuils()  # the national defaults; a campaign may set others (R1)
    colleges = [
        {
            "libelle": College(college).label,
            "minimum": seuils.pour(college),
            "lignes": range(1, nombre + 1),
        }
        for college, nombre in LIGNES_PAR_COLLEGE.items()
    ]
    return {
        "charte": charte,
        "colleges": colleges,
        "lignes_institutions": range(1, LIGNES_INSTITUTIONS + 1),
        "lignes_texte": range(LIGNES_PAR_TEXTE),
        "lignes_territoire": range(LIGNES_TERRITOIRE),
        "indicateurs": range(1, NOMBRE_MAX_INDICATEURS + 1),
    }


def formulaire_vierge_obtenir() -> Document:
    """The blank declaration form of the current charter version, issued the first time it is asked for.

    It prints the full text of the charter its signatories adhere to (R16), so there is one form per
    charter version; an issued document is never modified (R19), so a new version gets a new number.
    The charter row is locked so that two first requests do not issue two forms.
    """
    with transaction.atomic():
        charte = Charte.objects.select_for_update().get(pk=charte_courante().pk)
        existant = _formulaire_existant(charte)
        if existant is not None:
            return existant
        return document_emettre(
            acteur=None,
            type=TypeDocument.FORMULAIRE_VIERGE,
            departement=CODE_NATIONAL,
            annee=timezone.localtime(charte.publiee_le).year,
            titre=f"Formulaire de déclaration d'un collectif (charte version {charte.version})",
            template=TEMPLATE,
            contexte=_contexte(charte),
            objet=charte,
        )
