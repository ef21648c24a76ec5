"""Who may do what on campaigns. Pure predicates; deny by default (CONVENTIONS §3.7)."""

from __future__ import annotations

from typing import Any

from instances.enums import EtatCampagne
from instances.models import Campagne


def _connecte(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def est_equipe_nationale(user: Any) -> bool:
    return _connecte(user) and bool(user.est_equipe_nationale)


def est_instructeur(user: Any) -> bool:
    return _connecte(user) and getattr(user, "instructeur", None) is not None


def gere_departement(user: Any, departement_code: str) -> bool:
    """National staff, or an instructeur of this département."""
    if est_equipe_nationale(user):
        return True
    instructeur = getattr(user, "instructeur", None) if _connecte(user) else None
    return instructeur is not None and instructeur.departements.filter(code=departement_code).exists()


def can_voir_campagnes(user: Any) -> bool:
    """National staff and instructeurs see the back-office campaign list."""
    return est_equipe_nationale(user) or est_instructeur(user)


def can_creer_campagne(user: Any, departement_code: str) -> bool:
    """R3: national staff, or an instructeur of the département, create its campaign."""
    return gere_departement(user, departement_code)


def can_modifier_campagne(user: Any, campagne: Campagne) -> bool:
    """R3: the same people edit it until it closes (locked fields are refused by the service once open)."""
    return campagne.etat != EtatCampagne.CLOSE and gere_departement(user, campagne.departement_id)


def can_ouvrir_campagne(user: Any, campagne: Campagne) -> bool:
    """R3: national staff or the département's instructeurs open it."""
    return gere_departement(user, campagne.departement_id)


def can_clore_campagne(user: Any, campagne: Campagne) -> bool:
    """R3: national staff or the département's instructeurs close it."""
    return gere_departement(user, campagne.departement_id)
