"""API of the collectifs app, one module per sub-domain (CONVENTIONS §2):

- `collectifs`: collectifs, their institutions and composition (R1, R2) ↔ services.collectif;
- `membres`: members in the three colleges (R1, R19, R20) ↔ services.collectif;
- `declarations`: the draft, charter, filing and withdrawal (R1, R2, R16), and `DeclarationViewSet` ↔ services.depot;
- `instruction`: instruction, requests for more, messages, earlier funding (R4, R17), a mixin of
  `DeclarationViewSet` ↔ services.instruction;
- `serializers`: how a declaration and its documents read, shared by the last two.

Callers import from here: `from collectifs.api import CollectifViewSet`."""

from collectifs.api.collectifs import INTROUVABLE, CollectifViewSet, OrganisationSerializer
from collectifs.api.declarations import DeclarationViewSet
from collectifs.api.instruction import InstructionMixin
from collectifs.api.membres import MembreViewSet
from collectifs.api.serializers import (
    DeclarationSerializer,
    DocumentSerializer,
    ReferenceDocumentSerializer,
    url_document,
)

__all__ = [
    "INTROUVABLE",
    "CollectifViewSet",
    "DeclarationSerializer",
    "DeclarationViewSet",
    "DocumentSerializer",
    "InstructionMixin",
    "MembreViewSet",
    "OrganisationSerializer",
    "ReferenceDocumentSerializer",
    "url_document",
]
