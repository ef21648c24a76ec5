"""Reads of the comptes app, scoped to the user: API tokens, and the départements an instructeur serves."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from comptes.models import Acteur, User
from comptes.permissions import connecte, est_equipe_nationale
from territoires.models import Departement
from territoires.selectors import departements


def jeton_de(user: Acteur) -> Token | None:
    """The user's own personal API token, if any; nobody sees another person's token."""
    if not connecte(user):
        return None
    return Token.objects.filter(user=user).first()


def email_pris(email: str, *, sauf: User) -> bool:
    """Whether another account already logs in with this address (compared case-insensitively)."""
    return User.objects.filter(email__iexact=email.strip()).exclude(pk=sauf.pk).exists()


def departements_instruits_par(user: Acteur) -> QuerySet[Departement]:
    """The départements a user instructs; all of them for national staff; none otherwise."""
    if not connecte(user):
        return Departement.objects.none()
    if est_equipe_nationale(user):
        return departements()
    return Departement.objects.filter(instructeurs__user=user)


def emails_des_instructeurs(departement_code: str) -> list[str]:
    """E-mail addresses of the active instructeurs of a département."""
    return list(
        User.objects.filter(instructeur__departements__code=departement_code, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
