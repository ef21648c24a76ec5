"""Pages of the secondments (R9): a collectif's secondments and the référent's request; a secondment's page with
the employer's answer (acknowledge or decline with a reason) and its convention PDF; the employer's invitation and
own list; the load per employer the instance sees.

Thin adapters over fonds.services: a scoped selector fetches (404 when hidden), a predicate gives 403 when
visible but not allowed, one service writes. Service errors about a field are shown next to it with the input
kept (422)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collectifs.enums import College
from collectifs.models import Collectif
from collectifs.permissions import est_referent
from core.ui import appliquer_erreurs
from documents.views import reponse_pdf
from fonds import permissions, services
from fonds.documents_mad import documents_visibles_de_la_mise, quotite_texte
from fonds.forms.mises_a_disposition import MiseADispositionForm, RefusForm
from fonds.models import AccesEmployeur, MiseADisposition
from fonds.selectors.mises_a_disposition import (
    charge_par_employeur,
    mises_a_disposition_de_l_employeur,
    mises_a_disposition_du_collectif,
    mises_a_disposition_visibles,
)
from fonds.services.mises_a_disposition import convention_du_collectif
from journal.fsm import historique, transitions_disponibles
from territoires.models import Departement


def _collectif(request: HttpRequest, pk: int) -> Collectif:
    """The collectif, for its référents and the instance of its département; hidden (404) from anyone else."""
    collectif = get_object_or_404(Collectif.objects.select_related("departement"), pk=pk)
    if not (
        est_referent(request.user, collectif)
        or permissions.can_voir_charge_employeurs(request.user, collectif.departement_id)
    ):
        raise Http404("Collectif introuvable.")
    return collectif


def _mise(request: HttpRequest, pk: int) -> MiseADisposition:
    return get_object_or_404(mises_a_disposition_visibles(request.user).select_related("convention"), pk=pk)


@require_GET
def mises_a_disposition_collectif(request: HttpRequest, collectif_pk: int) -> HttpResponse:
    """R9: a collectif's secondments, for its référents and the instance."""
    collectif = _collectif(request, collectif_pk)
    return render(
        request,
        "fonds/mises_a_disposition/collectif.html",
        {
            "collectif": collectif,
            "mises": list(mises_a_disposition_du_collectif(request.user, collectif.pk)),
            "peut_demander": permissions.can_demander_mise_a_disposition(request.user, collectif),
        },
    )


@require_http_methods(["GET", "POST"])
def mise_a_disposition_nouvelle(request: HttpRequest, collectif_pk: int) -> HttpResponse:
    """R9: a référent requests a secondment."""
    collectif = _collectif(request, collectif_pk)
    if not permissions.can_demander_mise_a_disposition(request.user, collectif):
        raise PermissionDenied("Seul·es les référent·es du collectif demandent une mise à disposition.")
    membres = collectif.membres.filter(college=College.PROFESSIONNEL).select_related("organisation")
    form = MiseADispositionForm(request.POST or None, membres=membres)
    if request.method == "POST" and form.is_valid():
        try:
            mise = services.mise_a_disposition_demander(
                acteur=request.user,
                collectif=collectif,
                donnees=services.DonneesMiseADisposition(**form.cleaned_data),
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "La demande est envoyée à l'employeur, qui doit en prendre acte avant le début.")
            return redirect("fonds:mise_a_disposition", mise.pk)
    convention = convention_du_collectif(collectif)
    return render(
        request,
        "fonds/mises_a_disposition/formulaire.html",
        {"collectif": collectif, "form": form, "convention": convention},
        status=422 if form.is_bound else 200,
    )


def _page(
    request: HttpRequest, mise: MiseADisposition, refus: RefusForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "fonds/mises_a_disposition/mise_a_disposition.html",
        {
            "mise": mise,
            "quotite": quotite_texte(mise),
            "actions": transitions_disponibles(mise, request.user),
            "refus": refus or RefusForm(),
            "documents": list(documents_visibles_de_la_mise(request.user, mise)),
            "journal": historique(mise),
            "en_vigueur": mise.en_vigueur(),
        },
        status=status,
    )


@require_GET
def mise_a_disposition(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _mise(request, pk))


def _employeur(request: HttpRequest, pk: int) -> MiseADisposition:
    mise = _mise(request, pk)
    if not permissions.can_repondre_mise_a_disposition(request.user, mise):
        raise PermissionDenied("Seul l'employeur de la personne répond à une mise à disposition.")
    return mise


@require_POST
def mise_a_disposition_prendre_acte(request: HttpRequest, pk: int) -> HttpResponse:
    mise = _employeur(request, pk)
    try:
        services.mise_a_disposition_prendre_acte(acteur=request.user, mise=mise)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "Prise d'acte enregistrée : la convention de mise à disposition va être émise.")
    return redirect("fonds:mise_a_disposition", mise.pk)


@require_POST
def mise_a_disposition_decliner(request: HttpRequest, pk: int) -> HttpResponse:
    mise = _employeur(request, pk)
    form = RefusForm(request.POST)
    if form.is_valid():
        try:
            services.mise_a_disposition_decliner(acteur=request.user, mise=mise, motif=form.cleaned_data["motif"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "La mise à disposition est déclinée ; le collectif voit votre motif.")
            return redirect("fonds:mise_a_disposition", mise.pk)
    return _page(request, mise, form, status=422)


@require_POST
def mise_a_disposition_annuler(request: HttpRequest, pk: int) -> HttpResponse:
    mise = _mise(request, pk)
    if not permissions.can_annuler_mise_a_disposition(request.user, mise):
        raise PermissionDenied("Seul·es les référent·es du collectif retirent une demande.")
    try:
        services.mise_a_disposition_annuler(acteur=request.user, mise=mise)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "La demande est retirée.")
    return redirect("fonds:mise_a_disposition", mise.pk)


@require_GET
def mise_a_disposition_document(request: HttpRequest, pk: int, numero: str) -> HttpResponse:
    mise = _mise(request, pk)
    document = get_object_or_404(documents_visibles_de_la_mise(request.user, mise), numero=numero)
    return reponse_pdf(document)


@require_http_methods(["GET", "POST"])
def invitation_employeur(request: HttpRequest, jeton: str) -> HttpResponse:
    acces = get_object_or_404(AccesEmployeur.objects.select_related("organisation", "invite_par"), jeton=jeton)
    erreurs: list[str] = []
    if request.method == "POST":
        try:
            organisation = services.acces_employeur_accepter(acteur=request.user, acces=acces)
        except ValidationError as erreur:
            erreurs = erreur.messages
        else:
            messages.success(request, f"Votre compte répond maintenant pour l'employeur « {organisation} ».")
            return redirect("fonds:employeur")
    return render(
        request,
        "fonds/mises_a_disposition/invitation.html",
        {"acces": acces, "erreurs": erreurs},
        status=422 if erreurs else 200,
    )


@require_GET
def employeur(request: HttpRequest) -> HttpResponse:
    """R9: the employer's own list: the secondments of its organisation, those awaiting an answer first."""
    if permissions.employeur_de(request.user) is None:
        raise PermissionDenied("Cette page est réservée aux employeurs invités par un collectif.")
    mises = list(mises_a_disposition_de_l_employeur(request.user))
    return render(
        request,
        "fonds/mises_a_disposition/employeur.html",
        {"organisation": request.user.acces_employeur.organisation, "mises": mises},  # type: ignore[union-attr]
    )


@require_GET
def charge_employeurs(request: HttpRequest, departement: str) -> HttpResponse:
    """R9: the load per employer the instance sees, per year: people seconded and total quotité."""
    objet = get_object_or_404(Departement, code=departement)
    if not permissions.can_voir_charge_employeurs(request.user, objet.code):
        raise PermissionDenied("Cette page est réservée à l'instance départementale et à ses instructeur·rices.")
    return render(
        request,
        "fonds/mises_a_disposition/charge.html",
        {"departement": objet, "lignes": charge_par_employeur(objet.code), "retour": reverse("tableau_de_bord")},
    )
