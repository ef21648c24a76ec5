"""National fund pages (R8): the funds, a fund's situation per budget year, its envelopes by département and
year, its contributions, its ledger with filters, and the funders with their invitations.

Thin adapters over fonds.services: reading is for national staff (`can_voir_fonds`), or for the instructeurs of
a fund their département manages (`can_gerer_fonds`); writing follows `can_gerer_fonds`, `can_creer_fonds`,
`can_gerer_financeurs` and `can_inviter_financeur`. A funder's account reads its own view only: every page here
answers 403 to it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.pagination import paginer
from core.ui import donnees_postees, formulaire_traiter
from fonds import permissions, services
from fonds.forms.national import (
    AbondementForm,
    FiltresEnveloppesForm,
    FiltresGrandLivreForm,
    FinanceurForm,
    FondsForm,
    InvitationFinanceurForm,
    RepartitionForm,
)
from fonds.models import Financeur, Fonds
from fonds.selectors.tableaux import (
    abondements_du_fonds,
    annees_du_fonds,
    enveloppes_du_fonds,
    financeurs_avec_totaux,
    grand_livre,
    lignes_enveloppes,
    total_des_annees,
)

RESERVE = "Cette page est réservée à l'équipe nationale."


def _exiger_national(request: HttpRequest) -> None:
    if not permissions.can_voir_fonds(request.user):
        raise PermissionDenied(RESERVE)


def _fonds_lisible(request: HttpRequest, pk: int) -> Fonds:
    """The fund, for national staff or the instructeurs of the département that manages it; 403 otherwise."""
    fonds = get_object_or_404(Fonds.objects.select_related("departement"), pk=pk)
    if not (permissions.can_voir_fonds(request.user) or permissions.can_gerer_fonds(request.user, fonds)):
        raise PermissionDenied(RESERVE)
    return fonds


def _fonds_gere(request: HttpRequest, pk: int) -> Fonds:
    fonds = _fonds_lisible(request, pk)
    if not permissions.can_gerer_fonds(request.user, fonds):
        raise PermissionDenied("Ce fonds est géré par d'autres : vous pouvez le consulter, pas le modifier.")
    return fonds


# --- Funds -----------------------------------------------------------------------------------------------------


@require_GET
def fonds_liste(request: HttpRequest) -> HttpResponse:
    _exiger_national(request)
    liste = list(Fonds.objects.select_related("departement").order_by("departement_id", "nom"))
    return render(
        request,
        "fonds/national/fonds_liste.html",
        {"fonds_liste": liste, "peut_creer": permissions.can_creer_fonds(request.user)},
    )


@require_http_methods(["GET", "POST"])
def fonds_nouveau(request: HttpRequest) -> HttpResponse:
    _exiger_national(request)
    if not permissions.can_creer_fonds(request.user):
        raise PermissionDenied(RESERVE)
    return formulaire_traiter(
        request,
        FondsForm(donnees_postees(request)),
        lambda d: services.fonds_creer(acteur=request.user, **d),
        lambda fonds: f"Le fonds « {fonds} » est créé.",
        lambda fonds: redirect("fonds:fonds", fonds.pk),
        "fonds/national/formulaire.html",
        {"titre": "Créer le fonds", "bouton": "Créer le fonds", "retour": reverse("fonds:fonds_liste")},
    )


@require_GET
def fonds_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fonds = _fonds_lisible(request, pk)
    annees = annees_du_fonds(fonds)
    return render(
        request,
        "fonds/national/fonds.html",
        {
            "fonds": fonds,
            "annees": annees,
            "total": total_des_annees(annees),
            "peut_gerer": permissions.can_gerer_fonds(request.user, fonds),
        },
    )


# --- Envelopes -------------------------------------------------------------------------------------------------


@require_GET
def enveloppes(request: HttpRequest, pk: int) -> HttpResponse:
    fonds = _fonds_lisible(request, pk)
    filtres = FiltresEnveloppesForm(request.GET or None)
    page = paginer(request, enveloppes_du_fonds(fonds, **filtres.filtres()))
    return render(
        request,
        "fonds/national/enveloppes.html",
        {
            "fonds": fonds,
            "page": page,
            "enveloppes": lignes_enveloppes(page.lignes),
            "filtres": filtres,
            "peut_gerer": permissions.can_gerer_fonds(request.user, fonds),
        },
    )


@require_http_methods(["GET", "POST"])
def enveloppe_repartir(request: HttpRequest, pk: int) -> HttpResponse:
    fonds = _fonds_gere(request, pk)
    return formulaire_traiter(
        request,
        RepartitionForm(donnees_postees(request)),
        lambda d: services.enveloppe_repartir(acteur=request.user, fonds=fonds, **d),
        lambda enveloppe: f"Répartition enregistrée : {enveloppe}.",
        lambda _: redirect("fonds:enveloppes", fonds.pk),
        "fonds/national/formulaire.html",
        {
            "fonds": fonds,
            "titre": "Répartir le fonds dans une enveloppe",
            "intro": "L'argent fléché vers le département est pris d'abord, puis l'argent non fléché de l'année.",
            "bouton": "Répartir",
            "retour": reverse("fonds:enveloppes", args=[fonds.pk]),
        },
    )


# --- Contributions ---------------------------------------------------------------------------------------------


@require_GET
def abondements(request: HttpRequest, pk: int) -> HttpResponse:
    fonds = _fonds_lisible(request, pk)
    page = paginer(request, abondements_du_fonds(fonds))
    return render(
        request,
        "fonds/national/abondements.html",
        {
            "fonds": fonds,
            "page": page,
            "abondements": page.lignes,
            "peut_gerer": permissions.can_gerer_fonds(request.user, fonds),
        },
    )


@require_http_methods(["GET", "POST"])
def abondement_nouveau(request: HttpRequest, pk: int) -> HttpResponse:
    fonds = _fonds_gere(request, pk)
    return formulaire_traiter(
        request,
        AbondementForm(donnees_postees(request)),
        lambda d: services.abondement_enregistrer(acteur=request.user, fonds=fonds, **d),
        lambda abondement: f"Abondement enregistré : {abondement}.",
        lambda _: redirect("fonds:abondements", fonds.pk),
        "fonds/national/formulaire.html",
        {
            "fonds": fonds,
            "titre": "Enregistrer un abondement",
            "bouton": "Enregistrer l'abondement",
            "retour": reverse("fonds:abondements", args=[fonds.pk]),
        },
    )


# --- Ledger ----------------------------------------------------------------------------------------------------


@require_GET
def grand_livre_page(request: HttpRequest, pk: int) -> HttpResponse:
    fonds = _fonds_lisible(request, pk)
    filtres = FiltresGrandLivreForm(request.GET or None)
    page = paginer(request, grand_livre(fonds, **filtres.filtres()))
    return render(
        request,
        "fonds/national/grand_livre.html",
        {"fonds": fonds, "page": page, "ecritures": page.lignes, "filtres": filtres},
    )


# --- Funders ---------------------------------------------------------------------------------------------------


@require_GET
def financeurs(request: HttpRequest) -> HttpResponse:
    _exiger_national(request)
    page = paginer(request, financeurs_avec_totaux())
    return render(
        request,
        "fonds/national/financeurs.html",
        {
            "page": page,
            "financeurs": page.lignes,
            "peut_creer": permissions.can_gerer_financeurs(request.user),
            "peut_inviter": permissions.can_inviter_financeur(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def financeur_nouveau(request: HttpRequest) -> HttpResponse:
    _exiger_national(request)
    if not permissions.can_gerer_financeurs(request.user):
        raise PermissionDenied(RESERVE)
    return formulaire_traiter(
        request,
        FinanceurForm(donnees_postees(request)),
        lambda d: services.financeur_creer(acteur=request.user, **d),
        lambda financeur: f"Le financeur « {financeur} » est enregistré.",
        lambda _: redirect("fonds:financeurs"),
        "fonds/national/formulaire.html",
        {
            "titre": "Enregistrer un financeur",
            "bouton": "Enregistrer le financeur",
            "retour": reverse("fonds:financeurs"),
        },
    )


@require_http_methods(["GET", "POST"])
def financeur_inviter(request: HttpRequest, pk: int) -> HttpResponse:
    _exiger_national(request)
    if not permissions.can_inviter_financeur(request.user):
        raise PermissionDenied(RESERVE)
    financeur = get_object_or_404(Financeur, pk=pk)
    acces = list(financeur.acces.select_related("utilisateur").order_by("-invite_le", "-pk"))
    return formulaire_traiter(
        request,
        InvitationFinanceurForm(donnees_postees(request)),
        lambda d: services.financeur_inviter(acteur=request.user, financeur=financeur, **d),
        lambda invitation: f"Invitation envoyée à {invitation.email}.",
        lambda _: redirect("fonds:financeur_inviter", financeur.pk),
        "fonds/national/financeur_inviter.html",
        {"financeur": financeur, "acces": acces},
    )
