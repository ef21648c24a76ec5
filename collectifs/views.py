"""The declaration journey (multi-step, each step saves the draft), filing, withdrawal, and instruction lists.
The follow-up page of a filed declaration is in instances.views.suivi (it shows the decisions).

Views are thin: a form validates, a scoped selector fetches (404 when hidden), one service writes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campagnes.permissions import can_voir_campagnes
from collectifs import permissions, selectors, services
from collectifs.enums import EtatDeclaration
from collectifs.etapes import (
    ETAPES,
    campagne_applicable,
    conditions_a_regler,
    declaration_prete,
    etats_des_etapes,
    lignes_conditions,
)
from collectifs.filtres import ListeCollectifs, ListeDeclarations
from collectifs.forms import (
    CharteForm,
    CollectifForm,
    IndicateurFormSet,
    InstitutionFormSet,
    InvitationForm,
    MembreForm,
    MembrePourAutruiForm,
    ProjetForm,
    ReponseComplementsForm,
    RetraitForm,
)
from collectifs.formulaire import formulaire_vierge_obtenir
from collectifs.models import Collectif, Declaration, Membre
from core.listes import lien_par_identifiant
from core.ui import appliquer_erreurs
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.views import reponse_pdf
from journal.fsm import TransitionInterdite, transitions_disponibles


def _brouillon(request: HttpRequest, pk: int) -> Declaration:
    """The draft, if the user may edit it; 404 when hidden; 403 when visible but not editable by them."""
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    # The référents once, for the permission check and the page's help block (« Besoin d'aide ? »).
    prefetch_related_objects([declaration.collectif], "referents")
    if not permissions.can_modifier_declaration(request.user, declaration):
        raise PermissionDenied("Cette déclaration ne peut plus être modifiée.")
    return declaration


def a_completer(declaration: Declaration) -> bool:
    """The steps are reopened by a request for more (R4): they then edit a filed declaration, not a draft."""
    return declaration.etat == EtatDeclaration.A_COMPLETER


def _contexte_etape(
    declaration: Declaration, etape: str, *, erreurs: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    """What every step's page shows: the step list with each step's state (« Complète » / « À compléter »,
    from the filing conditions, `erreurs` when the caller has them), and where the user is."""
    noms = [e[0] for e in ETAPES]
    rang = noms.index(etape)
    attend_complements = a_completer(declaration)
    etats = etats_des_etapes(declaration, erreurs)
    return {
        "declaration": declaration,
        "collectif": declaration.collectif,
        "a_completer": attend_complements,
        "demande": selectors.demande_en_cours(declaration) if attend_complements else None,
        "etapes": ETAPES,
        "etats_etapes": etats,
        "etat_etape": etats[rang],
        "prete": declaration_prete(etats),
        "etape": etape,
        "rang": rang + 1,
        "nombre_etapes": len(ETAPES),
        "titre_etape": ETAPES[rang][1],
        "etape_suivante": ETAPES[rang + 1][1] if rang + 1 < len(ETAPES) else None,
        **extra,
    }


def _apres_enregistrement(request: HttpRequest, declaration: Declaration, etape: str) -> HttpResponse:
    messages.success(request, "Modifications enregistrées." if a_completer(declaration) else "Brouillon enregistré.")
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
    form = CollectifForm(request.POST or None, initial=initial, modification=True, collectif=collectif)
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
                # R17: absent when the département has no quartier prioritaire (then left unchanged).
                quartiers_prioritaires=form.cleaned_data.get("quartiers_prioritaires"),
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


def _composition(declaration: Declaration) -> dict[str, Any]:
    campagne = campagne_applicable(declaration)
    seuils = selectors.seuils_de(campagne)
    resultat = selectors.composition_du_collectif(declaration.collectif, campagne)
    return {"composition": resultat, "lignes_composition": resultat.lignes(seuils)}


@require_http_methods(["GET", "POST"])
def etape_membres(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = _brouillon(request, pk)
    form = MembreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membre = services.membre_ajouter(
                acteur=request.user, collectif=declaration.collectif, donnees=form.donnees()
            )
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
    initial = MembreForm.initial_de(membre)
    form = MembreForm(request.POST or None, initial=initial, modification=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.membre_modifier(acteur=request.user, membre=membre, donnees=form.donnees())
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, f"La fiche de {membre} est enregistrée.")
            return redirect("collectifs:etape_membres", declaration.pk)
    return render(
        request, "collectifs/membre_modifier.html", _contexte_etape(declaration, "membres", form=form, membre=membre)
    )


def _collectif_pour_autrui(request: HttpRequest, pk: int) -> Collectif:
    """R10, R20: the collectif, for whoever may enter data on its members' behalf; 404 when hidden, 403 when
    visible but not allowed (the département's instructeurs, national staff)."""
    collectif = get_object_or_404(selectors.collectif_visible_to(request.user).prefetch_related("referents"), pk=pk)
    if not permissions.can_saisir_pour_le_compte(request.user, collectif):
        raise PermissionDenied(
            "Seul·es les référent·es et l'accompagnateur·rice du collectif saisissent pour le compte de ses membres."
        )
    return collectif


@require_http_methods(["GET", "POST"])
def membres_pour_autrui(request: HttpRequest, pk: int) -> HttpResponse:
    """R10, R20: the collectif's members, each proxy entry shown « saisi par … pour le compte de … », and the
    form to add a member on their behalf, with their consent (required from the accompagnateur)."""
    collectif = _collectif_pour_autrui(request, pk)
    form = MembrePourAutruiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membre = services.membre_ajouter(
                acteur=request.user, collectif=collectif, donnees=form.donnees(), pour_autrui=form.pour_autrui()
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur, MembrePourAutruiForm.RENVOIS)
        else:
            messages.success(request, f"{membre} est ajouté·e au collège « {membre.get_college_display()} ».")
            return redirect("collectifs:membres_pour_autrui", collectif.pk)
    return render(
        request,
        "collectifs/membres_pour_autrui.html",
        {
            "collectif": collectif,
            "form": form,
            "membres": selectors.membres_du_collectif(collectif),
            "est_referent": permissions.est_referent(request.user, collectif),
        },
    )


@require_http_methods(["GET", "POST"])
def membre_pour_autrui(request: HttpRequest, pk: int, membre_pk: int) -> HttpResponse:
    """R10, R20: correct a member's record on their behalf, with a new consent record."""
    collectif = _collectif_pour_autrui(request, pk)
    membre = get_object_or_404(Membre.objects.select_related("organisation"), pk=membre_pk, collectif=collectif)
    initial = MembreForm.initial_de(membre)
    form = MembrePourAutruiForm(request.POST or None, initial=initial, modification=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.membre_modifier(
                acteur=request.user, membre=membre, donnees=form.donnees(), pour_autrui=form.pour_autrui()
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur, MembrePourAutruiForm.RENVOIS)
        else:
            messages.success(request, f"La fiche de {membre} est enregistrée.")
            return redirect("collectifs:membres_pour_autrui", collectif.pk)
    return render(
        request,
        "collectifs/membre_pour_autrui.html",
        {"collectif": collectif, "form": form, "membre": membre},
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
        contexte_recapitulatif(request, declaration, conditions_a_regler(declaration)),
    )


def contexte_recapitulatif(
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
        erreurs=erreurs,
        campagne=campagne_applicable(declaration),
        conditions=lignes_conditions(erreurs),
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
        contexte = contexte_recapitulatif(request, declaration, erreurs, echec=True)
        return render(request, "collectifs/etape_recapitulatif.html", contexte, status=422)
    messages.success(request, f"Votre déclaration est déposée. Votre récépissé porte le numéro {document.numero}.")
    return redirect("instances:declaration_detail", declaration.pk)


@require_GET
def declaration_recepisse(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(selectors.declaration_visible_to(request.user), pk=pk)
    document = documents_de(declaration, TypeDocument.RECEPISSE).first()
    if document is None:
        raise Http404("Aucun récépissé pour cette déclaration.")
    return reponse_pdf(document)


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
            return redirect("instances:declaration_detail", declaration.pk)
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
            return redirect("tableau_de_bord")
    return render(request, "collectifs/invitation.html", {"invitation": invitation_})


# The columns of the instruction list (`collectifs/instruction.html`).
COLONNES_INSTRUCTION = (
    "etat",
    "deposee_le",
    "collectif__nom",
    "collectif__departement__code",
    "collectif__departement__nom",
    "campagne__annee",
    "campagne__etat",  # read on load by the FSM's concurrency guard
)


@require_GET
def instruction(request: HttpRequest) -> HttpResponseBase:
    """The filed declarations of the user's départements (instructeurs, national staff): searched, filtered (the
    files in progress by default), sorted, 50 a page, exported (`collectifs.filtres.ListeDeclarations`)."""
    if not can_voir_campagnes(request.user):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices.")
    # One page of 50 rows, with only the columns the table shows, and its total in the same query.
    declarations = selectors.declarations_a_instruire(request.user).only(*COLONNES_INSTRUCTION)
    liste = ListeDeclarations(request, declarations, user=request.user)
    if (export := liste.export()) is not None:
        return export
    page = liste.page()
    lien = lien_par_identifiant("instances:declaration_detail")
    for declaration in page.lignes:
        declaration.lien = lien(declaration.pk)
    return render(request, "collectifs/instruction.html", {"declarations": page.lignes, "page": page, "liste": liste})


@require_GET
def collectifs(request: HttpRequest) -> HttpResponseBase:
    """The collectifs the staff see (instructeurs: their départements'; national staff: all), with their members,
    their latest declaration and convention: searched, filtered, sorted, 50 a page, exported."""
    if not can_voir_campagnes(request.user):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices et à l'équipe nationale.")
    liste = ListeCollectifs(request, selectors.collectif_visible_to(request.user), user=request.user)
    if (export := liste.export()) is not None:
        return export
    return render(request, "collectifs/collectifs.html", {"page": liste.page(), "liste": liste})


@login_not_required
@require_GET
def formulaire_vierge(request: HttpRequest) -> HttpResponse:
    """Public: the blank paper declaration form, for assisted filing."""
    return reponse_pdf(formulaire_vierge_obtenir(), en_ligne=True)
