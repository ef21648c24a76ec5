"""What the fonds layer does when a lower layer tells it something happened (CONVENTIONS §2)."""

from __future__ import annotations

from typing import Any

from campagnes.models import Campagne
from comptes.models import Acteur
from fonds.services.conformite import sur_composition_modifiee
from fonds.services.conventions import sur_declaration_retiree
from fonds.services.reservations import campagne_reserver


def sur_campagne_ouverte(sender: Any, *, campagne: Campagne, acteur: Acteur | None = None, **kwargs: Any) -> None:
    """R3: the campaign opens: reserve its yearly envelope for three budget years, or refuse the opening."""
    campagne_reserver(campagne=campagne, acteur=acteur)


__all__ = ["sur_campagne_ouverte", "sur_composition_modifiee", "sur_declaration_retiree"]
