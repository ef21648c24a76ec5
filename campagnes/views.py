"""Campaign pages (R3): list, detail, create, edit, open, close.

Thin adapters over campagnes.services: a form validates, a scoped selector fetches (404 when hidden), a
predicate gives 403 when visible but not allowed, one service writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campagnes import permissions, selectors, services
from campagnes.forms import CHAMPS, CampagneForm
from campagnes.models import Campagne
from comptes.selectors import departements_instruits_par
from core.pagination import paginer
from core.ui import appliquer_erreurs
from journal.fsm import transitions_disponibles


def _exiger_acces(request: HttpRequest) -> None:
    if not permissions.can_voir_campagnes(request.user):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices et à l'équipe nationale.")


# The columns of the campaign list (`campagnes/campagnes.html`).
COLONNES_CAMPAGNES = (
    "annee",
    "etat",
    "quota",
    "enveloppe_annuelle",
    "date_ouverture",
    "date_cloture",
    "departement__code",
    "departement__nom",
)


@require_GET
def campagnes(request: HttpRequest) -> HttpResponse:
    _exiger_acces(request)
    # One page of 50 rows, with only the columns the table shows, and its total in the same query.
    # The filed count is a subquery rather than a GROUP BY over every campaign: it is computed for the page's rows.
    deposees = (
        Campagne.objects.filter(pk=OuterRef("pk"))
        .annotate(nombre=Count("declarations", filter=~Q(declarations__etat__in=["brouillon", "retiree"])))
        .order_by()
        .values("nombre")
    )
    liste = (
        selectors.campagne_visible_to(request.user)
        .only(*COLONNES_CAMPAGNES)
        .annotate(nombre_deposees=Coalesce(Subquery(deposees), 0))
        .order_by("-annee", "departement__code", "pk")
    )
    page = paginer(request, liste)
    return render(
        request,
        "campagnes/campagnes.html",
        {"campagnes": page.lignes, "page": page, "peut_creer": permissions.can_creer_des_campagnes(request.user)},
    )


@require_GET
def campagne(request: HttpRequest, pk: int) -> HttpResponse:
    _exiger_acces(request)
    objet = get_object_or_404(selectors.campagne_visible_to(request.user), pk=pk)
    return render(
        request,
        "campagnes/campagne.html",
        {
            "campagne": objet,
            "transitions": transitions_disponibles(objet, request.user),
            "peut_modifier": permissions.can_modifier_campagne(request.user, objet),
        },
    )


@require_http_methods(["GET", "POST"])
def campagne_nouvelle(request: HttpRequest) -> HttpResponse:
    _exiger_acces(request)
    if not permissions.can_creer_des_campagnes(request.user):
        raise PermissionDenied("Les campagnes sont créées par les instructeur·rices du département.")
    departements = departements_instruits_par(request.user)
    form = CampagneForm(request.POST or None, departements=departements)
    if request.method == "POST" and form.is_valid():
        donnees = dict(form.cleaned_data)
        try:
            objet = services.campagne_creer(acteur=request.user, **donnees)
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"{objet} créée, en préparation.")
            return redirect("campagnes:campagne", objet.pk)
    return render(request, "campagnes/campagne_form.html", {"form": form, "campagne": None})


@require_http_methods(["GET", "POST"])
def campagne_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    _exiger_acces(request)
    objet = get_object_or_404(selectors.campagne_visible_to(request.user), pk=pk)
    if not permissions.can_modifier_campagne(request.user, objet):
        raise PermissionDenied("Cette campagne ne peut plus être modifiée.")
    form = CampagneForm(request.POST or None, campagne=objet, initial={c: getattr(objet, c) for c in CHAMPS})
    if request.method == "POST" and form.is_valid():
        valeurs = {c: form.cleaned_data[c] for c in CHAMPS if not form.fields[c].disabled}
        try:
            services.campagne_modifier(acteur=request.user, campagne=objet, **valeurs)
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Campagne enregistrée.")
            return redirect("campagnes:campagne", objet.pk)
    return render(request, "campagnes/campagne_form.html", {"form": form, "campagne": objet})


def _transition(request: HttpRequest, pk: int, service: str, succes: str) -> HttpResponse:
    _exiger_acces(request)
    objet: Campagne = get_object_or_404(selectors.campagne_visible_to(request.user), pk=pk)
    try:
        getattr(services, service)(acteur=request.user, campagne=objet)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, succes)
    return redirect("campagnes:campagne", objet.pk)


@require_POST
def campagne_ouvrir(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "campagne_ouvrir", "La campagne est ouverte : les collectifs peuvent déposer.")


@require_POST
def campagne_clore(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "campagne_clore", "La campagne est close.")
