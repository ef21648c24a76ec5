"""Who may use the task pages. Pure predicates; deny by default (CONVENTIONS §3.7)."""

from __future__ import annotations

from comptes.models import Acteur
from comptes.permissions import est_instructeur


def can_voir_taches(user: Acteur) -> bool:
    """The task list is the instructeurs' (R4): they see the tasks of the départements they instruct."""
    return est_instructeur(user)
