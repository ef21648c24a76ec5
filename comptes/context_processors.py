"""Template context: the current user's roles, computed lazily (no query unless a template uses them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _roles(user: Any) -> dict[str, bool]:
    if not getattr(user, "is_authenticated", False):
        return {"referent": False, "instructeur": False, "national": False}
    return {
        "referent": user.collectifs_referent.exists(),
        "instructeur": hasattr(user, "instructeur"),
        "national": bool(user.est_equipe_nationale),
    }


def roles(request: HttpRequest) -> dict[str, Any]:
    return {"roles": SimpleLazyObject(lambda: _roles(request.user))}
