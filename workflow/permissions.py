"""Who may use the task pages. Pure predicates; deny by default (CONVENTIONS §3.7)."""

from __future__ import annotations

from typing import Any


def can_voir_taches(user: Any) -> bool:
    """The task list is the instructeurs' (R4): they see the tasks of the départements they instruct."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and getattr(user, "instructeur", None) is not None
    )
