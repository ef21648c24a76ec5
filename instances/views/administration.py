"""Pages of the administration of a département's instance and staff, without /admin/ (issue 11).

- The instance: create it (« Créer l'instance du département »), change its settings.
- Its members: the list with their accounts, add, edit, end a membership (a confirmation page with the date),
  invite the person to link an account, order the presidency rotation (R6).
- The registry of accompagnateur·rices (R10): list, add, edit, take off the registry (confirmation; refused
  while they follow a collectif), put back, invite.
- The « Équipe et invitations » page of a département: its instructeurs (national staff remove one, after a
  confirmation page), the staff invitations (« Annuler »), the form to invite an instructeur, and the journal.
- The acceptance page of a staff invitation (/invitations/personnel/<jeton>/, no login needed).

Thin adapters over instances.services_administration: a scoped lookup (404 when hidden), a predicate (403 when
visible but not allowed), a form, one service; the service's errors go next to their fields (422), the input is
kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes.models import Instructeur, User, normaliser_email
from core.pagination import paginer
from core.ui import appliquer_erreurs, donnees_postees, formulaire_traiter
from instances import permissions, selectors, selectors_administration, services_administration
from instances.forms_administration import (
    AcceptationForm,
    AccompagnateurForm,
    FinMandatForm,
    InstanceForm,
    InvitationForm,
    MembreInstanceForm,
    OrdreRotationForm,
)
from instances.models import (
    Accompagnateur,
    EtatInvitation,
    InstanceDepartementale,
    Invitation,
    MembreInstance,
    RoleInvitation,
)
from territoires.models import Departement

RESERVE = "Cette page est réservée aux instructeur·rices du département et à l'équipe nationale."
FORMULAIRE = "instances/administration/formulaire.html"
CONFIRMATION = "instances/administration/confirmation.html"


def _formulaire(
    request: HttpRequest,
    form: forms.Form,
    appel: Callable[[dict[str, Any]], Any],
    succes: Callable[[Any], str],
    suite: Callable[[Any], str],
    contexte: dict[str, Any],
    gabarit: str = FORMULAIRE,
) -> HttpResponse:
    return formulaire_traiter(request, form, appel, succes, suite, gabarit, contexte)


def _departement(request: HttpRequest, code: str, predicat: Callable[[Any, str], bool]) -> Departement:
    departement = get_object_or_404(Departement, code=code)
    if not predicat(request.user, departement.code):
        raise PermissionDenied(RESERVE)
    return departement


def _instance_administree(request: HttpRequest, pk: int) -> InstanceDepartementale:
    """The instance, hidden (404) from who does not see it, refused (403) to who sees it without administering."""
    instance = get_object_or_404(selectors.instance_visible_to(request.user), pk=pk)
    if not permissions.can_administrer_instance(request.user, instance.departement_id):
        raise PermissionDenied(RESERVE)
    return instance


def _membre(request: HttpRequest, pk: int, membre_pk: int) -> tuple[InstanceDepartementale, MembreInstance]:
    instance = _instance_administree(request, pk)
    return instance, get_object_or_404(instance.membres.select_related("user"), pk=membre_pk)


def _accompagnateur(request: HttpRequest, pk: int) -> Accompagnateur:
    """A registry entry of a département the user administers; 404 otherwise."""
    return get_object_or_404(
        Accompagnateur.objects.filter(
            departement__in=selectors_administration.departements_administres(request.user)
        ).select_related("departement"),
        pk=pk,
    )


# --- The instance -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def instance_nouvelle(request: HttpRequest) -> HttpResponse:
    """Create the département's instance: its instructeurs for their départements, national staff for any."""
    if not selectors_administration.departements_administres(request.user).exists():
        raise PermissionDenied(RESERVE)
    departements = selectors_administration.departements_sans_instance(request.user)
    initial: dict[str, Any] = {}
    if code := request.GET.get("departement", ""):
        choisi = departements.filter(code=code).first()
        if choisi is not None:
            initial = {"departement": choisi, "nom": f"Instance départementale — {choisi.nom}"}
    return _formulaire(
        request,
        InstanceForm(donnees_postees(request), departements=departements, initial=initial),
        lambda d: services_administration.instance_creer(acteur=request.user, **_parametres(d)),
        lambda instance: f"L'instance « {instance} » est créée : ajoutez maintenant ses membres.",
        lambda instance: reverse("instances:membres", args=[instance.pk]),
        {
            "titre": "Créer l'instance du département",
            "intro": "Une instance par département : elle décide en séance des déclarations des collectifs. Vous "
            "ajouterez ensuite ses membres et l'ordre de rotation de la présidence.",
            "bouton": "Créer l'instance",
            "retour": reverse("instances:instances"),
            "aucun_choix": not departements.exists(),
        },
    )


def _parametres(donnees: dict[str, Any]) -> dict[str, Any]:
    parametres = dict(donnees)
    parametres["quorum_fraction"] = InstanceForm.fraction(parametres.pop("quorum_pourcentage"))
    return parametres


@require_http_methods(["GET", "POST"])
def instance_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    instance = _instance_administree(request, pk)
    return _formulaire(
        request,
        InstanceForm(donnees_postees(request), initial=InstanceForm.initial_de(instance)),
        lambda d: services_administration.instance_modifier(acteur=request.user, instance=instance, **_parametres(d)),
        lambda objet: f"Les paramètres de « {objet} » sont enregistrés.",
        lambda objet: reverse("instances:instance", args=[objet.pk]),
        {
            "titre": f"Paramètres de {instance}",
            "intro": "Une nouvelle durée de mandat s'applique à la prochaine présidence ; le mandat en cours garde "
            "sa fin prévue.",
            "bouton": "Enregistrer",
            "retour": reverse("instances:instance", args=[instance.pk]),
        },
    )


# --- Members and the rotation (R6) -------------------------------------------------------------------------------


@require_GET
def membres(request: HttpRequest, pk: int) -> HttpResponse:
    """The members, sitting or not, in rotation order, with their account and pending invitation."""
    instance = _instance_administree(request, pk)
    liste = list(selectors_administration.membres_de(instance))
    en_attente = {
        i.membre_id: i
        for i in Invitation.objects.filter(
            membre__instance=instance, etat=EtatInvitation.EN_ATTENTE, expire_le__gt=timezone.now()
        )
    }
    for membre in liste:
        membre.invitation_en_attente = en_attente.get(membre.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "instances/administration/membres.html",
        {"instance": instance, "membres": liste, "presidence": selectors.presidence_en_cours(instance)},
    )


@require_http_methods(["GET", "POST"])
def membre_nouveau(request: HttpRequest, pk: int) -> HttpResponse:
    instance = _instance_administree(request, pk)
    return _formulaire(
        request,
        MembreInstanceForm(donnees_postees(request)),
        lambda d: services_administration.membre_ajouter(acteur=request.user, instance=instance, **d),
        lambda m: (
            f"{m.prenom} {m.nom} est membre de l'instance, au rang {m.rang_rotation} de la rotation."
            + (" L'invitation à créer son compte est envoyée." if request.POST.get("email") else "")
        ),
        lambda m: reverse("instances:membres", args=[instance.pk]),
        {
            "titre": "Ajouter un membre",
            "intro": f"{instance} — un membre représente une institution, dans un collège.",
            "bouton": "Ajouter le membre",
            "retour": reverse("instances:membres", args=[instance.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def membre_modifier(request: HttpRequest, pk: int, membre_pk: int) -> HttpResponse:
    instance, membre = _membre(request, pk, membre_pk)
    return _formulaire(
        request,
        MembreInstanceForm(donnees_postees(request), creation=False, initial=MembreInstanceForm.initial_de(membre)),
        lambda d: services_administration.membre_modifier(acteur=request.user, membre=membre, **d),
        lambda m: f"La fiche de {m.prenom} {m.nom} est enregistrée.",
        lambda m: reverse("instances:membres", args=[instance.pk]),
        {
            "titre": f"Modifier {membre.prenom} {membre.nom}",
            "intro": "Le rang dans la rotation de la présidence se change sur la page « Ordre de rotation ».",
            "bouton": "Enregistrer",
            "retour": reverse("instances:membres", args=[instance.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def membre_fin(request: HttpRequest, pk: int, membre_pk: int) -> HttpResponse:
    """End a membership: a page that says what it means, with the date; the POST does it."""
    instance, membre = _membre(request, pk, membre_pk)
    presidence = selectors.presidence_en_cours(instance)
    return _formulaire(
        request,
        FinMandatForm(donnees_postees(request)),
        lambda d: services_administration.membre_mettre_fin(acteur=request.user, membre=membre, **d),
        lambda m: f"Le mandat de {m.prenom} {m.nom} a pris fin le {m.fin:%d/%m/%Y}.",
        lambda m: reverse("instances:membres", args=[instance.pk]),
        {
            "titre": f"Mettre fin au mandat de {membre.prenom} {membre.nom}",
            "intro": f"{membre.prenom} {membre.nom} ({membre.institution}) ne siégera plus : plus de convocation ni "
            "de vote. Sa fiche, ses votes et ses présidences passées restent dans l'historique.",
            "alerte": (
                f"{membre.prenom} {membre.nom} préside l'instance jusqu'au {presidence.fin_prevue:%d/%m/%Y} : "
                "passez d'abord la présidence au membre suivant."
            )
            if presidence is not None and presidence.membre_id == membre.pk
            else "",
            "bouton": "Mettre fin au mandat",
            "retour": reverse("instances:membres", args=[instance.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def membre_inviter(request: HttpRequest, pk: int, membre_pk: int) -> HttpResponse:
    """Invite the person to create (or link) the account of this member."""
    instance, membre = _membre(request, pk, membre_pk)
    return _formulaire(
        request,
        InvitationForm(donnees_postees(request)),
        lambda d: services_administration.invitation_creer(
            acteur=request.user,
            role=RoleInvitation.MEMBRE_INSTANCE,
            departement=instance.departement,
            membre=membre,
            email=d["email"],
        ),
        lambda invitation: f"Invitation envoyée à {invitation.email}.",
        lambda invitation: reverse("instances:membres", args=[instance.pk]),
        {
            "titre": f"Inviter {membre.prenom} {membre.nom} à créer son compte",
            "intro": f"Une fois l'invitation acceptée, le compte de la personne est celui de {membre.prenom} "
            f"{membre.nom} ({membre.institution}) dans {instance} : convocations, séances, votes.",
            "bouton": "Envoyer l'invitation",
            "retour": reverse("instances:membres", args=[instance.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def membres_ordre(request: HttpRequest, pk: int) -> HttpResponse:
    """R6: the presidency rotation order, one rank per member."""
    instance = _instance_administree(request, pk)
    liste = sorted(selectors_administration.membres_de(instance), key=lambda m: (not m.actif, m.rang_rotation))
    form = OrdreRotationForm(donnees_postees(request), membres=liste)
    return _formulaire(
        request,
        form,
        lambda d: services_administration.membres_reordonner(
            acteur=request.user, instance=instance, ordre=form.ordre()
        ),
        lambda ordre: "L'ordre de rotation de la présidence est enregistré.",
        lambda ordre: reverse("instances:membres", args=[instance.pk]),
        {
            "titre": "Ordre de rotation de la présidence",
            "intro": "Donnez à chaque membre son rang (1 pour le premier). À la fin d'un mandat, la présidence passe "
            "au membre qui siège au rang suivant celui de la présidence en cours.",
            "bouton": "Enregistrer l'ordre",
            "retour": reverse("instances:membres", args=[instance.pk]),
        },
    )


# --- The registry of accompagnateur·rices (R10) ------------------------------------------------------------------


@require_GET
def accompagnateurs(request: HttpRequest, code: str) -> HttpResponse:
    departement = _departement(request, code, permissions.can_gerer_registre_accompagnateurs)
    return render(
        request,
        "instances/administration/accompagnateurs.html",
        {
            "departement": departement,
            "registre": list(selectors_administration.registre_du_departement(departement.code)),
            "instance": InstanceDepartementale.objects.filter(departement=departement).first(),
        },
    )


@require_http_methods(["GET", "POST"])
def accompagnateur_nouveau(request: HttpRequest, code: str) -> HttpResponse:
    departement = _departement(request, code, permissions.can_gerer_registre_accompagnateurs)
    liste = reverse("instances:accompagnateurs", args=[departement.code])
    return _formulaire(
        request,
        AccompagnateurForm(donnees_postees(request)),
        lambda d: services_administration.accompagnateur_ajouter(acteur=request.user, departement=departement, **d),
        lambda a: f"{a.prenom} {a.nom} est inscrit·e au registre : vous pouvez l'affecter à un collectif.",
        lambda a: liste,
        {
            "titre": "Ajouter une personne au registre des accompagnateur·rices",
            "intro": str(departement),
            "bouton": "Ajouter au registre",
            "retour": liste,
        },
    )


@require_http_methods(["GET", "POST"])
def accompagnateur_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    objet = _accompagnateur(request, pk)
    liste = reverse("instances:accompagnateurs", args=[objet.departement_id])
    return _formulaire(
        request,
        AccompagnateurForm(
            donnees_postees(request),
            initial={"prenom": objet.prenom, "nom": objet.nom, "structure": objet.structure, "email": objet.email},
        ),
        lambda d: services_administration.accompagnateur_modifier(acteur=request.user, accompagnateur=objet, **d),
        lambda a: f"La fiche de {a.prenom} {a.nom} est enregistrée.",
        lambda a: liste,
        {"titre": f"Modifier {objet.prenom} {objet.nom}", "bouton": "Enregistrer", "retour": liste},
    )


@require_http_methods(["GET", "POST"])
def accompagnateur_retirer(request: HttpRequest, pk: int) -> HttpResponse:
    """Take someone off the registry: a confirmation page (which says whom they still follow), then the POST."""
    objet = _accompagnateur(request, pk)
    liste = reverse("instances:accompagnateurs", args=[objet.departement_id])
    erreurs: list[str] = []
    if request.method == "POST":
        try:
            services_administration.accompagnateur_retirer_du_registre(acteur=request.user, accompagnateur=objet)
        except ValidationError as erreur:
            erreurs = erreur.messages
        else:
            messages.success(request, f"{objet.prenom} {objet.nom} est retiré·e du registre.")
            return redirect(liste)
    suivis = list(objet.affectations.filter(fin__isnull=True).select_related("collectif").order_by("collectif__nom"))
    return render(
        request,
        CONFIRMATION,
        {
            "titre": f"Retirer {objet.prenom} {objet.nom} du registre",
            "texte": "La personne ne pourra plus être affectée à un collectif. Sa fiche, son journal de "
            "recherche-action et ses affectations passées restent.",
            "erreurs": erreurs,
            "suivis": suivis,
            "bouton": "Retirer du registre",
            "retour": liste,
        },
        status=422 if erreurs else 200,
    )


@require_POST
def accompagnateur_remettre(request: HttpRequest, pk: int) -> HttpResponse:
    objet = _accompagnateur(request, pk)
    try:
        services_administration.accompagnateur_remettre_au_registre(acteur=request.user, accompagnateur=objet)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{objet.prenom} {objet.nom} est de nouveau au registre.")
    return redirect("instances:accompagnateurs", objet.departement_id)


@require_http_methods(["GET", "POST"])
def accompagnateur_inviter(request: HttpRequest, pk: int) -> HttpResponse:
    objet = _accompagnateur(request, pk)
    liste = reverse("instances:accompagnateurs", args=[objet.departement_id])
    return _formulaire(
        request,
        InvitationForm(donnees_postees(request), initial={"email": objet.email}),
        lambda d: services_administration.invitation_creer(
            acteur=request.user,
            role=RoleInvitation.ACCOMPAGNATEUR,
            departement=objet.departement,
            accompagnateur=objet,
            email=d["email"],
        ),
        lambda invitation: f"Invitation envoyée à {invitation.email}.",
        lambda invitation: liste,
        {
            "titre": f"Inviter {objet.prenom} {objet.nom} à créer son compte",
            "intro": "Une fois l'invitation acceptée, la personne retrouve sur son tableau de bord les collectifs "
            "qu'elle accompagne et tient leur journal de recherche-action.",
            "bouton": "Envoyer l'invitation",
            "retour": liste,
        },
    )


# --- The département's team and its invitations ------------------------------------------------------------------


@require_GET
def equipes(request: HttpRequest) -> HttpResponse:
    """Choose a département (a GET form): national staff reach any département's team from here."""
    departements = selectors_administration.departements_administres(request.user).order_by("code")
    if not departements.exists():
        raise PermissionDenied(RESERVE)
    code = request.GET.get("departement", "")
    if code and departements.filter(code=code).exists():
        return redirect("instances:equipe", code)
    return render(
        request,
        "instances/administration/equipes.html",
        {"departements": departements, "erreur": "Choisissez un département de la liste." if code else ""},
        status=422 if code else 200,
    )


@require_http_methods(["GET", "POST"])
def equipe(request: HttpRequest, code: str) -> HttpResponse:
    """The département's instructeurs, the staff invitations and their journal; the POST invites an instructeur."""
    departement = _departement(request, code, permissions.can_voir_equipe)
    form = InvitationForm(donnees_postees(request))
    statut = 200
    if request.method == "POST":
        if not permissions.can_inviter_personnel(request.user, departement.code):
            raise PermissionDenied(RESERVE)
        if form.is_valid():
            try:
                invitation = services_administration.invitation_creer(
                    acteur=request.user,
                    role=RoleInvitation.INSTRUCTEUR,
                    departement=departement,
                    email=form.cleaned_data["email"],
                )
            except ValidationError as erreur:
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, f"Invitation envoyée à {invitation.email}.")
                return redirect("instances:equipe", departement.code)
        statut = 422
    journal = paginer(request, selectors_administration.journal_du_personnel(departement.code), parametre="journal")
    for ligne in journal.lignes:
        ligne.libelle = selectors_administration.LIBELLES_JOURNAL.get(  # type: ignore[attr-defined]
            ligne.transition, ligne.transition
        )
    return render(
        request,
        "instances/administration/equipe.html",
        {
            "departement": departement,
            "instance": InstanceDepartementale.objects.filter(departement=departement).first(),
            "instructeurs": list(selectors_administration.instructeurs_du_departement(departement.code)),
            "invitations": paginer(request, selectors_administration.invitations_du_departement(departement.code)),
            "journal": journal,
            "form": form,
            "peut_retirer": permissions.can_retirer_instructeur(request.user, departement.code),
            "maintenant": timezone.now(),
        },
        status=statut,
    )


@require_http_methods(["GET", "POST"])
def instructeur_retirer(request: HttpRequest, code: str, instructeur_pk: int) -> HttpResponse:
    """National staff remove an instructeur from the département: a confirmation page, then the POST."""
    departement = _departement(request, code, permissions.can_voir_equipe)
    instructeur = get_object_or_404(
        Instructeur.objects.filter(departements=departement).select_related("user"), pk=instructeur_pk
    )
    if not permissions.can_retirer_instructeur(request.user, departement.code):
        raise PermissionDenied("Seule l'équipe nationale retire un·e instructeur·rice d'un département.")
    retour = reverse("instances:equipe", args=[departement.code])
    erreurs: list[str] = []
    if request.method == "POST":
        try:
            services_administration.instructeur_retirer(
                acteur=request.user, instructeur=instructeur, departement=departement
            )
        except ValidationError as erreur:
            erreurs = erreur.messages
        else:
            messages.success(request, f"{instructeur.user} n'est plus instructeur·rice du département {departement}.")
            return redirect(retour)
    return render(
        request,
        CONFIRMATION,
        {
            "titre": f"Retirer {instructeur.user} du département {departement}",
            "texte": f"{instructeur.user} ({instructeur.user.email}) ne verra plus les dossiers, les campagnes ni "
            f"l'instance du département {departement}. Son compte et ses autres départements restent ; le journal "
            "garde la trace du retrait.",
            "erreurs": erreurs,
            "bouton": "Retirer du département",
            "retour": retour,
        },
        status=422 if erreurs else 200,
    )


@require_POST
def invitation_annuler(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.filter(departement__in=selectors_administration.departements_administres(request.user)),
        pk=pk,
    )
    try:
        services_administration.invitation_annuler(acteur=request.user, invitation=invitation)
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"L'invitation adressée à {invitation.email} est annulée : son lien ne marche plus.")
    return redirect("instances:equipe", invitation.departement_id)


# --- Accepting an invitation ---------------------------------------------------------------------------------------


def _apres_acceptation(invitation: Invitation) -> str:
    if invitation.role == RoleInvitation.MEMBRE_INSTANCE and invitation.membre is not None:
        return reverse("instances:instance", args=[invitation.membre.instance_id])
    return reverse("tableau_de_bord")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_personnel(request: HttpRequest, jeton: str) -> HttpResponse:
    """The invited person: without an account, creates it here (the address is the invited one); with one, logs in
    with it and accepts. Works once, expires, refused once cancelled."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("departement", "invite_par", "membre__instance", "accompagnateur"),
        jeton=jeton,
    )
    erreurs: list[str] = []
    try:
        services_administration.verifier_utilisable(invitation)
    except ValidationError as erreur:
        erreurs = erreur.messages
    connecte = request.user.is_authenticated
    compte_existant = connecte or User.objects.filter(email__iexact=normaliser_email(invitation.email)).exists()
    form = None if compte_existant or erreurs else AcceptationForm(donnees_postees(request), email=invitation.email)
    if request.method == "POST" and not erreurs:
        if not connecte and form is None:
            return redirect(f"{reverse('comptes:connexion')}?next={request.path}")
        try:
            if connecte:
                services_administration.invitation_accepter(acteur=request.user, invitation=invitation)
            elif form is not None and form.is_valid():
                utilisateur = services_administration.invitation_accepter_avec_compte(
                    invitation=invitation,
                    prenom=form.cleaned_data["prenom"],
                    nom=form.cleaned_data["nom"],
                    mot_de_passe=form.cleaned_data["password1"],
                )
                login(request, utilisateur, backend="comptes.backends.EmailBackend")
        except ValidationError as erreur:
            if form is not None:
                appliquer_erreurs(form, erreur)
            else:
                erreurs = erreur.messages
        else:
            if connecte or (form is not None and not form.errors):
                messages.success(
                    request,
                    f"Bienvenue : votre compte est maintenant celui de {invitation.get_role_display().lower()}.",
                )
                return redirect(_apres_acceptation(invitation))
    return render(
        request,
        "instances/administration/invitation.html",
        {
            "invitation": invitation,
            "erreurs": erreurs,
            "form": form,
            "connecte": connecte,
            "bonne_adresse": connecte
            and normaliser_email(getattr(request.user, "email", "")) == normaliser_email(invitation.email),
            "connexion": f"{reverse('comptes:connexion')}?next={request.path}",
        },
        status=422 if request.method == "POST" else 200,
    )
