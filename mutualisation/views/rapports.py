"""Pages of the national report (R15), national staff only: the list of the reports with the launch form, the
report's page with its job's progress, and the result (figures, missing départements, map, charts, PDF, open data).

The progress works without JavaScript: while the job runs, the page asks the browser to reload it every few seconds
(<meta http-equiv="refresh"> inside <noscript>, so it only applies without JavaScript; « Arrêter l'actualisation »
turns it off, RGAA 13.1) and always offers an « Actualiser » link. With JavaScript, htmx polls the progress fragment
every 2 s and swaps it in place; when the job ends, the fragment asks htmx to reload the whole page (HX-Refresh)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.ui import appliquer_erreurs
from documents.views import reponse_pdf
from fonds.models.fonds import ANNEE_MAX
from mutualisation.forms.syntheses import LancerRapportForm
from mutualisation.models import RapportNational
from mutualisation.permissions import syntheses as permissions
from mutualisation.selectors.rapports import (
    COLONNES_OUVERTES,
    carte_rapport,
    donnees_ouvertes,
    graphiques_rapport,
    lignes_comparaison,
    lignes_totaux,
    rapports_visibles,
    tableau_departements,
)
from mutualisation.services import rapports as services
from mutualisation.services.travaux import progression

ACTUALISATION_SECONDES = 3


def _exiger_lecteur(request: HttpRequest) -> None:
    if not permissions.can_voir_rapports(request.user):
        raise PermissionDenied("Les rapports nationaux sont ceux de l'équipe nationale.")


def _liste(request: HttpRequest, form: LancerRapportForm | None = None, status: int = 200) -> HttpResponse:
    _exiger_lecteur(request)
    return render(
        request,
        "mutualisation/rapports/liste.html",
        {
            "rapports": [
                (r, progression(r.travail) if r.travail else None)
                for r in rapports_visibles(request.user).defer("chiffres", "departements_manquants")
            ],
            "form": form or LancerRapportForm(),
        },
        status=status,
    )


@require_GET
def rapports(request: HttpRequest) -> HttpResponse:
    """R15: the national reports, newest year first, and the form that launches one."""
    return _liste(request)


@require_POST
def rapport_lancer(request: HttpRequest) -> HttpResponse:
    """R15: launch the national report of a year as a background job; its page shows the progress."""
    _exiger_lecteur(request)
    if not permissions.can_lancer_rapport(request.user):
        raise PermissionDenied("Seule l'équipe nationale lance le rapport national.")
    form = LancerRapportForm(request.POST)
    if form.is_valid():
        try:
            rapport = services.rapport_lancer(acteur=request.user, annee=form.cleaned_data["annee"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)  # a bad year next to its field; a job already running on top
        else:
            messages.success(request, f"Rapport national {rapport.annee} lancé : suivez sa progression ci-dessous.")
            return redirect(reverse("mutualisation:rapport", args=[rapport.annee]))
    return _liste(request, form=form, status=422)


def _rapport(request: HttpRequest, annee: int) -> RapportNational:
    if annee > ANNEE_MAX:  # a number the database cannot hold is « not found », not a 500
        raise Http404("Ce rapport n'existe pas.")
    return get_object_or_404(rapports_visibles(request.user), annee=annee)


def _contexte_progression(request: HttpRequest, rapport: RapportNational) -> dict[str, Any]:
    etat = progression(rapport.travail) if rapport.travail is not None else None
    erreurs = rapport.travail.erreurs if rapport.travail is not None else []
    return {
        "derniere_erreur": erreurs[-1].get("message", "") if erreurs else "",
        "rapport": rapport,
        "progression": etat,
        "actualiser": etat is not None and etat.actif and request.GET.get("actualisation") != "non",
        "secondes": ACTUALISATION_SECONDES,
    }


@require_GET
def rapport(request: HttpRequest, annee: int) -> HttpResponse:
    """R15: the report's page: the job's progress while it runs, then the result."""
    objet = _rapport(request, annee)
    contexte = _contexte_progression(request, objet)
    if objet.genere_le is not None:
        entetes, lignes = tableau_departements(objet.chiffres)
        contexte.update(
            {
                "chiffres": objet.chiffres,
                "totaux": lignes_totaux(objet.chiffres),
                "comparaison": lignes_comparaison(objet.chiffres),
                "manquants": objet.departements_manquants,
                "carte": carte_rapport(objet.chiffres),
                "graphiques": graphiques_rapport(objet.chiffres),
                "entetes": entetes,
                "lignes": lignes,
            }
        )
    return render(request, "mutualisation/rapports/rapport.html", contexte)


@require_GET
def rapport_progression(request: HttpRequest, annee: int) -> HttpResponse:
    """R15: the progress fragment that htmx polls every 2 s. When the job is no longer running, htmx is asked to
    reload the page (to show the result or the error)."""
    objet = _rapport(request, annee)
    contexte = _contexte_progression(request, objet)
    reponse = render(request, "mutualisation/rapports/_progression.html", contexte)
    if request.headers.get("HX-Request") and not (contexte["progression"] and contexte["progression"].actif):
        reponse["HX-Refresh"] = "true"
    return reponse


@require_POST
def rapport_relancer(request: HttpRequest, annee: int) -> HttpResponse:
    """R15: launch the report of this year again (after a failure, a stale job, or to include a synthesis
    transmitted since)."""
    objet = _rapport(request, annee)
    if not permissions.can_lancer_rapport(request.user):
        raise PermissionDenied("Seule l'équipe nationale lance le rapport national.")
    try:
        services.rapport_lancer(acteur=request.user, annee=objet.annee)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, f"Rapport national {objet.annee} relancé.")
    return redirect(reverse("mutualisation:rapport", args=[objet.annee]))


def _genere(request: HttpRequest, annee: int) -> RapportNational:
    objet = _rapport(request, annee)
    if objet.genere_le is None:
        raise Http404("Ce rapport n'a pas encore été généré.")
    return objet


@require_GET
def rapport_pdf(request: HttpRequest, annee: int) -> HttpResponse:
    """R15: the PDF « Rapport national de capitalisation » (the latest issued)."""
    objet = _genere(request, annee)
    if objet.document is None:
        raise Http404("Le PDF de ce rapport n'est pas encore émis.")
    return reponse_pdf(objet.document)


@require_GET
def rapport_csv(request: HttpRequest, annee: int) -> HttpResponse:
    """R15, SPEC §7: the consolidated figures per département, open-data CSV (comma, UTF-8 without BOM, header)."""
    objet = _genere(request, annee)
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(tampon, fieldnames=COLONNES_OUVERTES, lineterminator="\n")
    ecrivain.writeheader()
    for ligne in donnees_ouvertes(objet):
        ecrivain.writerow(
            {**ligne, "synthese_transmise": "oui" if ligne["synthese_transmise"] else "non"}
            | {k: ("" if v is None else v) for k, v in ligne.items() if k != "synthese_transmise"}
        )
    reponse = HttpResponse(tampon.getvalue().encode(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="rapport-national-{objet.annee}.csv"'
    return reponse


@require_GET
def rapport_json(request: HttpRequest, annee: int) -> HttpResponse:
    """R15, SPEC §7: the same figures as JSON, with the national totals and the missing départements."""
    objet = _genere(request, annee)
    donnees = {
        "annee": objet.annee,
        "genere_le": objet.genere_le.isoformat() if objet.genere_le else None,
        "totaux": objet.chiffres.get("totaux", {}),
        "departements_manquants": objet.departements_manquants,
        "departements": donnees_ouvertes(objet),
    }
    reponse = HttpResponse(json.dumps(donnees, ensure_ascii=False, indent=1).encode(), content_type="application/json")
    reponse["Content-Disposition"] = f'attachment; filename="rapport-national-{objet.annee}.json"'
    return reponse
