"""The follow-up page of a filed declaration (R4, R5, R10): timeline, documents, the request for more and its
answer, the instance's decisions, the thread of messages.

It lives in the instances layer because it shows the decisions of the séances; the collectif's own steps
(the form, filing, withdrawal) stay in collectifs. Thin adapters: a scoped selector fetches (404 when hidden),
a predicate gives 403, one service writes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from collectifs.enums import EtatDeclaration
from collectifs.etapes import conditions_a_regler, lignes_conditions
from collectifs.forms import MessageForm, ReponseComplementsForm
from collectifs.models import Declaration, Message
from collectifs.permissions import (
    can_ecrire_message,
    can_modifier_declaration,
    can_repondre_complements,
    can_voir_echanges_instruction,
    can_voir_messages,
    est_referent,
)
from collectifs.selectors import declaration_visible_to, membres_actuels, messages_de
from collectifs.services import complements_repondre as complements_repondre_service
from collectifs.services import message_envoyer as message_envoyer_service
from collectifs.views import a_completer, contexte_recapitulatif
from core.ui import appliquer_erreurs
from documents.enums import TypeDocument
from documents.models import Document
from documents.views import reponse_pdf
from fonds.models import Convention, Versement
from fonds.permissions import can_voir_convention
from instances.deliberation import compter_votes
from instances.models import PointOrdreDuJour
from instances.selectors import (
    contact_du_departement,
    documents_de_la_declaration,
    documents_visibles_de_la_declaration,
)
from instances.selectors_suivi import chronologie_du_dossier, points_de_la_declaration
from journal.fsm import historique, transitions_disponibles

# Transitions whose comment is an exchange of the instruction (the request for more, the collectif's answer):
# shown only to those who follow the instruction, not to the instance's members (SPEC §2).
TRANSITIONS_ECHANGES = frozenset({"demander_complements", "completer"})

# What a download link says, per document type.
LIBELLES_DOCUMENTS: dict[str, str] = {
    TypeDocument.RECEPISSE: "le récépissé",
    TypeDocument.DEMANDE_COMPLEMENTS: "la demande de compléments",
    TypeDocument.DECISION: "la décision",
}


def _decisions(points: list[PointOrdreDuJour], documents: list[Document]) -> list[dict[str, Any]]:
    """What the instance decided on this declaration (R5), newest first, with the vote counts and the PDF
    (`points`: the declaration's agenda points with their votes, `points_de_la_declaration`)."""
    decisions_pdf = {d.object_id: d for d in documents if d.type == TypeDocument.DECISION}
    decides = sorted(
        (p for p in points if p.resultat), key=lambda p: (p.statue_le is not None, p.statue_le, p.pk), reverse=True
    )
    return [
        {
            "point": point,
            "vote": compter_votes(v.choix for v in point.votes.all()),
            "document": decisions_pdf.get(point.pk),
        }
        for point in decides
    ]


def _convention(user: Any, declaration: Declaration) -> dict[str, Any] | None:
    """R7: the collectif's convention, once agreed: its tranches with their payments and its documents (the
    Convention triannuelle de financement, the attestations de versement), for whoever reads the convention (its
    référents, the département's instructeurs, national staff). Two queries when there is one, none otherwise
    (the declaration is fetched with its convention)."""
    try:
        convention: Convention = declaration.convention  # type: ignore[attr-defined]  # reverse one-to-one of fonds
    except ObjectDoesNotExist:
        return None
    convention.declaration = declaration  # its collectif's référents are prefetched
    if not can_voir_convention(user, convention):
        return None
    tranches = list(convention.tranches.select_related("versement").order_by("rang"))
    versements = []
    for tranche in tranches:
        try:
            versements.append(tranche.versement)
        except ObjectDoesNotExist:
            continue
    types = ContentType.objects.get_for_models(Convention, Versement)
    documents = Document.objects.filter(
        Q(content_type=types[Convention], object_id=convention.pk)
        | Q(content_type=types[Versement], object_id__in=[v.pk for v in versements])
    ).order_by("emis_le", "pk")
    return {
        "convention": convention,
        "tranches": tranches,
        "versements": sorted(versements, key=lambda v: (v.date_versement, v.pk)),
        "total": sum((t.montant for t in tranches), start=0),
        "documents": list(documents),
    }


def _fil(messages_: list[Message], referents: set[int]) -> list[dict[str, Any]]:
    """The thread as a tree: each message with its replies, oldest first at every level."""
    par_pk = {m.pk: m for m in messages_}
    reponses: dict[int | None, list[Message]] = {}
    for message in messages_:
        reponses.setdefault(message.parent_id, []).append(message)

    def branche(parent: int | None) -> list[dict[str, Any]]:
        return [
            {
                "message": m,
                "du_collectif": m.auteur_id in referents,
                "titre_reponses": f"Réponses au message de {m.auteur}",
                "auteur_parent": par_pk[m.parent_id].auteur if m.parent_id in par_pk else None,
                "reponses": branche(m.pk),
            }
            for m in reponses.get(parent, [])
        ]

    return branche(None)


def _contexte_suivi(
    request: HttpRequest,
    declaration: Declaration,
    *,
    form_reponse: ReponseComplementsForm | None = None,
    conditions_echec: dict[str, list[str]] | None = None,
    form_message: MessageForm | None = None,
) -> dict[str, Any]:
    """Everything the follow-up page shows, in a constant number of queries whatever the number of
    messages, journal rows, requests for more and decisions."""
    user = request.user
    collectif = declaration.collectif
    prefetch_related_objects([collectif], "referents")  # every est_referent check below reads it
    transitions = transitions_disponibles(declaration, user)
    echanges = can_voir_echanges_instruction(user, declaration)
    documents = list(documents_de_la_declaration(declaration, echanges_instruction=echanges))
    attend_complements = a_completer(declaration)
    peut_repondre = "completer" in transitions
    voir_messages = can_voir_messages(user, declaration)
    referent = est_referent(user, collectif)
    journal = list(historique(declaration))
    points = points_de_la_declaration(declaration)
    financement = _convention(user, declaration)
    chronologie = chronologie_du_dossier(
        declaration,
        journal=journal,
        points=points,
        echanges=echanges,
        financement=financement,
        pour_le_collectif=referent,
    )
    contexte: dict[str, Any] = {
        "declaration": declaration,
        "collectif": collectif,
        "membres": membres_actuels(collectif).select_related("organisation"),
        "institutions": collectif.institutions_origine.all(),
        "indicateurs": declaration.indicateurs.all(),
        "historique": [
            {
                "transition": t,
                "etat": EtatDeclaration(t.cible).label,
                "commentaire": echanges or t.transition not in TRANSITIONS_ECHANGES,
            }
            for t in journal
        ],
        "chronologie": chronologie,
        "documents": [{"document": d, "libelle": LIBELLES_DOCUMENTS.get(d.type, d.titre)} for d in documents],
        "decisions": _decisions(points, documents),
        "demande": chronologie.demande_en_cours if attend_complements and echanges else None,
        "peut_repondre": peut_repondre,
        "peut_retirer": "retirer" in transitions,
        "peut_modifier": can_modifier_declaration(user, declaration),
        "est_referent": referent,
        "voir_messages": voir_messages,
        "financement": financement,
        # « Besoin d'aide ? »: the département's contact, for the collectif's référents.
        "aide": contact_du_departement(collectif.departement_id) if referent else None,
    }
    if peut_repondre:
        contexte["form_reponse"] = form_reponse or ReponseComplementsForm()
        erreurs = conditions_echec if conditions_echec is not None else conditions_a_regler(declaration)
        contexte["conditions"] = lignes_conditions(erreurs)
        contexte["echec_reponse"] = conditions_echec is not None
    if voir_messages:
        fil = list(messages_de(declaration))
        contexte["fil"] = _fil(fil, {r.pk for r in collectif.referents.all()})
        if can_ecrire_message(user, declaration):
            if form_message is None:
                repondre_a = request.GET.get("repondre", "")
                form_message = MessageForm(fil=fil, initial={"parent": repondre_a} if repondre_a.isdigit() else None)
            contexte["form_message"] = form_message
    return contexte


@require_GET
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(declaration_visible_to(request.user).select_related("convention"), pk=pk)
    return render(request, "instances/declaration_detail.html", _contexte_suivi(request, declaration))


@require_GET
def declaration_document(request: HttpRequest, pk: int, numero: str) -> HttpResponse:
    """One PDF of the declaration's file, by its number, for whoever sees the declaration (404 otherwise,
    and for a document that belongs to another declaration)."""
    declaration = get_object_or_404(declaration_visible_to(request.user), pk=pk)
    document = get_object_or_404(documents_visibles_de_la_declaration(request.user, declaration), numero=numero)
    return reponse_pdf(document)


@require_POST
def complements_repondre(request: HttpRequest, pk: int) -> HttpResponse:
    """R4: the collectif answers the request for more and files again. When R1/R2 no longer hold, the page
    says what to fix, with links to the steps of the form; the answer typed is kept."""
    declaration = get_object_or_404(declaration_visible_to(request.user), pk=pk)
    if "completer" not in transitions_disponibles(declaration, request.user):
        if not can_repondre_complements(request.user, declaration):
            raise PermissionDenied("Seul·es les référent·es du collectif répondent aux demandes de compléments.")
        raise PermissionDenied("Aucune demande de compléments n'attend de réponse.")
    form = ReponseComplementsForm(request.POST)
    conditions: dict[str, list[str]] | None = None
    if form.is_valid():
        try:
            complements_repondre_service(
                acteur=request.user, declaration=declaration, reponse=form.cleaned_data["reponse"]
            )
        except ValidationError as erreur:
            if hasattr(erreur, "error_dict"):
                conditions = {champ: m for champ, m in erreur.message_dict.items() if champ != "reponse"}
                for message in erreur.message_dict.get("reponse", []):
                    form.add_error("reponse", message)
            else:
                form.add_error(None, erreur.messages)
        else:
            messages.success(
                request, "Votre réponse est envoyée et la déclaration est déposée à nouveau : l'instruction reprend."
            )
            return redirect("instances:declaration_detail", declaration.pk)
    statut = 422 if conditions else 200
    if request.POST.get("depuis") == "recapitulatif":
        erreurs = conditions or conditions_a_regler(declaration)
        contexte = contexte_recapitulatif(request, declaration, erreurs, form_reponse=form, echec=bool(conditions))
        return render(request, "collectifs/etape_recapitulatif.html", contexte, status=statut)
    contexte = _contexte_suivi(request, declaration, form_reponse=form, conditions_echec=conditions or None)
    return render(request, "instances/declaration_detail.html", contexte, status=statut)


@require_POST
def message_envoyer(request: HttpRequest, pk: int) -> HttpResponse:
    """A message, or a reply, on the declaration's thread: the collectif and the département's instructeurs
    only; read-only once the declaration is decided. The other side is told by e-mail (by the service)."""
    declaration = get_object_or_404(declaration_visible_to(request.user), pk=pk)
    if not can_voir_messages(request.user, declaration):
        raise PermissionDenied(
            "La messagerie de cette déclaration est réservée au collectif et au service instructeur du département."
        )
    if not can_ecrire_message(request.user, declaration):
        raise PermissionDenied("La déclaration est décidée : la messagerie est en lecture seule.")
    form = MessageForm(request.POST, fil=list(messages_de(declaration)))
    if form.is_valid():
        try:
            message = message_envoyer_service(
                acteur=request.user,
                declaration=declaration,
                texte=form.cleaned_data["texte"],
                parent=form.cleaned_data.get("parent"),
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Votre message est envoyé.")
            return redirect(reverse("instances:declaration_detail", args=[declaration.pk]) + f"#message-{message.pk}")
    return render(
        request, "instances/declaration_detail.html", _contexte_suivi(request, declaration, form_message=form)
    )
