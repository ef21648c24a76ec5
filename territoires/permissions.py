"""Départements are public reference data: anyone may read them; nobody edits them (a migration loads them)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser


def can_voir_departements(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Reference data, readable by everyone."""
    return True
