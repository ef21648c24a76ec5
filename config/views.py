"""Pages of the composition root: the public pages (home, health check, accessibility statement, which opt out
of the login requirement) and the dashboard, which reads every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campagnes.enums import EtatCampagne
from campagnes.selectors import campagne_visible_to, campagnes_ouvertes
from collectifs.models import Organisation
from collectifs.selectors import collectifs_du_referent
from comptes.permissions import est_equipe_nationale
from comptes.selectors import departements_instruits_par
from fonds.enums import EtatMiseADisposition
from fonds.models import Financeur
from fonds.permissions import can_voir_fonds
from fonds.selectors.mises_a_disposition import mises_a_disposition_de_l_employeur
from instances.selectors import accompagnements_de
from mutualisation.selectors.donnees import chiffres_nationaux, chiffres_par_departement
from mutualisation.selectors.rencontres import compteurs_rencontres
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
    national = est_equipe_nationale(request.user)
    departements = [] if national else list(departements_instruits_par(request.user))
    return render(
        request,
        "pages/tableau_de_bord.html",
        {
            "collectifs": collectifs_du_referent(request.user),
            "departements": departements,
            "campagnes": campagne_visible_to(request.user).filter(etat=EtatCampagne.OUVERTE)[:20],
            "voit_fonds": can_voir_fonds(request.user),
            # The funder this account reads (an accepted invitation), in one query.
            "financeur": Financeur.objects.filter(acces__utilisateur_id=request.user.pk).first(),
            # R9: the employer this account answers for, and its secondments awaiting an answer.
            "employeur_a_repondre": mises_a_disposition_de_l_employeur(request.user).filter(
                etat=EtatMiseADisposition.DEMANDEE
            ),
            "employeur": Organisation.objects.filter(acces_employeur__utilisateur_id=request.user.pk).first(),
            # R10: the collectifs this accompagnateur follows, with their journal and proxy entries, in one query.
            "accompagnements": list(accompagnements_de(request.user)),
            # R13: the meetings held this year against the target, per département instructed (two queries).
            "compteurs_rencontres": compteurs_rencontres(request.user) if departements else [],
        },
    )
