"""Who may do what on accounts. Roles are never self-declared: they are given by national staff."""

from __future__ import annotations

from typing import Any


def can_gerer_jeton(user: Any) -> bool:
    """Any active, logged-in person manages their own API token (and only theirs)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
