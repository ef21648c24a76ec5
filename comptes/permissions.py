"""Who may do what on accounts, and the roles every other app's predicates build on.

Roles are never self-declared: they are given by national staff. Pure predicates; deny by default."""

from __future__ import annotations

from typing import TypeGuard

from comptes.models import Acteur, User


def connecte(user: Acteur | None) -> TypeGuard[User]:
    """A logged-in, active person. Every predicate starts from here: deny by default."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_gerer_jeton(user: Acteur) -> bool:
    """Any active, logged-in person manages their own API token (and only theirs)."""
    return connecte(user)


def can_modifier_compte(user: Acteur) -> bool:
    """Any active, logged-in person changes their own name, password and e-mail (and nobody else's)."""
    return connecte(user)


def est_equipe_nationale(user: Acteur) -> bool:
    """National staff (SPEC §2): they see everything and change only national objects."""
    return connecte(user) and bool(getattr(user, "est_equipe_nationale", False))


def est_instructeur(user: Acteur) -> bool:
    """An instructeur of at least one département."""
    return connecte(user) and getattr(user, "instructeur", None) is not None


def est_instructeur_de(user: Acteur, departement_code: str) -> bool:
    """An instructeur of this département."""
    instructeur = getattr(user, "instructeur", None) if connecte(user) else None
    return instructeur is not None and instructeur.departements.filter(code=departement_code).exists()


def gere_departement(user: Acteur, departement_code: str) -> bool:
    """National staff, or an instructeur of this département."""
    return est_equipe_nationale(user) or est_instructeur_de(user, departement_code)
