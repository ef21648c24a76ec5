"""Re-issuing a document from its object's current data (R19, R20).

An issued document is never modified: when its content must change (a person named in it was anonymised),
a new numbered document of the same type and series is issued from the object's current data, and the old row
stays. Documents sits below the apps that know how to render each type, so they tell it through this registry
(`reemetteur_enregistrer`, called from an upper app's ``AppConfig.ready()``): type → function giving the title,
template and context of the document for its object, exactly as the issuing module builds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from comptes.models import Acteur
from documents.models import Document
from documents.services import document_emettre


@dataclass(frozen=True)
class Rendu:
    """What `document_emettre` needs to render one document again: its title, template and context."""

    titre: str
    template: str
    contexte: dict[str, object]


Reemetteur = Callable[[models.Model], Rendu]

_REEMETTEURS: dict[str, Reemetteur] = {}


class ReemissionImpossible(ValueError):
    """No registered function renders documents of this type, or the document has no object left."""


def reemetteur_enregistrer(type: str, fonction: Reemetteur) -> None:
    """Register how documents of `type` are rendered for their object (one function per type)."""
    _REEMETTEURS[type] = fonction


def reemetteur_de(type: str) -> Reemetteur | None:
    return _REEMETTEURS.get(type)


def document_reemettre(*, acteur: Acteur | None, document: Document) -> Document:
    """Issue a new numbered document of the same type, series (département, year) and object as `document`,
    rendered from the object's current data. Runs in the caller's transaction (like `document_emettre`); the
    caller decides what becomes of the old one."""
    fonction = reemetteur_de(document.type)
    objet = document.objet
    if fonction is None or objet is None:
        raise ReemissionImpossible(f"Le document {document.numero} ne peut pas être réémis automatiquement.")
    rendu = fonction(objet)
    return document_emettre(
        acteur=acteur,
        type=document.type,
        departement=document.departement,
        annee=document.annee,
        titre=rendu.titre,
        template=rendu.template,
        contexte=rendu.contexte,
        objet=objet,
    )
