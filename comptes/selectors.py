"""Reads of the comptes app, scoped to the user."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token


def jeton_de(user: Any) -> Token | None:
    """The user's own personal API token, if any; nobody sees another person's token."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Token.objects.filter(user_id=user.pk).first()
