"""Public pages: home, health check, accessibility statement. They opt out of the login requirement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from instances.selectors import campagnes_ouvertes


@login_not_required
@require_GET
def accueil(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accueil.html", {"campagnes": campagnes_ouvertes()})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"statut": "indisponible", "base_de_donnees": "injoignable"}, status=503)
    return JsonResponse({"statut": "ok", "base_de_donnees": "ok"})


@login_not_required
@require_GET
def accessibilite(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibilite.html")


@login_not_required
@require_GET
def mentions_legales(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/mentions_legales.html")


@login_not_required
@require_GET
def donnees_personnelles(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/donnees_personnelles.html")
