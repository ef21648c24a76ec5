"""Helpers shared by every app's permission predicates and services (CONVENTIONS §3.7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied

Utilisateur = TypeVar("Utilisateur")
Objet = TypeVar("Objet")

REFUS = "Vous n'avez pas le droit d'effectuer cette action."


def exiger(autorise: bool, message: str = REFUS) -> None:
    """Services re-check the predicate the view already checked: PermissionDenied (403) when it fails."""
    if not autorise:
        raise PermissionDenied(message)


def permission_fsm(predicat: Callable[[Utilisateur, Objet], bool]) -> Callable[..., bool]:
    """A `can_<verb>_<noun>(user, obj)` predicate as django-fsm's `permission=` callable, which takes
    (obj, user): the model names the predicate itself, so a typo fails at import, not at run time."""

    def verifier(instance: Objet, user: Utilisateur) -> bool:
        return predicat(user, instance)

    verifier.__doc__ = predicat.__doc__
    return verifier
