"""How each type of issued document is rendered again for its object, registered in documents' registry
(documents.reemission) when the app is ready. Each type maps to the issuing module's own `rendu_*` function (the
single source of its title, template and context), applied to the object's current data: after an anonymisation,
that data carries the pseudonym instead of the name (R20)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from collectifs.services.depot import rendu_recepisse
from collectifs.services.instruction import rendu_demande_complements
from documents.enums import TypeDocument
from documents.reemission import Rendu, reemetteur_enregistrer
from fonds.documents import rendu_attestation, rendu_convention
from fonds.documents_mad import rendu_mise_a_disposition
from instances.tasks import rendu_decision, rendu_proces_verbal
from mutualisation.documents_fiches import rendu_fiche
from mutualisation.tasks_syntheses import rendu_rapport, rendu_synthese


def _recepisse(declaration: Any) -> Rendu:
    # The récépissé lists the members of the day it was filed (collectifs.services.depot).
    jour = timezone.localdate(declaration.deposee_le) if declaration.deposee_le else timezone.localdate()
    return rendu_recepisse(declaration, jour)


# Each function is typed for its own model; the registry passes it the document's object of that model.
REEMETTEURS: tuple[tuple[str, Callable[[Any], Rendu]], ...] = (
    (TypeDocument.RECEPISSE, _recepisse),
    (TypeDocument.DEMANDE_COMPLEMENTS, rendu_demande_complements),
    (TypeDocument.DECISION, rendu_decision),
    (TypeDocument.PROCES_VERBAL, rendu_proces_verbal),
    (TypeDocument.CONVENTION_FINANCEMENT, rendu_convention),
    (TypeDocument.ATTESTATION_VERSEMENT, rendu_attestation),
    (TypeDocument.CONVENTION_MISE_A_DISPOSITION, rendu_mise_a_disposition),
    (TypeDocument.FICHE_PRATIQUE, rendu_fiche),
    (TypeDocument.SYNTHESE_DEPARTEMENTALE, rendu_synthese),
    (TypeDocument.RAPPORT_NATIONAL, rendu_rapport),
)


def enregistrer() -> None:
    """Register every type that can name a person (the blank form names nobody)."""
    for type, fonction in REEMETTEURS:
        reemetteur_enregistrer(type, fonction)
