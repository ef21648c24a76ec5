"""Pages of the departmental meetings (R13): the meetings a user reads, a département's meetings with the yearly
count against the target, planning, the meeting's page (invitations, attendance, notes, documents), its documents
served through a permission check (never from MEDIA_URL), and cancellation.

Thin adapters over mutualisation.services.rencontres: a scoped selector fetches (404 when hidden), a predicate gives
403 when visible but not allowed, one service writes. Field errors stay next to their field with the input kept
(422)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginer
from core.permissions import exiger
from core.ui import appliquer_erreurs
from mutualisation.forms.rencontres import (
    AnnulationForm,
    CompteRenduForm,
    InvitationsForm,
    PieceForm,
    PresencesForm,
    RencontreForm,
)
from mutualisation.models import PieceRencontre, Rencontre
from mutualisation.permissions import rencontres as permissions
from mutualisation.selectors import rencontres as selectors
from mutualisation.services import rencontres as services
from territoires.models import Departement

REFUS_GESTION = "Seul·es les instructeur·rices du département organisent ses rencontres."


def _rencontre(request: HttpRequest, pk: int) -> Rencontre:
    """The meeting if the user reads it (404 otherwise)."""
    return get_object_or_404(selectors.rencontres_visibles(request.user), pk=pk)


def _rencontre_geree(request: HttpRequest, pk: int) -> Rencontre:
    rencontre = _rencontre(request, pk)
    exiger(permissions.can_gerer_rencontre(request.user, rencontre), REFUS_GESTION)
    return rencontre


def _departement(request: HttpRequest, code: str) -> Departement:
    departement = get_object_or_404(Departement, code=code)
    if not permissions.can_voir_rencontres_departement(request.user, departement.code):
        raise Http404("Département hors de votre périmètre.")
    return departement


@require_GET
def rencontres(request: HttpRequest) -> HttpResponse:
    """R13: the meetings the user reads (invited collectifs' référents and accompagnateur, instructeurs, national
    staff), paginated, in a constant number of queries."""
    page = paginer(request, selectors.rencontres_visibles(request.user).order_by("-date", "-pk"))
    return render(request, "mutualisation/rencontres/rencontres.html", {"page": page})


@require_GET
def rencontres_departement(request: HttpRequest, code: str) -> HttpResponse:
    """R13: the département's meetings and the count of the year against the target."""
    departement = _departement(request, code)
    annee = timezone.localdate().year
    page = paginer(request, selectors.rencontres_du_departement(departement.code))
    return render(
        request,
        "mutualisation/rencontres/departement.html",
        {
            "departement": departement,
            "page": page,
            "compteur": selectors.compteur_rencontres(departement, annee),
            "planifier": permissions.can_planifier_rencontre(request.user, departement.code),
        },
    )


@require_http_methods(["GET", "POST"])
def rencontre_nouvelle(request: HttpRequest, code: str) -> HttpResponse:
    """R13: plan a meeting and invite collectifs."""
    departement = _departement(request, code)
    exiger(permissions.can_planifier_rencontre(request.user, departement.code), REFUS_GESTION)
    invitables = selectors.collectifs_invitables(departement.code)
    form = RencontreForm(request.POST or None, invitables=invitables)
    if request.method == "POST":
        if form.is_valid():
            try:
                rencontre = services.rencontre_planifier(
                    acteur=request.user,
                    departement=departement,
                    donnees=form.donnees(),
                    collectifs=form.cleaned_data.get("collectifs") or [],
                )
            except ValidationError as erreur:
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, "Rencontre planifiée : les collectifs invités sont prévenus par courriel.")
                return redirect(reverse("mutualisation:rencontre", args=[rencontre.pk]))
        return _formulaire(request, departement, form, status=422)
    return _formulaire(request, departement, form)


def _formulaire(
    request: HttpRequest,
    departement: Departement,
    form: RencontreForm,
    rencontre: Rencontre | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "mutualisation/rencontres/formulaire.html",
        {"departement": departement, "form": form, "rencontre": rencontre},
        status=status,
    )


def _page(request: HttpRequest, rencontre: Rencontre, status: int = 200, **formulaires: Any) -> HttpResponse:
    user = request.user
    gerer = permissions.can_gerer_rencontre(user, rencontre)
    invitations = selectors.invitations_de(rencontre)
    contexte: dict[str, Any] = {
        "rencontre": rencontre,
        "invitations": invitations,
        "pieces": selectors.pieces_de(rencontre),
        "gerer": gerer,
        "passee": rencontre.date <= timezone.now(),
        "nombre_presents": sum(1 for i in invitations if i.present),
        "nombre_personnes": sum(i.nombre_personnes or 0 for i in invitations if i.present),
    }
    if gerer:
        deja = {i.collectif_id for i in invitations}
        invitables = selectors.collectifs_invitables(rencontre.departement_id).exclude(pk__in=deja)
        contexte.update(
            {
                "invitation_form": formulaires.get("invitation_form")
                or InvitationsForm(invitables=invitables, prefix="inviter"),
                "reste_a_inviter": invitables.exists(),
                "presences_form": formulaires.get("presences_form")
                or PresencesForm(invitations=invitations, prefix="presences"),
                "compte_rendu_form": formulaires.get("compte_rendu_form")
                or CompteRenduForm(initial={"compte_rendu": rencontre.compte_rendu}, prefix="notes"),
                "piece_form": formulaires.get("piece_form") or PieceForm(prefix="piece"),
            }
        )
    return render(request, "mutualisation/rencontres/rencontre.html", contexte, status=status)


@require_GET
def rencontre(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: the meeting, its invited collectifs and attendance, its notes and documents; the forms of the
    département's instructeurs."""
    return _page(request, _rencontre(request, pk))


@require_http_methods(["GET", "POST"])
def rencontre_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: change the date, place, theme or programme."""
    objet = _rencontre_geree(request, pk)
    initial = {
        "date": timezone.localtime(objet.date),
        "lieu": objet.lieu,
        "theme": objet.theme,
        "description": objet.description,
    }
    form = RencontreForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rencontre_modifier(acteur=request.user, rencontre=objet, donnees=form.donnees())
            except ValidationError as erreur:
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, "Rencontre modifiée.")
                return redirect(reverse("mutualisation:rencontre", args=[objet.pk]))
        return _formulaire(request, objet.departement, form, objet, status=422)
    return _formulaire(request, objet.departement, form, objet)


def _retour(objet: Rencontre, ancre: str = "") -> HttpResponse:
    return redirect(reverse("mutualisation:rencontre", args=[objet.pk]) + ancre)


@require_POST
def rencontre_inviter(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: invite more collectifs of the département."""
    objet = _rencontre_geree(request, pk)
    deja = objet.invitations.values("collectif_id")
    invitables = selectors.collectifs_invitables(objet.departement_id).exclude(pk__in=deja)
    form = InvitationsForm(request.POST, invitables=invitables, prefix="inviter")
    if form.is_valid():
        try:
            nouvelles = services.rencontre_inviter(
                acteur=request.user, rencontre=objet, collectifs=form.cleaned_data["collectifs"]
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"{len(nouvelles)} collectif(s) invité(s) : leurs référent·es sont prévenu·es.")
            return _retour(objet, "#invitations")
    return _page(request, objet, status=422, invitation_form=form)


@require_POST
def rencontre_presences(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: record the attendance (counts only)."""
    objet = _rencontre_geree(request, pk)
    form = PresencesForm(request.POST, invitations=selectors.invitations_de(objet), prefix="presences")
    if form.is_valid():
        try:
            services.rencontre_presences_enregistrer(acteur=request.user, rencontre=objet, presences=form.presences())
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Présences enregistrées.")
            return _retour(objet, "#presences")
    return _page(request, objet, status=422, presences_form=form)


@require_POST
def rencontre_compte_rendu(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: write and share the notes of the meeting."""
    objet = _rencontre_geree(request, pk)
    form = CompteRenduForm(request.POST, prefix="notes")
    if form.is_valid():
        try:
            services.rencontre_compte_rendu_partager(
                acteur=request.user, rencontre=objet, texte=form.cleaned_data["compte_rendu"]
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Notes partagées avec les collectifs invités.")
            return _retour(objet, "#notes")
    return _page(request, objet, status=422, compte_rendu_form=form)


@require_POST
def piece_deposer(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: share a document with the invited collectifs (10 Mo at most; PDF, ODT, DOCX, PNG or JPEG)."""
    objet = _rencontre_geree(request, pk)
    form = PieceForm(request.POST, request.FILES, prefix="piece")
    if form.is_valid():
        try:
            services.piece_deposer(
                acteur=request.user,
                rencontre=objet,
                titre=form.cleaned_data["titre"],
                fichier=form.cleaned_data["fichier"],
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Document partagé avec les collectifs invités.")
            return _retour(objet, "#documents")
    return _page(request, objet, status=422, piece_form=form)


@require_GET
def piece(request: HttpRequest, pk: int, piece_pk: int) -> HttpResponse:
    """R13: a shared document, for whoever reads the meeting, checked against its SHA-256 (never from MEDIA_URL)."""
    objet = _rencontre(request, pk)
    document: PieceRencontre = get_object_or_404(PieceRencontre, rencontre=objet, pk=piece_pk)
    reponse = HttpResponse(services.piece_lire(document), content_type=document.type_mime)
    extension = document.fichier.name.rsplit(".", 1)[-1]
    nom = slugify(document.titre) or f"document-{document.pk}"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}.{extension}"'
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Cache-Control"] = "private, no-store"
    return reponse


@require_http_methods(["GET", "POST"])
def rencontre_annuler(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: cancel the meeting, with a reason."""
    objet = _rencontre(request, pk)
    exiger(permissions.can_annuler_rencontre(request.user, objet), REFUS_GESTION)
    form = AnnulationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rencontre_annuler(acteur=request.user, rencontre=objet, motif=form.cleaned_data["motif"])
            except ValidationError as erreur:
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, "Rencontre annulée : les collectifs invités sont prévenus.")
                return _retour(objet)
        return render(request, "mutualisation/rencontres/annuler.html", {"rencontre": objet, "form": form}, status=422)
    return render(request, "mutualisation/rencontres/annuler.html", {"rencontre": objet, "form": form})
