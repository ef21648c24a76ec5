"""ProConnect (OpenID Connect) for agents, through mozilla-django-oidc; see docs/proconnect.md.

Enabled only when the OIDC_* settings are set (config/settings/base.py). The provider proves who the person is and
nothing more: it never creates an account, and never grants nor changes a role or a flag. It opens an existing, active
account found by its e-mail, and only an agent's (an instructeur, national staff, an active instance member or a
funder's access); a référent of a collectif keeps the local login."""

from __future__ import annotations

import secrets
from enum import StrEnum
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import CharField, Q
from django.http import HttpRequest
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from comptes.models import User

# The session key under which mozilla-django-oidc keeps the ID token (OIDC_STORE_ID_TOKEN): the provider's logout
# needs it as `id_token_hint`.
SESSION_JETON_IDENTITE = "oidc_id_token"


class MotifRefus(StrEnum):
    """Why a ProConnect login did not open a session; the callback page explains each one in French."""

    ECHEC = "echec"  # the provider answered with an error, or the exchange failed
    EMAIL = "email"  # no e-mail, or an e-mail the provider says is not verified
    INCONNU = "inconnu"  # no active account with that e-mail: no account is created
    NON_AGENT = "non_agent"  # an account, but no agent role (e.g. a référent only)


def proconnect_active() -> bool:
    """ProConnect is offered only when the deployment configured it (OIDC_RP_CLIENT_ID set)."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def est_agent(user: User) -> bool:
    """An agent, for ProConnect: an instructeur, national staff, an active instance member, or a person holding a
    funder's access (the roles of comptes.context_processors.Roles); one query."""
    if user.est_equipe_nationale:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(instructeur__isnull=False) | Q(membres_instance__actif=True) | Q(acces_financeur__isnull=False),
        )
        .exists()
    )


def hors_axes(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes (AXES_WHITELIST_CALLABLE): the ProConnect callback neither counts failures nor is locked out.
    Nothing can be guessed there (the code comes from the provider, after it authenticated the person, and the
    state must match the session), and counting refusals per address would lock every agent behind a shared
    address out of ProConnect after five refused référents. The password form stays throttled."""
    correspondance = getattr(request, "resolver_match", None)
    return correspondance is not None and correspondance.view_name == "comptes:proconnect_retour"


def motif_refus(request: HttpRequest) -> MotifRefus:
    """The reason the backend recorded on the request, or a plain failure."""
    return getattr(request, "proconnect_refus", MotifRefus.ECHEC)


class ProConnectBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates an agent's existing account from ProConnect's verified identity, without creating accounts or
    touching roles: only an empty first or last name is filled from the claims."""

    def _refuser(self, motif: MotifRefus) -> None:
        self.request.proconnect_refus = motif

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """An e-mail is required; when the provider says whether it is verified, it must be."""
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip() or claims.get("email_verified", True) is not True:
            self._refuser(MotifRefus.EMAIL)
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        """The active account with that e-mail, in any case (e-mails are unique regardless of case)."""
        email = str(claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        """Find the agent's account; never create one (whatever OIDC_CREATE_USER says)."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        comptes = list(self.filter_users_by_claims(claims)[:2])
        if len(comptes) != 1:
            self._refuser(MotifRefus.INCONNU)
            return None
        user = comptes[0]
        if not est_agent(user):
            self._refuser(MotifRefus.NON_AGENT)
            return None
        return self.update_user(user, claims)

    def get_user(self, user_id: Any) -> User | None:
        """The session's account, as long as it stays active (mozilla-django-oidc's own get_user does not check)."""
        return ModelBackend.get_user(self, user_id)  # type: ignore[return-value]

    def create_user(self, claims: dict[str, Any]) -> None:
        """Accounts are created by invitation only, never from the identity provider."""
        self._refuser(MotifRefus.INCONNU)
        return None

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        """Fill a first or last name left empty (ProConnect's `given_name`, `usual_name`); nothing else changes."""
        champs = []
        for champ, claim in (("prenom", "given_name"), ("nom", "usual_name")):
            valeur = claims.get(claim)
            if not getattr(user, champ) and isinstance(valeur, str) and valeur.strip():
                longueur = cast(CharField, User._meta.get_field(champ)).max_length
                setattr(user, champ, valeur.strip()[:longueur])
                champs.append(champ)
        if champs:
            user.save(update_fields=champs)
        return user


def url_fin_de_session(request: HttpRequest, id_token: str) -> str | None:
    """The provider's end-session URL that brings the person back to the home page, when the deployment configured
    one (OIDC_OP_LOGOUT_ENDPOINT); None otherwise."""
    point = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "") if proconnect_active() else ""
    if not point or not id_token:
        return None
    retour = settings.SITE_URL.rstrip("/") + resolve_url(settings.LOGOUT_REDIRECT_URL)
    parametres = {"id_token_hint": id_token, "state": secrets.token_urlsafe(16), "post_logout_redirect_uri": retour}
    return f"{point}?{urlencode(parametres)}"
