"""Pages of the composition root: the public pages (home, health check, accessibility statement, which opt out
of the login requirement) and the dashboard, which reads every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campagnes.selectors import campagnes_ouvertes
from config import tableaux
from mutualisation.selectors.donnees import chiffres_nationaux, chiffres_par_departement
from territoires.models import Departement


@login_not_required
@require_GET
def accueil(request: HttpRequest) -> HttpResponse:
    contexte = {
        "campagnes": campagnes_ouvertes(),
        "chiffres": chiffres_nationaux(),
        "chiffres_departements": chiffres_par_departement(),
    }
    return render(request, "pages/accueil.html", contexte)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers and holds the project's data, 503 otherwise.

    `SELECT 1` is not enough: on SQLite, a deleted database file comes back empty on the next connection, and
    would look healthy. So read a project table and its reference data (the départements, loaded by a migration)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        donnees_presentes = Departement.objects.exists()
    except DatabaseError:
        return JsonResponse({"statut": "indisponible", "base_de_donnees": "injoignable"}, status=503)
    if not donnees_presentes:
        return JsonResponse({"statut": "indisponible", "base_de_donnees": "vide"}, status=503)
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


@require_http_methods(["GET"])
def tableau_de_bord(request: HttpRequest) -> HttpResponse:
    """Each person's home: one block per role held, the most actionable first (config.tableaux)."""
    tableau = tableaux.tableau_de_bord(request.user)
    return render(
        request,
        "pages/tableau_de_bord.html",
        {"blocs": tableau.blocs, "proposer_declaration": tableau.proposer_declaration, "roles": tableau.roles},
    )
