"""Template context: the current user's roles, each computed lazily (a query only when a template asks)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest


class Roles:
    """The roles the header and dashboards need; each one costs at most one query, and only when read."""

    def __init__(self, user: Any) -> None:
        self._user = user
        self._connecte = bool(getattr(user, "is_authenticated", False))

    @cached_property
    def referent(self) -> bool:
        return self._connecte and self._user.collectifs_referent.exists()

    @cached_property
    def instructeur(self) -> bool:
        return self._connecte and hasattr(self._user, "instructeur")

    @cached_property
    def national(self) -> bool:
        return self._connecte and bool(self._user.est_equipe_nationale)

    @cached_property
    def membre_instance(self) -> bool:
        return self._connecte and self._user.membres_instance.filter(actif=True).exists()


def roles(request: HttpRequest) -> dict[str, Any]:
    return {"roles": Roles(request.user)}
