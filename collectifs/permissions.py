"""Who may do what on collectifs and declarations. Pure predicates; deny by default (CONVENTIONS §3.7)."""

from __future__ import annotations

from typing import Any

from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration


def _connecte(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def est_referent(user: Any, collectif: Collectif) -> bool:
    """A référent of this collectif."""
    if not _connecte(user):
        return False
    cache = getattr(collectif, "_prefetched_objects_cache", {})
    if "referents" in cache:
        return any(r.pk == user.pk for r in cache["referents"])
    return collectif.referents.filter(pk=user.pk).exists()


def est_instructeur_de(user: Any, departement_code: str) -> bool:
    """An instructeur of this département."""
    if not _connecte(user):
        return False
    instructeur = getattr(user, "instructeur", None)
    return instructeur is not None and instructeur.departements.filter(code=departement_code).exists()


def can_voir_collectif(user: Any, collectif: Collectif) -> bool:
    """Référents of the collectif and national staff; instructeurs of its département once it has filed
    (the same rule as selectors.collectif_visible_to)."""
    if est_referent(user, collectif) or (_connecte(user) and user.est_equipe_nationale):
        return True
    return (
        est_instructeur_de(user, collectif.departement_id)
        and collectif.declarations.exclude(etat=EtatDeclaration.BROUILLON).exists()
    )


def can_modifier_collectif(user: Any, collectif: Collectif) -> bool:
    """Only the collectif's référents edit it and its members (R1, R20: on behalf of members without e-mail)."""
    return est_referent(user, collectif)


def can_modifier_declaration(user: Any, declaration: Declaration) -> bool:
    """Référents edit their draft; a filed declaration is no longer edited here (R2)."""
    return declaration.etat == EtatDeclaration.BROUILLON and est_referent(user, declaration.collectif)


def can_deposer_declaration(user: Any, declaration: Declaration) -> bool:
    """Référents of the collectif file its declaration (auto-proclamation, R2)."""
    return est_referent(user, declaration.collectif)


def can_retirer_declaration(user: Any, declaration: Declaration) -> bool:
    """Référents of the collectif withdraw it, with a reason (SPEC §5)."""
    return est_referent(user, declaration.collectif)


def can_voir_declaration(user: Any, declaration: Declaration) -> bool:
    """Référents always; instructeurs of the département and national staff once it is filed."""
    if est_referent(user, declaration.collectif):
        return True
    if declaration.etat == EtatDeclaration.BROUILLON:
        return False
    return (_connecte(user) and user.est_equipe_nationale) or est_instructeur_de(
        user, declaration.collectif.departement_id
    )
