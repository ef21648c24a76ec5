"""Writes of the comptes app: account creation and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token

from comptes.models import User
from comptes.permissions import can_gerer_jeton


@transaction.atomic(durable=True)
def utilisateur_inscrire(*, email: str, prenom: str, nom: str, mot_de_passe: str) -> User:
    """Create an account. Roles (référent, instructeur, national) are given elsewhere, never self-declared."""
    return User.objects.create_user(email=email, password=mot_de_passe, prenom=prenom, nom=nom)


@transaction.atomic(durable=True)
def jeton_creer(*, acteur: Any) -> Token:
    """Create (or regenerate) the user's personal API token; the old one stops working."""
    if not can_gerer_jeton(acteur):
        raise PermissionDenied("Connectez-vous pour gérer votre jeton d'accès.")
    Token.objects.filter(user=acteur).delete()
    return Token.objects.create(user=acteur)


@transaction.atomic(durable=True)
def jeton_revoquer(*, acteur: Any) -> int:
    """Revoke the user's personal API token."""
    if not can_gerer_jeton(acteur):
        raise PermissionDenied("Connectez-vous pour gérer votre jeton d'accès.")
    supprimes, _ = Token.objects.filter(user=acteur).delete()
    return supprimes
