"""The client's network address, as login throttling (django-axes) and API throttling (DRF) must see it.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address and X-Forwarded-For is a list that anyone can start:
only the entries appended by our own proxies are trustworthy. With PROXIES_DE_CONFIANCE = N proxies in front of
the application (nginx alone: 1), the client is the N-th address from the right of X-Forwarded-For, the right-most
one no trusted proxy added; whatever a client wrote to the left of it is ignored. With 0 (the default: gunicorn
reached directly, or the development server) the header is ignored altogether."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _adresse_valide(valeur: str) -> bool:
    try:
        ipaddress.ip_address(valeur)
    except ValueError:
        return False
    return True


def ip_client(request: HttpRequest | Request) -> str | None:
    """REMOTE_ADDR, unless PROXIES_DE_CONFIANCE > 0: then the right-most untrusted address of X-Forwarded-For.

    An entry that is not an IP address (a misconfigured proxy) falls back on REMOTE_ADDR."""
    distante: str | None = request.META.get("REMOTE_ADDR")
    proxies = int(settings.PROXIES_DE_CONFIANCE)
    if proxies <= 0:
        return distante
    transmises = [adresse.strip() for adresse in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    transmises = [adresse for adresse in transmises if adresse]
    if not transmises:
        return distante
    # Fewer entries than trusted proxies: the left-most one is the best we have (DRF's NUM_PROXIES rule too).
    candidate = transmises[-min(proxies, len(transmises))]
    return candidate if _adresse_valide(candidate) else distante


class DebitAnonyme(AnonRateThrottle):
    """API requests of anonymous clients, counted per address (as above: behind the trusted proxies only).

    Here rather than in core.api: DRF imports the throttle classes while it builds APIView (no view import)."""

    def get_ident(self, request: Request) -> str:
        return ip_client(request) or ""


class DebitUtilisateur(UserRateThrottle):
    """API requests of an authenticated client, counted per user (per address for an anonymous one)."""

    def get_ident(self, request: Request) -> str:
        return ip_client(request) or ""
