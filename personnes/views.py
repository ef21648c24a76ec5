"""Personal-data pages (R20): a person's own export, a référent's export for a member without an account, and
national staff's search, export and anonymisation. Thin adapters over personnes.selectors and services.

Hidden people give 404 (another person's account, a member of a collectif one cannot see); a visible member one
may not export, or the national pages for anyone else, give 403 (SPEC §9)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from collectifs import permissions as permissions_collectifs
from collectifs.models import Collectif, Membre
from comptes.models import User
from core.ui import donnees_postees, formulaire_traiter
from personnes import services
from personnes.exports import archive_zip
from personnes.forms import AnonymisationForm, RechercheForm
from personnes.selectors import (
    Personne,
    can_anonymiser_personne,
    can_exporter_personne,
    comptes_recherches,
    donnees_de,
    membre_sans_compte,
    membres_recherches,
    personne_du_compte,
    personne_du_membre,
)

RESERVE = "Cette page est réservée à l'équipe nationale."
RESULTATS_MAX = 50


def _zip(personne: Personne, nom: str) -> HttpResponse:
    reponse = HttpResponse(archive_zip(donnees_de(personne)), content_type="application/zip")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}-{timezone.localdate():%Y%m%d}.zip"'
    reponse["Cache-Control"] = "no-store"
    return reponse


@require_GET
def mes_donnees(request: HttpRequest) -> HttpResponse:
    """What the platform holds about the logged-in person, and the download of it."""
    return render(request, "personnes/mes_donnees.html")


@require_GET
def mes_donnees_zip(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # LoginRequiredMiddleware
    return _zip(personne_du_compte(request.user), "mes-donnees")


@require_GET
def membre_zip(request: HttpRequest, pk: int, membre_pk: int) -> HttpResponse:
    """A référent's export for a member of their collectif who has no account (national staff too)."""
    collectif = get_object_or_404(Collectif.objects.select_related("departement"), pk=pk)
    if not permissions_collectifs.can_voir_collectif(request.user, collectif):
        raise Http404
    membre = membre_sans_compte(collectif.pk, membre_pk)
    if membre is None:
        raise Http404
    personne = personne_du_membre(membre)
    if not can_exporter_personne(request.user, personne):
        raise PermissionDenied("Seul·es les référent·es du collectif et l'équipe nationale exportent ces données.")
    return _zip(personne, f"donnees-membre-{membre.pk}")


@require_GET
def recherche(request: HttpRequest) -> HttpResponse:
    """National staff find a person by name or e-mail, to export or anonymise their data."""
    if not can_anonymiser_personne(request.user):
        raise PermissionDenied(RESERVE)
    form = RechercheForm(request.GET or None)
    texte = form.cleaned_data["q"].strip() if form.is_valid() else ""
    comptes = list(comptes_recherches(texte)[:RESULTATS_MAX]) if texte else []
    membres = list(membres_recherches(texte)[:RESULTATS_MAX]) if texte else []
    return render(
        request,
        "personnes/recherche.html",
        {"form": form, "texte": texte, "comptes": comptes, "membres": membres, "maximum": RESULTATS_MAX},
    )


@require_GET
def compte_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """National staff's export of an account (a person exports their own from « Mes données »)."""
    personne = personne_du_compte(get_object_or_404(User, pk=pk))
    if not can_exporter_personne(request.user, personne):
        raise Http404
    return _zip(personne, f"donnees-compte-{pk}")


def _anonymiser(request: HttpRequest, personne: Personne, retour: str) -> HttpResponse:
    return formulaire_traiter(
        request,
        AnonymisationForm(donnees_postees(request)),
        lambda d: services.personne_anonymiser(acteur=request.user, personne=personne, motif=d["motif"]),
        lambda anonymisation: (
            f"La personne est anonymisée : elle apparaît désormais sous le nom « {anonymisation.pseudonyme} »."
        ),
        lambda _anonymisation: retour,
        "personnes/anonymiser.html",
        {"personne": personne, "retour": retour},
    )


@require_http_methods(["GET", "POST"])
def compte_anonymiser(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_anonymiser_personne(request.user):
        raise PermissionDenied(RESERVE)
    personne = personne_du_compte(get_object_or_404(User, pk=pk))
    return _anonymiser(request, personne, reverse("personnes:recherche"))


@require_http_methods(["GET", "POST"])
def membre_anonymiser(request: HttpRequest, pk: int) -> HttpResponse:
    """A member without an account (one with an account is anonymised through the account)."""
    if not can_anonymiser_personne(request.user):
        raise PermissionDenied(RESERVE)
    membre = get_object_or_404(Membre.objects.only("pk", "collectif_id"), pk=pk)
    trouve = membre_sans_compte(membre.collectif_id, membre.pk)
    if trouve is None:
        raise Http404
    return _anonymiser(request, personne_du_membre(trouve), reverse("personnes:recherche"))
