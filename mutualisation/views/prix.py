"""Pages of the prizes (R18): the prizes a user reads, creating one, the prize's page (nominations, jury, scores,
proclamation; jurors score there, or read « conflit d'intérêts »), and the public page of a year's laureates.

Thin adapters over mutualisation.services.prix: a scoped selector fetches (404 when hidden), a predicate gives 403
when visible but not allowed, one service writes. Field errors stay next to their field with the input kept (422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes.permissions import est_equipe_nationale, est_instructeur
from core.permissions import exiger
from core.ui import appliquer_erreurs
from journal.fsm import transitions_disponibles
from mutualisation.enums import EtatPrix, NiveauPrix
from mutualisation.forms.prix import MembreJuryForm, NominationForm, NoteForm, PrixForm, ProclamationForm
from mutualisation.models import Nomination, Prix
from mutualisation.permissions import prix as permissions
from mutualisation.selectors import prix as selectors
from mutualisation.services import prix as services
from territoires.models import Departement

REFUS = "Seul·es les organisateur·rices du prix (instructeur·rices du département, équipe nationale) font cela."


def _prix(request: HttpRequest, pk: int) -> Prix:
    return get_object_or_404(selectors.prix_visibles(request.user), pk=pk)


def _prix_gere(request: HttpRequest, pk: int) -> Prix:
    prix = _prix(request, pk)
    exiger(permissions.can_gerer_prix(request.user, prix), REFUS)
    return prix


@require_GET
def prix_liste(request: HttpRequest) -> HttpResponse:
    """R18: the prizes the user reads (one query), and the way to create one."""
    return render(
        request,
        "mutualisation/prix/liste.html",
        {
            "liste": list(selectors.prix_visibles(request.user).order_by("-annee", "-niveau", "departement__nom")),
            "creer": est_instructeur(request.user) or est_equipe_nationale(request.user),
        },
    )


def _niveaux(request: HttpRequest) -> list[str]:
    niveaux: list[str] = []
    if est_instructeur(request.user):
        niveaux.append(NiveauPrix.DEPARTEMENTAL)
    if est_equipe_nationale(request.user):
        niveaux.append(NiveauPrix.NATIONAL)
    return niveaux


@require_http_methods(["GET", "POST"])
def prix_nouveau(request: HttpRequest) -> HttpResponse:
    """R18: create a departmental prize (instructeurs) or the national prize (national staff)."""
    niveaux = _niveaux(request)
    exiger(bool(niveaux), REFUS)
    departements = (
        Departement.objects.filter(instructeurs__user_id=request.user.pk or 0)
        if est_instructeur(request.user)
        else Departement.objects.none()
    )
    form = PrixForm(request.POST or None, niveaux=niveaux, departements=departements)
    statut = 200
    if request.method == "POST":
        statut = 422
        if form.is_valid():
            try:
                prix = services.prix_creer(
                    acteur=request.user,
                    niveau=form.cleaned_data["niveau"],
                    annee=form.cleaned_data["annee"],
                    titre=form.cleaned_data["titre"],
                    departement=form.cleaned_data.get("departement"),
                )
            except ValidationError as erreur:
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, "Prix créé : nominez des fiches et composez le jury.")
                return redirect(reverse("mutualisation:prix", args=[prix.pk]))
    return render(request, "mutualisation/prix/nouveau.html", {"form": form}, status=statut)


def _page(request: HttpRequest, prix: Prix, status: int = 200, **formulaires: Any) -> HttpResponse:
    user = request.user
    gerer = permissions.can_gerer_prix(user, prix)
    nominations = selectors.nominations_du_prix(prix)
    lignes: list[dict[str, Any]] = []
    jure = permissions.est_jure(user, prix)
    conflits = selectors.collectifs_en_conflit(user) if jure else set()
    notes = selectors.notes_du_jure(user, prix) if jure else {}
    for n in nominations:
        ligne: dict[str, Any] = {"nomination": n, "moyenne": selectors.moyenne(n)}
        if jure and prix.etat == EtatPrix.JURY:
            ligne["conflit"] = n.fiche.collectif_id in conflits
            if not ligne["conflit"]:
                note = notes.get(n.pk)
                initial = {"note": note.note, "commentaire": note.commentaire} if note else None
                ligne["form"] = formulaires.get(f"note_{n.pk}") or NoteForm(initial=initial, prefix=f"note-{n.pk}")
        ligne["ma_note"] = notes.get(n.pk)
        lignes.append(ligne)
    transitions = transitions_disponibles(prix, user)
    contexte: dict[str, Any] = {
        "prix": prix,
        "lignes": lignes,
        "jury": selectors.jury_du_prix(prix),
        "gerer": gerer,
        "jure": jure,
        "manquants": selectors.colleges_manquants(prix),
        "ouvrir_jury": "ouvrir_jury" in transitions,
        "proclamer": "proclamer" in transitions,
    }
    if gerer and prix.etat == EtatPrix.NOMINATIONS:
        fiches = selectors.fiches_nominables(prix)
        contexte["nomination_form"] = formulaires.get("nomination_form") or NominationForm(
            fiches=fiches, prefix="nomination"
        )
        contexte["nominables"] = fiches.exists()
    if gerer and prix.etat != EtatPrix.PROCLAME:
        contexte["jury_form"] = formulaires.get("jury_form") or MembreJuryForm(prefix="jury")
    if gerer and prix.etat == EtatPrix.JURY:
        contexte["proclamation_form"] = formulaires.get("proclamation_form") or ProclamationForm(prefix="proclamation")
    return render(request, "mutualisation/prix/prix.html", contexte, status=status)


@require_GET
def prix(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: the prize's page."""
    return _page(request, _prix(request, pk))


def _retour(prix: Prix, ancre: str = "") -> HttpResponse:
    return redirect(reverse("mutualisation:prix", args=[prix.pk]) + ancre)


def _erreurs_en_messages(request: HttpRequest, erreur: ValidationError) -> None:
    for message in erreur.messages:
        messages.error(request, message)


@require_POST
def prix_nominer(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: nominate a sheet."""
    objet = _prix_gere(request, pk)
    form = NominationForm(request.POST, fiches=selectors.fiches_nominables(objet), prefix="nomination")
    if form.is_valid():
        try:
            services.nomination_ajouter(acteur=request.user, prix=objet, fiche=form.cleaned_data["fiche"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Fiche nominée.")
            return _retour(objet, "#nominations")
    return _page(request, objet, status=422, nomination_form=form)


@require_POST
def prix_nominer_laureats(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: the national prize nominates every departmental laureate of the year."""
    objet = _prix_gere(request, pk)
    try:
        nouvelles = services.prix_nominer_laureats_departementaux(acteur=request.user, prix=objet)
    except ValidationError as erreur:
        _erreurs_en_messages(request, erreur)
    else:
        messages.success(request, f"{len(nouvelles)} lauréate(s) départementale(s) nominée(s).")
    return _retour(objet, "#nominations")


@require_POST
def prix_jury(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: add a juror."""
    objet = _prix_gere(request, pk)
    form = MembreJuryForm(request.POST, prefix="jury")
    if form.is_valid():
        try:
            services.membre_jury_ajouter(acteur=request.user, prix=objet, **form.cleaned_data)
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Juré·e ajouté·e.")
            return _retour(objet, "#jury")
    return _page(request, objet, status=422, jury_form=form)


@require_POST
def prix_ouvrir_jury(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: close the nominations, open the jury phase (the jury must mirror the three colleges)."""
    objet = _prix_gere(request, pk)
    try:
        services.prix_ouvrir_jury(acteur=request.user, prix=objet)
    except ValidationError as erreur:
        _erreurs_en_messages(request, erreur)
    else:
        messages.success(request, "Nominations closes : le jury peut noter.")
    return _retour(objet)


@require_POST
def prix_noter(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    """R18: a juror scores a nomination (refused on a conflict of interest)."""
    objet = _prix(request, pk)
    nomination = get_object_or_404(Nomination.objects.select_related("fiche__collectif"), prix=objet, pk=nomination_pk)
    nomination.prix = objet
    if not permissions.can_noter(request.user, nomination):
        if permissions.est_jure(request.user, objet) and permissions.en_conflit(
            request.user, nomination.fiche.collectif
        ):
            raise PermissionDenied(
                "Conflit d'intérêts : vous ne pouvez pas noter la fiche d'un collectif dont vous êtes membre."
            )
        raise PermissionDenied("Seul·es les juré·es notent, pendant la délibération.")
    form = NoteForm(request.POST, prefix=f"note-{nomination.pk}")
    if form.is_valid():
        try:
            services.note_enregistrer(
                acteur=request.user,
                nomination=nomination,
                note=form.cleaned_data["note"],
                commentaire=form.cleaned_data["commentaire"],
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"Note enregistrée pour « {nomination.fiche.titre} ».")
            return _retour(objet, f"#nomination-{nomination.pk}")
    return _page(request, objet, status=422, **{f"note_{nomination.pk}": form})


@require_POST
def prix_proclamer(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: proclaim the laureates."""
    objet = _prix_gere(request, pk)
    form = ProclamationForm(request.POST, prefix="proclamation")
    if form.is_valid():
        try:
            laureats = services.prix_proclamer(
                acteur=request.user, prix=objet, nombre_laureats=form.cleaned_data["nombre_laureats"]
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"{len(laureats)} lauréate(s) proclamée(s).")
            return _retour(objet)
    return _page(request, objet, status=422, proclamation_form=form)


@login_not_required
@require_GET
def prix_public(request: HttpRequest, annee: int) -> HttpResponse:
    """R18: the public list of a year's laureates (no juror, no score, no person)."""
    return render(
        request,
        "mutualisation/prix/public.html",
        {"annee": annee, "palmares": selectors.laureats_publics(annee)},
    )
