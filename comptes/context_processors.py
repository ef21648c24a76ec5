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

    @cached_property
    def president(self) -> bool:
        """Holds the current presidency of an instance they are an active member of (R6)."""
        return self._connecte and self._user.membres_instance.filter(actif=True, presidences__fin__isnull=True).exists()

    @cached_property
    def accompagnateur(self) -> bool:
        """Currently follows at least one collectif (R10)."""
        return self._connecte and self._user.accompagnateurs.filter(affectations__fin__isnull=True).exists()

    @cached_property
    def employeur(self) -> bool:
        """Answers for an employer's secondments (R9)."""
        return self._connecte and self._user.acces_employeur.exists()

    @cached_property
    def financeur(self) -> bool:
        """Reads a funder's view (R8)."""
        return self._connecte and self._user.acces_financeur.exists()

    def renseigner(self, **connus: bool | None) -> None:
        """Record roles a page has already computed, so that reading them costs no query; None leaves a role to
        be computed when read."""
        for role, valeur in connus.items():
            if not isinstance(getattr(type(self), role, None), cached_property):
                raise AttributeError(f"Rôle inconnu : {role}")
            if valeur is not None:
                self.__dict__[role] = valeur


def roles(request: HttpRequest) -> dict[str, Any]:
    return {"roles": Roles(request.user)}
