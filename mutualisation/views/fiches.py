"""Back-office pages of the practice sheets (R14): a collectif's sheets and the form to write one (its référents;
its accompagnateur with its consent, R10, R20), a sheet's page where it is saved, proposed, examined (the
département's instructeurs publish it or return it with a comment) and retained (national staff), the lists of a
département's sheets to examine and of the published sheets to retain, and the closing of a convention at the end
of its three-year cycle (SPEC §5).

Thin adapters over `mutualisation.services.fiches`: a scoped selector fetches (404 when hidden), a predicate gives
403 when visible but not allowed, one service writes. Field errors stay next to their field with the input kept
(422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collectifs.models import Collectif
from collectifs.selectors import collectif_visible_to
from comptes.models import Acteur
from core.exceptions import ActionImpossible
from core.ui import appliquer_erreurs
from fonds import permissions as permissions_fonds
from fonds.selectors.visibilite import conventions_visibles
from journal.fsm import historique
from mutualisation.enums import EtatFiche
from mutualisation.filtres import ListeFichesDepartement, ListeFichesNationales
from mutualisation.forms.fiches import APPROCHE, FicheForm, RetourFicheForm
from mutualisation.models import FichePratique
from mutualisation.permissions import fiches as permissions
from mutualisation.selectors import fiches as selecteurs
from mutualisation.services import fiches as services
from territoires.models import Departement

# Where the services' consent errors go in the form.
RENVOIS = {
    "consentement": "consentement_pour",
    "pour_le_compte_de": "consentement_pour",
    "mode": "consentement_mode",
    "precision": "consentement_precision",
    "recueilli_le": "consentement_le",
}


def _collectif(request: HttpRequest, pk: int) -> Collectif:
    return get_object_or_404(collectif_visible_to(request.user), pk=pk)


def _fiche(request: HttpRequest, pk: int) -> FichePratique:
    """The sheet if the user reads it in the back office (404 otherwise)."""
    return get_object_or_404(selecteurs.fiches_visibles(request.user), pk=pk)


def _erreurs_en_messages(request: HttpRequest, erreur: ValidationError | ActionImpossible) -> None:
    for message in erreur.messages if isinstance(erreur, ValidationError) else [str(erreur)]:
        messages.error(request, message)


@require_GET
def fiches_collectif(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: the collectif's sheets (every state for its référents and accompagnateur), and what its convention still
    misses to close its three-year cycle (SPEC §5)."""
    collectif = _collectif(request, pk)
    fiches = selecteurs.fiches_visibles(request.user).filter(collectif=collectif).order_by("-modifiee_le", "-pk")
    return render(
        request,
        "mutualisation/fiches/collectif.html",
        {
            "collectif": collectif,
            "fiches": list(fiches),
            "peut_creer": permissions.can_creer_fiche(request.user, collectif),
            "convention": selecteurs.convention_de_la_fiche(collectif),
        },
    )


def _page_formulaire(request: HttpRequest, collectif: Collectif, form: FicheForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "mutualisation/fiches/nouvelle.html",
        {"collectif": collectif, "form": form, "approche": APPROCHE},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def fiche_nouvelle(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: start a sheet (the collectif's référents; its accompagnateur on its behalf, with its consent)."""
    collectif = _collectif(request, pk)
    if not permissions.can_creer_fiche(request.user, collectif):
        raise PermissionDenied("Seul·es les référent·es du collectif, ou son accompagnateur·rice, rédigent ses fiches.")
    pour_le_compte = permissions.redige_pour_le_compte(request.user, collectif)
    if request.method == "GET":
        form = FicheForm(initial={"annee": timezone.localdate().year}, pour_le_compte=pour_le_compte)
        return _page_formulaire(request, collectif, form)
    form = FicheForm(request.POST, pour_le_compte=pour_le_compte)
    if form.is_valid():
        try:
            fiche = services.fiche_creer(
                acteur=request.user, collectif=collectif, donnees=form.donnees(), consentement=form.consentement()
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur, RENVOIS)
        else:
            messages.success(
                request, "Brouillon enregistré : vous pouvez le reprendre, puis le proposer au département."
            )
            return redirect(reverse("mutualisation:fiche", args=[fiche.pk]))
    return _page_formulaire(request, collectif, form, status=422)


def _formulaire(user: Acteur, fiche: FichePratique, data: Any = None) -> FicheForm | None:
    if not permissions.can_rediger_fiche(user, fiche):
        return None
    return FicheForm(
        data,
        initial=FicheForm.initial_de(fiche),
        pour_le_compte=permissions.redige_pour_le_compte(user, fiche.collectif),
    )


def _page(
    request: HttpRequest,
    fiche: FichePratique,
    *,
    form: FicheForm | None = None,
    retour: RetourFicheForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    examiner = permissions.can_examiner_fiche(user, fiche)
    return render(
        request,
        "mutualisation/fiches/fiche.html",
        {
            "fiche": fiche,
            "themes": list(fiche.themes.all()),
            "form": form or _formulaire(user, fiche),
            "approche": APPROCHE,
            "examiner": examiner,
            "retour": retour or (RetourFicheForm(prefix="retour") if examiner else None),
            "retenir": permissions.can_retenir_fiche(user, fiche),
            "publique": permissions.est_publique(fiche),
            "historique": [
                {"ligne": ligne, "etat": dict(EtatFiche.choices).get(ligne.cible, ligne.cible)}
                for ligne in historique(fiche)
            ],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def fiche(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: the sheet's back-office page; POST saves the draft (« enregistrer ») or saves and proposes it
    (« proposer »)."""
    objet = _fiche(request, pk)
    if request.method == "GET":
        return _page(request, objet)
    if not permissions.can_rediger_fiche(request.user, objet):
        raise PermissionDenied("Seul·es les référent·es du collectif, ou son accompagnateur·rice, rédigent sa fiche.")
    form = _formulaire(request.user, objet, request.POST)
    assert form is not None
    proposer = request.POST.get("action") == "proposer"
    if form.is_valid():
        try:
            services.fiche_enregistrer(
                acteur=request.user, fiche=objet, donnees=form.donnees(), consentement=form.consentement()
            )
            if proposer:
                services.fiche_proposer(acteur=request.user, fiche=objet)
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur, RENVOIS)
        else:
            messages.success(
                request,
                "Fiche proposée au département : ses instructeur·rices l'examinent."
                if proposer
                else "Brouillon enregistré : vous pouvez le reprendre plus tard.",
            )
            return redirect(reverse("mutualisation:fiche", args=[objet.pk]))
    return _page(request, _fiche(request, pk), form=form, status=422)


def _fiche_examinee(request: HttpRequest, pk: int) -> FichePratique:
    objet = _fiche(request, pk)
    if not permissions.can_examiner_fiche(request.user, objet):
        raise PermissionDenied("Seul·es les instructeur·rices du département examinent une fiche proposée.")
    return objet


@require_POST
def fiche_publier(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: publish the proposed sheet in the public catalogue."""
    objet = _fiche_examinee(request, pk)
    try:
        services.fiche_publier(acteur=request.user, fiche=objet)
    except (ValidationError, ActionImpossible) as erreur:
        _erreurs_en_messages(request, erreur)
    else:
        messages.success(request, "Fiche publiée : elle figure dans le catalogue public des pratiques inspirantes.")
    return redirect(reverse("mutualisation:fiche", args=[objet.pk]))


@require_POST
def fiche_retourner(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: return the proposed sheet to the collectif, with a comment."""
    objet = _fiche_examinee(request, pk)
    form = RetourFicheForm(request.POST, prefix="retour")
    if form.is_valid():
        try:
            services.fiche_retourner(acteur=request.user, fiche=objet, message=form.cleaned_data["message"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Fiche renvoyée au collectif avec votre commentaire.")
            return redirect(reverse("mutualisation:fiche", args=[objet.pk]))
    return _page(request, objet, retour=form, status=422)


@require_POST
def fiche_retenir(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: national staff retain the published sheet for the national capitalisation."""
    objet = _fiche(request, pk)
    if not permissions.can_retenir_fiche(request.user, objet):
        raise PermissionDenied("Seule l'équipe nationale retient une fiche publiée.")
    try:
        services.fiche_retenir(acteur=request.user, fiche=objet)
    except (ValidationError, ActionImpossible) as erreur:
        _erreurs_en_messages(request, erreur)
    else:
        messages.success(request, "Fiche retenue pour la capitalisation nationale.")
    return redirect(reverse("mutualisation:fiche", args=[objet.pk]))


@require_GET
def fiches_departement(request: HttpRequest, code: str) -> HttpResponseBase:
    """R14: a département's sheets, the proposed ones first, for its instructeurs to examine (and national staff):
    searched, filtered, sorted, 50 a page, exported (`mutualisation.filtres.ListeFichesDepartement`)."""
    departement = get_object_or_404(Departement, code=code)
    if not permissions.can_voir_fiches_departement(request.user, departement.code):
        raise PermissionDenied("Cette liste est réservée aux instructeur·rices du département.")
    liste = ListeFichesDepartement(request, selecteurs.fiches_du_departement(departement.code), user=request.user)
    if (export := liste.export()) is not None:
        return export
    return render(
        request,
        "mutualisation/fiches/liste.html",
        {
            "titre": f"Fiches pratiques — {departement.nom} ({departement.code})",
            "introduction": "Les fiches proposées par les collectifs du département, à publier ou à renvoyer avec "
            "un commentaire, puis celles déjà publiées.",
            "page": liste.page(),
            "liste": liste,
        },
    )


@require_GET
def fiches_nationales(request: HttpRequest) -> HttpResponseBase:
    """R14: every published sheet, to retain for the national capitalisation (national staff): searched, filtered,
    sorted, 50 a page, exported (`mutualisation.filtres.ListeFichesNationales`)."""
    if not permissions.can_voir_fiches_nationales(request.user):
        raise PermissionDenied("Cette liste est réservée à l'équipe nationale.")
    liste = ListeFichesNationales(request, selecteurs.fiches_nationales(), user=request.user)
    if (export := liste.export()) is not None:
        return export
    return render(
        request,
        "mutualisation/fiches/liste.html",
        {
            "titre": "Fiches pratiques publiées — capitalisation nationale",
            "introduction": "Les fiches publiées par les départements : retenez celles qui nourriront la "
            "capitalisation nationale.",
            "page": liste.page(),
            "liste": liste,
        },
    )


@require_POST
def convention_cloturer(request: HttpRequest, pk: int) -> HttpResponse:
    """SPEC §5: the département's instructeurs close the convention at the end of its three-year cycle; what is
    still missing is said otherwise."""
    convention = get_object_or_404(conventions_visibles(request.user), pk=pk)
    if not permissions_fonds.can_gerer_convention(request.user, convention):
        raise PermissionDenied("Seul·es les instructeur·rices du département clôturent une convention.")
    try:
        services.convention_cloturer(acteur=request.user, convention=convention)
    except (ValidationError, ActionImpossible) as erreur:
        _erreurs_en_messages(request, erreur)
    else:
        messages.success(request, "Convention clôturée : le cycle de trois ans du collectif est terminé.")
    return redirect(reverse("fonds:convention", args=[convention.pk]))
