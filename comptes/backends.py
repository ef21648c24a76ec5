"""Authentication by e-mail, case-insensitive."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from comptes.models import User


class EmailBackend(ModelBackend):
    """Log in with the e-mail address (any case) and the password."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        email = username or kwargs.get("email")
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check, against timing attacks
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def identifiant_axes(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """django-axes counts failures per identifier: the e-mail as compared at login (trimmed, lower case),
    so that changing the case does not earn five more tries."""
    valeur = (credentials or {}).get("username") or ""
    return str(valeur).strip().lower()
