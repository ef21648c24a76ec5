"""Pages of the departmental syntheses (R15): the list of the syntheses a user reads (with the generation form for
the instructeurs), and the page of one synthesis: its figures and charts, the instance's text, regenerate, transmit,
and its PDF once transmitted.

Thin adapters: a scoped selector fetches (404 when hidden), a predicate gives 403 when visible but not allowed, one
service writes; errors stay next to their field with the input kept (422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes.permissions import est_equipe_nationale
from core.exceptions import ActionImpossible
from core.pagination import paginer
from core.ui import appliquer_erreurs
from documents.views import reponse_pdf
from journal.fsm import transitions_disponibles
from mutualisation.forms.syntheses import GenererSyntheseForm, TexteInstanceForm
from mutualisation.models import SyntheseDepartementale
from mutualisation.permissions import syntheses as permissions
from mutualisation.selectors.syntheses import (
    departements_des_syntheses,
    departements_instruits,
    graphiques_synthese,
    lignes_chiffres,
    syntheses_visibles,
)
from mutualisation.services import syntheses as services


def _liste(request: HttpRequest, form: GenererSyntheseForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    instruits = departements_instruits(user)  # those whose syntheses the user generates (can_generer_synthese)
    departements = departements_des_syntheses(user, instruits)
    if not departements and not est_equipe_nationale(user):
        raise PermissionDenied(
            "Les synthèses départementales sont lues par les instructeur·rices, l'instance et l'équipe nationale."
        )
    syntheses = syntheses_visibles(user, departements).defer("chiffres").order_by("-annee", "departement_id")
    return render(
        request,
        "mutualisation/syntheses/liste.html",
        {
            "page": paginer(request, syntheses),
            "form": form or (GenererSyntheseForm(departements=instruits) if instruits else None),
        },
        status=status,
    )


@require_GET
def syntheses(request: HttpRequest) -> HttpResponse:
    """R15: the syntheses a user reads, newest first; the instructeurs generate one from here."""
    return _liste(request)


@require_POST
def synthese_generer(request: HttpRequest) -> HttpResponse:
    """R15: generate (or regenerate) the figures of a département's synthesis of a year."""
    generes = departements_instruits(request.user)
    if not generes:
        raise PermissionDenied("Seul·es les instructeur·rices du département génèrent sa synthèse.")
    form = GenererSyntheseForm(request.POST, departements=generes)
    if form.is_valid():
        try:
            synthese = services.synthese_generer(
                acteur=request.user, departement=form.cleaned_data["departement"], annee=form.cleaned_data["annee"]
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Chiffres générés à partir des données du dispositif.")
            return redirect(reverse("mutualisation:synthese", args=[synthese.pk]))
    return _liste(request, form=form, status=422)


def _synthese(request: HttpRequest, pk: int) -> SyntheseDepartementale:
    return get_object_or_404(syntheses_visibles(request.user), pk=pk)


def _page(
    request: HttpRequest, synthese: SyntheseDepartementale, form: TexteInstanceForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    rediger = permissions.can_rediger_synthese(user, synthese)
    contexte: dict[str, Any] = {
        "synthese": synthese,
        "departement": synthese.departement,
        "sections": lignes_chiffres(synthese.chiffres),
        "graphiques": graphiques_synthese(synthese.chiffres),
        "form": form or (TexteInstanceForm(initial={"texte_instance": synthese.texte_instance}) if rediger else None),
        "regenerer": synthese.etat == "brouillon" and permissions.can_generer_synthese(user, synthese.departement_id),
        "transmettre": "transmettre" in transitions_disponibles(synthese, user),
    }
    return render(request, "mutualisation/syntheses/synthese.html", contexte, status=status)


@require_http_methods(["GET", "POST"])
def synthese(request: HttpRequest, pk: int) -> HttpResponse:
    """R15: the synthesis's page; POST saves the instance's text."""
    objet = _synthese(request, pk)
    if request.method == "GET":
        return _page(request, objet)
    if not permissions.can_rediger_synthese(request.user, objet):
        raise PermissionDenied(
            "Seul·es les instructeur·rices et la présidence de l'instance rédigent ce texte, tant que la synthèse "
            "n'est pas transmise."
        )
    form = TexteInstanceForm(request.POST)
    if form.is_valid():
        try:
            services.synthese_rediger(acteur=request.user, synthese=objet, texte=form.cleaned_data["texte_instance"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Texte de l'instance enregistré.")
            return redirect(reverse("mutualisation:synthese", args=[objet.pk]))
    return _page(request, objet, form=form, status=422)


@require_POST
def synthese_regenerer(request: HttpRequest, pk: int) -> HttpResponse:
    """R15: regenerate the figures of a draft synthesis from the data (the text is kept)."""
    objet = _synthese(request, pk)
    if not permissions.can_generer_synthese(request.user, objet.departement_id):
        raise PermissionDenied("Seul·es les instructeur·rices du département génèrent sa synthèse.")
    try:
        services.synthese_generer(acteur=request.user, departement=objet.departement, annee=objet.annee)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "Chiffres générés à nouveau à partir des données du dispositif.")
    return redirect(reverse("mutualisation:synthese", args=[objet.pk]))


@require_POST
def synthese_transmettre(request: HttpRequest, pk: int) -> HttpResponse:
    """R15: transmit the synthesis; its figures are frozen."""
    objet = _synthese(request, pk)
    if not permissions.can_transmettre_synthese(request.user, objet):
        raise PermissionDenied("Seul·es les instructeur·rices et la présidence de l'instance transmettent la synthèse.")
    try:
        services.synthese_transmettre(acteur=request.user, synthese=objet)
    except ValidationError as erreur:
        form = TexteInstanceForm({"texte_instance": objet.texte_instance})
        form.is_valid()
        appliquer_erreurs(form, erreur)  # the missing text next to its field, the missing figures on top
        return _page(request, objet, form=form, status=422)
    except ActionImpossible as erreur:
        messages.error(request, str(erreur))
    else:
        messages.success(request, "Synthèse transmise : ses chiffres sont figés. Le PDF est en préparation.")
    return redirect(reverse("mutualisation:synthese", args=[objet.pk]))


@require_GET
def synthese_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """R15: the PDF « Synthèse départementale » of a transmitted synthesis (404 before it is issued)."""
    objet = _synthese(request, pk)
    if objet.document is None:
        raise Http404("Le PDF de cette synthèse n'est pas encore émis.")
    return reponse_pdf(objet.document)
