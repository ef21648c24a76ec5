"""Départements are public reference data: anyone may read them; nobody edits them (a migration loads them)."""

from __future__ import annotations

from typing import Any


def can_voir_departements(user: Any) -> bool:
    """Reference data, readable by everyone."""
    return True
