"""What the instances layer does when a lower layer tells it something happened (CONVENTIONS §2)."""

from __future__ import annotations

from typing import Any

from campagnes.models import Campagne
from comptes.models import Acteur
from instances.services import liste_attente_promouvoir


def sur_place_liberee(sender: Any, *, campagne: Campagne, acteur: Acteur | None = None, **kwargs: Any) -> None:
    """R5: a place freed up in the campaign: promote the waiting list, in the sender's transaction. The promotion
    is the system's, not the withdrawing référent's: the journal rows carry no actor."""
    liste_attente_promouvoir(campagne=campagne)
