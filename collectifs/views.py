"""The declaration journey (multi-step, each step saves the draft), the declaration page, and instruction lists.

Views are thin: a form validates, a scoped selector fetches (404 when hidden), one service writes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collectifs import permissions, selectors, services
from collectifs.enums import EtatDeclaration
from collectifs.forms import (
    CharteForm,
    CollectifForm,
    IndicateurFormSet,
    InstitutionFormSet,
    InvitationForm,
    MembreForm,
    MessageForm,
    ProjetForm,
    ReponseComplementsForm,
    RetraitForm,
)
from collectifs.formulaire import formulaire_vierge_obtenir
from collectifs.models import Declaration, Membre, Message
from config.ui import appliquer_erreurs
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import documents_de
from documents.views import reponse_pdf
from instances.deliberation import compter_votes
from instances.models import Campagne, PointOrdreDuJour
from instances.permissions import can_voir_campagnes
from instances.selectors import campagne_de_depot
from workflow.fsm import TransitionInterdite, historique, transitions_disponibles

ETAPES = [
    ("collectif", "Le collectif"),
    ("membres", "Les membres"),
    ("projet", "Le projet"),
    ("indicateurs", "Les indicateurs"),
    ("charte", "La charte"),
    ("recapitulatif", "Récapitulatif et dépôt"),
]


def _brouillon(request: HttpRequest, pk: int) -> Declaration:
    """The draft, if the user may edit it; 404 when hidden; 403 when visible but not editable by them."""
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    if not permissions.can_modifier_declaration(request.user, declaration):
        raise PermissionDenied("Cette déclaration ne peut plus être modifiée.")
    return declaration


def _a_completer(declaration: Declaration) -> bool:
    """The steps are reopened by a request for more (R4): they then edit a filed declaration, not a draft."""
    return declaration.etat == EtatDeclaration.A_COMPLETER


def _contexte_etape(declaration: Declaration, etape: str, **extra: Any) -> dict[str, Any]:
    noms = [e[0] for e in ETAPES]
    rang = noms.index(etape)
    a_completer = _a_completer(declaration)
    return {
        "declaration": declaration,
        "collectif": declaration.collectif,
        "a_completer": a_completer,
        "demande": selectors.demande_en_cours(declaration) if a_completer else None,
        "etapes": ETAPES,
        "etape": etape,
        "rang": rang + 1,
        "nombre_etapes": len(ETAPES),
        "titre_etape": ETAPES[rang][1],
        "etape_suivante": ETAPES[rang + 1][1] if rang + 1 < len(ETAPES) else None,
        **extra,
    }


def _apres_enregistrement(request: HttpRequest, declaration: Declaration, etape: str) -> HttpResponse:
    messages.success(request, "Modifications enregistrées." if _a_completer(declaration) else "Brouillon enregistré.")
    noms = [e[0] for e in ETAPES]
    suivante = noms[noms.index(etape) + 1] if "continuer" in request.POST else etape
    return redirect(f"collectifs:etape_{suivante}", declaration.pk)


@require_http_methods(["GET", "POST"])
def collectif_nouveau(request: HttpRequest) -> HttpResponse:
    form = CollectifForm(request.POST or None)
    institutions = InstitutionFormSet(request.POST or None, prefix="institutions")
    if request.method == "POST" and form.is_valid() and institutions.is_valid():
        try:
            collectif = services.collectif_creer(
                acteur=request.user,
                nom=form.cleaned_data["nom"],
                departement=form.cleaned_data["departement"],
                territoire=form.cleaned_data["territoire"],
                codes_communes=form.cleaned_data["codes_communes"],
                institutions=institutions.donnees(),
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"Le collectif « {collectif.nom} » est créé. Ajoutez maintenant ses membres.")
            brouillon = selectors.brouillon_du_collectif(collectif)
            assert brouillon is not None
            return redirect("collectifs:etape_membres", brouillon.pk)
    return render(request, "collectifs/collectif_nouveau.html", {"form": form, "institutions": institutions})


@require_http_methods(["GET", "POST"])
def etape_collectif(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    collectif = declaration.collectif
    initial = {"nom": collectif.nom, "territoire": collectif.territoire, "codes_communes": collectif.codes_communes}
    form = CollectifForm(request.POST or None, initial=initial, modification=True)
    institutions = InstitutionFormSet(
        request.POST or None,
        prefix="institutions",
        initial=[{"nom": o.nom, "siret": o.siret, "rna": o.rna} for o in collectif.institutions_origine.all()],
    )
    if request.method == "POST" and form.is_valid() and institutions.is_valid():
        try:
            services.collectif_modifier(
                acteur=request.user,
                collectif=collectif,
                nom=form.cleaned_data["nom"],
                territoire=form.cleaned_data["territoire"],
                codes_communes=form.cleaned_data["codes_communes"],
                institutions=institutions.donnees(),
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            return _apres_enregistrement(request, declaration, "collectif")
    return render(
        request,
        "collectifs/etape_collectif.html",
        _contexte_etape(declaration, "collectif", form=form, institutions=institutions),
    )


def _campagne(declaration: Declaration) -> Campagne | None:
    """The campaign whose rules apply: the one filed in once filed, else the one a filing would go to."""
    if declaration.deposee_le is not None and declaration.campagne is not None:
        return declaration.campagne
    return campagne_de_depot(declaration.collectif.departement)


def _conditions_a_regler(declaration: Declaration) -> dict[str, list[str]]:
    """R1/R2: what still prevents filing (a draft) or filing again (after a request for more, when the
    filing window no longer matters)."""
    erreurs = services.conditions_de_depot(declaration, _campagne(declaration))
    if declaration.deposee_le is not None:
        erreurs.pop("campagne", None)
    return erreurs


def _lignes_conditions(erreurs: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each failed condition with the step of the form where it is fixed."""
    return [
        {"messages": messages_, "etape": services.ETAPE_DE_LA_CONDITION.get(champ, "recapitulatif")}
        for champ, messages_ in erreurs.items()
    ]


def _composition(declaration: Declaration) -> dict[str, Any]:
    campagne = _campagne(declaration)
    seuils = selectors.seuils_de(campagne)
    resultat = selectors.composition_du_collectif(declaration.collectif, campagne)
    return {"composition": resultat, "lignes_composition": resultat.lignes(seuils)}


@require_http_methods(["GET", "POST"])
def etape_membres(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    form = MembreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membre = services.membre_ajouter(acteur=request.user, collectif=declaration.collectif, **form.arguments())
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"{membre} est ajouté·e au collège « {membre.get_college_display()} ».")
            return redirect(reverse("collectifs:etape_membres", args=[declaration.pk]) + "#composition")
    return render(
        request,
        "collectifs/etape_membres.html",
        _contexte_etape(
            declaration,
            "membres",
            form=form,
            membres=selectors.membres_du_collectif(declaration.collectif),
            **_composition(declaration),
        ),
    )


@require_http_methods(["GET", "POST"])
def membre_modifier(request: HttpRequest, pk: int, membre_pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    membre = get_object_or_404(
        Membre.objects.select_related("organisation"), pk=membre_pk, collectif=declaration.collectif
    )
    organisation = membre.organisation
    initial = {
        "college": membre.college,
        "prenom": membre.prenom,
        "nom": membre.nom,
        "fonction": membre.fonction,
        "organisation_nom": organisation.nom if organisation else "",
        "organisation_siret": organisation.siret if organisation else "",
        "organisation_rna": organisation.rna if organisation else "",
        "email": membre.email,
        "telephone": membre.telephone,
        "date_debut": membre.date_debut,
        "date_fin": membre.date_fin,
        "consentement": membre.consentement,
    }
    form = MembreForm(request.POST or None, initial=initial, modification=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.membre_modifier(acteur=request.user, membre=membre, **form.arguments())
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"La fiche de {membre} est enregistrée.")
            return redirect("collectifs:etape_membres", declaration.pk)
    return render(
        request, "collectifs/membre_modifier.html", _contexte_etape(declaration, "membres", form=form, membre=membre)
    )


@require_http_methods(["GET", "POST"])
def etape_projet(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    initial = {c: getattr(declaration, c) for c in ("dynamique_preexistante", "projet", "additionnalite")}
    form = ProjetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.declaration_enregistrer(acteur=request.user, declaration=declaration, **form.cleaned_data)
        return _apres_enregistrement(request, declaration, "projet")
    return render(request, "collectifs/etape_projet.html", _contexte_etape(declaration, "projet", form=form))


@require_http_methods(["GET", "POST"])
def etape_indicateurs(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    initial = [
        {"libelle": i.libelle, "nature": i.nature, "description": i.description} for i in declaration.indicateurs.all()
    ]
    formset = IndicateurFormSet(request.POST or None, prefix="indicateurs", initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            services.indicateurs_enregistrer(
                acteur=request.user, declaration=declaration, indicateurs=formset.donnees()
            )
        except ValidationError as erreur:
            formset.ajouter_erreurs(erreur.messages)
        else:
            return _apres_enregistrement(request, declaration, "indicateurs")
    return render(
        request, "collectifs/etape_indicateurs.html", _contexte_etape(declaration, "indicateurs", formset=formset)
    )


@require_http_methods(["GET", "POST"])
def etape_charte(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    charte = selectors.charte_courante()
    deja = declaration.adhesion_charte is not None and declaration.adhesion_charte.charte_id == charte.pk
    form = CharteForm(request.POST or None, initial={"accepte": deja})
    if request.method == "POST" and form.is_valid():
        services.charte_accepter(acteur=request.user, declaration=declaration)
        return _apres_enregistrement(request, declaration, "charte")
    return render(
        request,
        "collectifs/etape_charte.html",
        _contexte_etape(declaration, "charte", form=form, charte=charte, deja_acceptee=deja),
    )


@require_GET
def etape_recapitulatif(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    return render(
        request,
        "collectifs/etape_recapitulatif.html",
        _contexte_recapitulatif(request, declaration, _conditions_a_regler(declaration)),
    )


def _contexte_recapitulatif(
    request: HttpRequest,
    declaration: Declaration,
    erreurs: dict[str, list[str]],
    *,
    form_reponse: ReponseComplementsForm | None = None,
    echec: bool = False,
) -> dict[str, Any]:
    """The summary ends with the filing button for a draft, and with the answer to the request for more
    (« Répondre et déposer à nouveau ») once the declaration is to be completed (R4)."""
    transitions = transitions_disponibles(declaration, request.user)
    repondre = "completer" in transitions
    return _contexte_etape(
        declaration,
        "recapitulatif",
        campagne=_campagne(declaration),
        conditions=_lignes_conditions(erreurs),
        echec_depot=echec,
        peut_deposer="deposer" in transitions,
        peut_repondre=repondre,
        form_reponse=form_reponse or (ReponseComplementsForm() if repondre else None),
        membres=selectors.membres_du_collectif(declaration.collectif),
        institutions=declaration.collectif.institutions_origine.all(),
        indicateurs=declaration.indicateurs.all(),
        **_composition(declaration),
    )


@require_POST
def declaration_deposer(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    if "deposer" not in transitions_disponibles(declaration, request.user):
        raise PermissionDenied(
            "Cette déclaration est déjà déposée : répondez à la demande de compléments depuis le récapitulatif."
        )
    try:
        document = services.declaration_deposer(acteur=request.user, declaration=declaration)
    except ValidationError as erreur:
        erreurs = erreur.message_dict if hasattr(erreur, "error_dict") else {"campagne": erreur.messages}
        contexte = _contexte_recapitulatif(request, declaration, erreurs, echec=True)
        return render(request, "collectifs/etape_recapitulatif.html", contexte, status=422)
    messages.success(request, f"Votre déclaration est déposée. Votre récépissé porte le numéro {document.numero}.")
    return redirect("collectifs:declaration_detail", declaration.pk)


# --- The declaration's follow-up page (R4, R5): timeline, documents, request for more, decision, messages ---

# What a download link says, per document type.
LIBELLES_DOCUMENTS: dict[str, str] = {
    TypeDocument.RECEPISSE: "le récépissé",
    TypeDocument.DEMANDE_COMPLEMENTS: "la demande de compléments",
    TypeDocument.DECISION: "la décision",
}


def _decisions(declaration: Declaration, documents: list[Document]) -> list[dict[str, Any]]:
    """What the instance decided on this declaration (R5), newest first, with the vote counts and the PDF."""
    decisions_pdf = {d.object_id: d for d in documents if d.type == TypeDocument.DECISION}
    points = (
        PointOrdreDuJour.objects.filter(declaration=declaration)
        .exclude(resultat="")
        .select_related("seance")
        .prefetch_related("votes")
        .order_by("-statue_le", "-pk")
    )
    return [
        {
            "point": point,
            "vote": compter_votes(v.choix for v in point.votes.all()),
            "document": decisions_pdf.get(point.pk),
        }
        for point in points
    ]


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
    documents = list(selectors.documents_de_la_declaration(declaration))
    a_completer = _a_completer(declaration)
    peut_repondre = "completer" in transitions
    voir_messages = permissions.can_voir_messages(user, declaration)
    contexte: dict[str, Any] = {
        "declaration": declaration,
        "collectif": collectif,
        "membres": selectors.membres_actuels(collectif).select_related("organisation"),
        "institutions": collectif.institutions_origine.all(),
        "indicateurs": declaration.indicateurs.all(),
        "historique": [{"transition": t, "etat": EtatDeclaration(t.cible).label} for t in historique(declaration)],
        "documents": [{"document": d, "libelle": LIBELLES_DOCUMENTS.get(d.type, d.titre)} for d in documents],
        "decisions": _decisions(declaration, documents),
        "demande": selectors.demande_en_cours(declaration) if a_completer else None,
        "peut_repondre": peut_repondre,
        "peut_retirer": "retirer" in transitions,
        "peut_modifier": permissions.can_modifier_declaration(user, declaration),
        "est_referent": permissions.est_referent(user, collectif),
        "voir_messages": voir_messages,
    }
    if peut_repondre:
        contexte["form_reponse"] = form_reponse or ReponseComplementsForm()
        erreurs = conditions_echec if conditions_echec is not None else _conditions_a_regler(declaration)
        contexte["conditions"] = _lignes_conditions(erreurs)
        contexte["echec_reponse"] = conditions_echec is not None
    if voir_messages:
        fil = list(selectors.messages_de(declaration))
        contexte["fil"] = _fil(fil, {r.pk for r in collectif.referents.all()})
        if permissions.can_ecrire_message(user, declaration):
            if form_message is None:
                repondre_a = request.GET.get("repondre", "")
                form_message = MessageForm(fil=fil, initial={"parent": repondre_a} if repondre_a.isdigit() else None)
            contexte["form_message"] = form_message
    return contexte


@require_GET
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    return render(request, "collectifs/declaration_detail.html", _contexte_suivi(request, declaration))


@require_GET
def declaration_recepisse(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    document = documents_de(declaration, TypeDocument.RECEPISSE).first()
    if document is None:
        raise Http404("Aucun récépissé pour cette déclaration.")
    return reponse_pdf(document)


@require_GET
def declaration_document(request: HttpRequest, pk: int, numero: str) -> HttpResponse:
    """One PDF of the declaration's file, by its number, for whoever sees the declaration (404 otherwise,
    and for a document that belongs to another declaration)."""
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    document = get_object_or_404(selectors.documents_de_la_declaration(declaration), numero=numero)
    return reponse_pdf(document)


@require_POST
def complements_repondre(request: HttpRequest, pk: int) -> HttpResponse:
    """R4: the collectif answers the request for more and files again. When R1/R2 no longer hold, the page
    says what to fix, with links to the steps of the form; the answer typed is kept."""
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    if "completer" not in transitions_disponibles(declaration, request.user):
        if not permissions.can_repondre_complements(request.user, declaration):
            raise PermissionDenied("Seul·es les référent·es du collectif répondent aux demandes de compléments.")
        raise PermissionDenied("Aucune demande de compléments n'attend de réponse.")
    form = ReponseComplementsForm(request.POST)
    conditions: dict[str, list[str]] | None = None
    if form.is_valid():
        try:
            services.complements_repondre(
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
            return redirect("collectifs:declaration_detail", declaration.pk)
    statut = 422 if conditions else 200
    if request.POST.get("depuis") == "recapitulatif":
        erreurs = conditions or _conditions_a_regler(declaration)
        contexte = _contexte_recapitulatif(request, declaration, erreurs, form_reponse=form, echec=bool(conditions))
        return render(request, "collectifs/etape_recapitulatif.html", contexte, status=statut)
    contexte = _contexte_suivi(request, declaration, form_reponse=form, conditions_echec=conditions or None)
    return render(request, "collectifs/declaration_detail.html", contexte, status=statut)


@require_POST
def message_envoyer(request: HttpRequest, pk: int) -> HttpResponse:
    """A message, or a reply, on the declaration's thread: the collectif and the département's instructeurs
    only; read-only once the declaration is decided. The other side is told by e-mail (by the service)."""
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    if not permissions.can_voir_messages(request.user, declaration):
        raise PermissionDenied(
            "La messagerie de cette déclaration est réservée au collectif et au service instructeur du département."
        )
    if not permissions.can_ecrire_message(request.user, declaration):
        raise PermissionDenied("La déclaration est décidée : la messagerie est en lecture seule.")
    form = MessageForm(request.POST, fil=list(selectors.messages_de(declaration)))
    if form.is_valid():
        try:
            message = services.message_envoyer(
                acteur=request.user,
                declaration=declaration,
                texte=form.cleaned_data["texte"],
                parent=form.cleaned_data.get("parent"),
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "Votre message est envoyé.")
            return redirect(reverse("collectifs:declaration_detail", args=[declaration.pk]) + f"#message-{message.pk}")
    return render(
        request, "collectifs/declaration_detail.html", _contexte_suivi(request, declaration, form_message=form)
    )


@require_http_methods(["GET", "POST"])
def declaration_retirer(request: HttpRequest, pk: int) -> HttpResponse:
    """The collectif withdraws its declaration from any non-final state, even after acceptance (SPEC §5)."""
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    if "retirer" not in transitions_disponibles(declaration, request.user):
        raise PermissionDenied("Vous ne pouvez pas retirer cette déclaration.")
    form = RetraitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_retirer(acteur=request.user, declaration=declaration, motif=form.cleaned_data["motif"])
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        except TransitionInterdite as erreur:
            form.add_error(None, str(erreur))
        else:
            messages.success(request, "La déclaration est retirée.")
            return redirect("collectifs:declaration_detail", declaration.pk)
    return render(
        request,
        "collectifs/declaration_retirer.html",
        {"declaration": declaration, "form": form, "libere_une_place": declaration.etat == EtatDeclaration.AGREEE},
    )


@require_http_methods(["GET", "POST"])
def referent_inviter(request: HttpRequest, pk: int) -> HttpResponse:
    collectif = get_object_or_404(selectors.collectif_visible_to(request.user), pk=pk)
    if not permissions.can_modifier_collectif(request.user, collectif):
        raise PermissionDenied("Seuls les référent·es du collectif peuvent inviter.")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.referent_inviter(
                acteur=request.user, collectif=collectif, email=form.cleaned_data["email"]
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"Une invitation est envoyée à {invitation.email}.")
            return redirect("collectifs:referent_inviter", collectif.pk)
    return render(
        request,
        "collectifs/referent_inviter.html",
        {
            "collectif": collectif,
            "form": form,
            "referents": collectif.referents.all(),
            "invitations": collectif.invitations.filter(acceptee_le__isnull=True),
        },
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, jeton: str) -> HttpResponse:
    invitation_ = get_object_or_404(selectors.invitation_par_jeton(jeton))
    if request.method == "POST":
        try:
            collectif = services.invitation_accepter(acteur=request.user, invitation=invitation_)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, f"Vous êtes maintenant référent·e du collectif « {collectif.nom} ».")
            return redirect("comptes:tableau_de_bord")
    return render(request, "collectifs/invitation.html", {"invitation": invitation_})


@require_GET
def instruction(request: HttpRequest) -> HttpResponse:
    """The filed declarations of the user's départements (instructeurs, national staff)."""
    if not can_voir_campagnes(request.user):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices.")
    return render(
        request, "collectifs/instruction.html", {"declarations": selectors.declarations_a_instruire(request.user)}
    )


@login_not_required
@require_GET
def formulaire_vierge(request: HttpRequest) -> HttpResponse:
    """Public: the blank paper declaration form, for assisted filing."""
    return reponse_pdf(formulaire_vierge_obtenir(), en_ligne=True)
