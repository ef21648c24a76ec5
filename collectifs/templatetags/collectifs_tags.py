"""Template filters of the collectifs app."""

from __future__ import annotations

from django import template

from collectifs.enums import EtatDeclaration

register = template.Library()

# DSFR badge colour of each declaration state, one mapping for every page.
BADGES_ETATS: dict[str, str] = {
    EtatDeclaration.BROUILLON: "info",
    EtatDeclaration.AGREEE: "success",
    EtatDeclaration.REFUSEE: "error",
    EtatDeclaration.RETIREE: "error",
    EtatDeclaration.CLASSEE_SANS_SUITE: "error",
    EtatDeclaration.A_COMPLETER: "warning",
    EtatDeclaration.EN_ATTENTE: "warning",
}


@register.filter
def badge_etat(etat: str) -> str:
    """The DSFR badge modifier for a declaration state: `fr-badge--{{ etat|badge_etat }}`."""
    return BADGES_ETATS.get(etat, "new")
