"""Writes of the comptes app: account creation and personal API tokens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token

from comptes.models import Acteur, User, personne
from comptes.permissions import can_gerer_jeton


@transaction.atomic(durable=True)
def utilisateur_inscrire(*, email: str, prenom: str, nom: str, mot_de_passe: str) -> User:
    """Create an account. Roles (référent, instructeur, national) are given elsewhere, never self-declared."""
    return User.objects.create_user(email=email, password=mot_de_passe, prenom=prenom, nom=nom)


@transaction.atomic(durable=True)
def jeton_creer(*, acteur: Acteur) -> Token:
    """Create (or regenerate) the user's personal API token; the old one stops working."""
    utilisateur = personne(acteur)
    if utilisateur is None or not can_gerer_jeton(utilisateur):
        raise PermissionDenied("Connectez-vous pour gérer votre jeton d'accès.")
    Token.objects.filter(user=utilisateur).delete()
    return Token.objects.create(user=utilisateur)


@transaction.atomic(durable=True)
def jeton_revoquer(*, acteur: Acteur) -> int:
    """Revoke the user's personal API token."""
    utilisateur = personne(acteur)
    if utilisateur is None or not can_gerer_jeton(utilisateur):
        raise PermissionDenied("Connectez-vous pour gérer votre jeton d'accès.")
    supprimes, _ = Token.objects.filter(user=utilisateur).delete()
    return supprimes
