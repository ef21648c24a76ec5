"""Pages of the yearly check-ins (R11): the check-ins of a convention, and the page of one check-in, where the
collectif fills it in, saves it as a draft and files it (the accompagnateur too, with the collectif's consent:
R10, R20), and where the instructeur validates it (the next tranche becomes payable) or returns it « à compléter ».

Thin adapters over fonds.services: a scoped selector fetches (404 when hidden), a predicate gives 403 when
visible but not allowed, one service writes. Field errors stay next to their field with the input kept (422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes.models import Acteur
from core.ui import appliquer_erreurs
from fonds import permissions, services
from fonds.forms.bilans import POURQUOI_AGREGES, BilanForm, RetourBilanForm
from fonds.models import BilanAnnuel, Convention
from fonds.selectors.bilans import bilans_de_convention, bilans_visibles, indicateurs_du_bilan
from fonds.selectors.visibilite import conventions_visibles
from fonds.services.bilans import bilan_est_en_retard

# Where the services' consent errors go in the form.
RENVOIS = {
    "consentement": "consentement_pour",
    "pour_le_compte_de": "consentement_pour",
    "mode": "consentement_mode",
    "precision": "consentement_precision",
    "recueilli_le": "consentement_le",
}


def _bilan(request: HttpRequest, pk: int) -> BilanAnnuel:
    """The check-in if the user reads it (404 otherwise)."""
    return get_object_or_404(bilans_visibles(request.user), pk=pk)


def _formulaire_bilan(user: Acteur, bilan: BilanAnnuel, data: Any = None) -> BilanForm | None:
    if not permissions.can_saisir_bilan(user, bilan):
        return None
    lignes = indicateurs_du_bilan(bilan)
    initial: dict[str, Any] = {
        "recit": bilan.recit,
        "difficultes": bilan.difficultes,
        "niveau_participation": bilan.niveau_participation,
        "nombre_rencontres": bilan.nombre_rencontres,
        "nombre_participants": bilan.nombre_participants,
        "nombre_habitants": bilan.nombre_habitants,
    }
    for ligne in lignes:
        initial[f"indicateur_{ligne.indicateur.pk}"] = ligne.texte
        initial[f"nombre_{ligne.indicateur.pk}"] = ligne.nombre
    return BilanForm(
        data,
        initial=initial,
        indicateurs=[ligne.indicateur for ligne in lignes],
        pour_le_compte=permissions.saisit_pour_le_compte(user, bilan),
    )


def _page(
    request: HttpRequest,
    bilan: BilanAnnuel,
    *,
    form: BilanForm | None = None,
    retour: RetourBilanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    instruire = permissions.can_instruire_bilan(user, bilan)
    contexte = {
        "bilan": bilan,
        "convention": bilan.convention,
        "collectif": bilan.convention.declaration.collectif if bilan.convention.declaration else None,
        "lignes": indicateurs_du_bilan(bilan),
        "form": form or _formulaire_bilan(user, bilan),
        "retour": retour or (RetourBilanForm(prefix="retour") if instruire else None),
        "instruire": instruire,
        "en_retard": bilan_est_en_retard(bilan, timezone.localdate()),
        "pourquoi_agreges": POURQUOI_AGREGES,
        "voir_convention": permissions.can_gerer_convention(user, bilan.convention)
        or getattr(user, "est_equipe_nationale", False),
    }
    return render(request, "fonds/bilans/bilan.html", contexte, status=status)


@require_GET
def bilans_convention(request: HttpRequest, pk: int) -> HttpResponse:
    """R11: the three check-ins of a convention, with their state and due date (two queries)."""
    convention: Convention | None = conventions_visibles(request.user).filter(pk=pk).first()
    if convention is None:
        # The collectif's accompagnateur reads them through the check-ins themselves.
        bilan = get_object_or_404(bilans_visibles(request.user), convention_id=pk, rang=1)
        convention = bilan.convention
    bilans = bilans_de_convention(convention)
    aujourd_hui = timezone.localdate()
    return render(
        request,
        "fonds/bilans/bilans.html",
        {
            "convention": convention,
            "lignes": [{"bilan": b, "en_retard": bilan_est_en_retard(b, aujourd_hui)} for b in bilans],
        },
    )


@require_http_methods(["GET", "POST"])
def bilan(request: HttpRequest, pk: int) -> HttpResponse:
    """R11: the check-in's page; POST saves it as a draft (« enregistrer ») or files it (« deposer »)."""
    objet = _bilan(request, pk)
    if request.method == "GET":
        return _page(request, objet)
    if not permissions.can_saisir_bilan(request.user, objet):
        raise PermissionDenied("Seul·es les référent·es du collectif, ou son accompagnateur·rice, saisissent ce bilan.")
    form = _formulaire_bilan(request.user, objet, request.POST)
    assert form is not None
    deposer = request.POST.get("action") == "deposer"
    if form.is_valid():
        service = services.bilan_deposer if deposer else services.bilan_enregistrer
        try:
            service(acteur=request.user, bilan=objet, donnees=form.donnees(), consentement=form.consentement())
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur, RENVOIS)
        else:
            messages.success(
                request,
                "Bilan déposé : l'instruction l'examine."
                if deposer
                else "Brouillon enregistré : vous pouvez le reprendre plus tard.",
            )
            return redirect(reverse("fonds:bilan", args=[objet.pk]))
    return _page(request, objet, form=form, status=422)


def _bilan_instruit(request: HttpRequest, pk: int) -> BilanAnnuel:
    objet = _bilan(request, pk)
    if not permissions.can_instruire_bilan(request.user, objet):
        raise PermissionDenied("Seul·es les instructeur·rices du département examinent un bilan déposé.")
    return objet


@require_POST
def bilan_valider(request: HttpRequest, pk: int) -> HttpResponse:
    """R11, R7: validate the filed check-in; the next tranche becomes payable when it can."""
    objet = _bilan_instruit(request, pk)
    try:
        services.bilan_valider(acteur=request.user, bilan=objet)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Bilan de l'année {objet.rang} validé.")
    return redirect(reverse("fonds:bilan", args=[objet.pk]))


@require_POST
def bilan_retourner(request: HttpRequest, pk: int) -> HttpResponse:
    """R11: return the filed check-in « à compléter », with a message."""
    objet = _bilan_instruit(request, pk)
    form = RetourBilanForm(request.POST, prefix="retour")
    if form.is_valid():
        try:
            services.bilan_retourner(acteur=request.user, bilan=objet, message=form.cleaned_data["message"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Bilan renvoyé au collectif, à compléter.")
            return redirect(reverse("fonds:bilan", args=[objet.pk]))
    return _page(request, objet, retour=form, status=422)
