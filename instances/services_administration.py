"""Writes of the administration of a département's instance and staff, without /admin/ (issue 11).

- The instance: its name, quorum (R5), presidency term (R6) and the contact a collectif asks for help.
- Its members: added in a college, voting or not, at a rank of the presidency rotation (R6); edited; their
  membership ended (never deleted: their votes and presidencies stay), but not while they preside; the rotation
  reordered. Ranks are unique per instance: every renumbering goes through `_renumeroter`, in two steps, inside
  the caller's transaction with the instance row locked.
- The registry of accompagnateur·rices (R10): added, edited, taken off the registry and put back. Someone who
  still follows a collectif is not taken off: R10 gives every accepted collectif an accompagnateur, so they are
  replaced on the collectif first (the refusal names the collectifs).
- Staff invitations: an instructeur of the département (national staff for any département, an instructeur for
  their own), a member of its instance (linked to the MembreInstance row) or an accompagnateur·rice (linked to
  the registry row). The link is e-mailed after commit, works once, expires after DUREE_INVITATION, and can be
  cancelled; on acceptance the role is granted in the same transaction. National staff remove an instructeur
  from a département.

Every invitation, acceptance, cancellation and removal, every end of a membership and every change of the
registry writes a TransitionLog row in the same transaction (R19). Each service re-checks its predicate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from django.contrib.auth import password_validation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from comptes.models import Acteur, Instructeur, User, normaliser_email, personne
from comptes.permissions import connecte
from core.permissions import REFUS, exiger
from instances import permissions
from instances.models import (
    DUREE_INVITATION,
    Accompagnateur,
    AffectationAccompagnateur,
    EtatInvitation,
    InstanceDepartementale,
    Invitation,
    MembreInstance,
    RoleInvitation,
)
from instances.selectors import presidence_en_cours
from instances.tasks_invitations import envoyer_invitation_personnel
from journal.fsm import transition_appliquer
from journal.models import TransitionLog
from territoires.models import Departement

# The journal's names of the non-FSM changes written here (TransitionLog.transition).
INVITER = "inviter"
METTRE_FIN = "mettre_fin"
RETIRER_DU_REGISTRE = "retirer_du_registre"
REMETTRE_AU_REGISTRE = "remettre_au_registre"
RETIRER_DEPARTEMENT = "retirer_departement"


def _journaliser(
    objet: models.Model, transition: str, *, acteur: Acteur, source: str, cible: str, champ: str, commentaire: str
) -> TransitionLog:
    """One journal row for a change that is not an FSM transition (R19), in the caller's transaction."""
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(objet),
        object_id=objet.pk,
        champ=champ,
        transition=transition,
        source=source,
        cible=cible,
        acteur=personne(acteur),
        commentaire=commentaire,
    )


def _valider(objet: models.Model, exclure: list[str] | None = None) -> None:
    objet.full_clean(exclude=exclure)


# ---------------------------------------------------------------------------------------------------------------
# The instance (R5, R6)
# ---------------------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def instance_creer(
    *,
    acteur: Acteur,
    departement: Departement,
    nom: str,
    quorum_fraction: Decimal,
    duree_mandat_mois: int,
    contact_email: str = "",
    contact_telephone: str = "",
    contact_horaires: str = "",
) -> InstanceDepartementale:
    """Create the département's instance (one per département), by its instructeurs or national staff."""
    exiger(permissions.can_administrer_instance(acteur, departement.code))
    if InstanceDepartementale.objects.filter(departement=departement).exists():
        raise ValidationError({"departement": [f"Le département {departement} a déjà son instance."]})
    instance = InstanceDepartementale(
        departement=departement,
        nom=nom.strip(),
        quorum_fraction=quorum_fraction,
        duree_mandat_mois=duree_mandat_mois,
        contact_email=normaliser_email(contact_email) if contact_email else "",
        contact_telephone=contact_telephone.strip(),
        contact_horaires=contact_horaires.strip(),
    )
    _valider_duree(duree_mandat_mois)
    _valider(instance)
    instance.save()
    return instance


def _valider_duree(duree_mandat_mois: int) -> None:
    if not 1 <= duree_mandat_mois <= 72:
        raise ValidationError({"duree_mandat_mois": ["Indiquez une durée entre 1 et 72 mois."]})


@transaction.atomic(durable=True)
def instance_modifier(
    *,
    acteur: Acteur,
    instance: InstanceDepartementale,
    nom: str,
    quorum_fraction: Decimal,
    duree_mandat_mois: int,
    contact_email: str = "",
    contact_telephone: str = "",
    contact_horaires: str = "",
) -> InstanceDepartementale:
    """Change the instance's settings. A new term length applies from the next rotation (R6): the current
    presidency keeps its planned end."""
    instance = InstanceDepartementale.objects.select_for_update().get(pk=instance.pk)
    exiger(permissions.can_administrer_instance(acteur, instance.departement_id))
    instance.nom = nom.strip()
    instance.quorum_fraction = quorum_fraction
    instance.duree_mandat_mois = duree_mandat_mois
    instance.contact_email = normaliser_email(contact_email) if contact_email else ""
    instance.contact_telephone = contact_telephone.strip()
    instance.contact_horaires = contact_horaires.strip()
    _valider_duree(duree_mandat_mois)
    _valider(instance, exclure=["departement"])
    instance.save(
        update_fields=[
            "nom",
            "quorum_fraction",
            "duree_mandat_mois",
            "contact_email",
            "contact_telephone",
            "contact_horaires",
        ]
    )
    return instance


# ---------------------------------------------------------------------------------------------------------------
# Members and the presidency rotation (R6)
# ---------------------------------------------------------------------------------------------------------------


def _verrouiller_instance(instance: InstanceDepartementale) -> InstanceDepartementale:
    """Lock the instance row: every change of its members' ranks is serialised on it."""
    return InstanceDepartementale.objects.select_for_update().select_related("departement").get(pk=instance.pk)


def _renumeroter(instance: InstanceDepartementale, ordre: list[MembreInstance]) -> None:
    """Give `ordre` the ranks 1…n without ever tripping the (instance, rang_rotation) unique constraint: first
    every rank moves above both the old and the new ranges (one UPDATE; each new value is above every old one,
    so no row collides, row by row, on SQLite or PostgreSQL), then each member gets its final rank (one UPDATE;
    the final ranks are below every temporary one). The caller holds the instance's lock."""
    haut = instance.membres.aggregate(m=models.Max("rang_rotation"))["m"] or 0
    decalage = max(haut, len(ordre)) + 1
    instance.membres.update(rang_rotation=F("rang_rotation") + decalage)
    for rang, membre in enumerate(ordre, start=1):
        membre.rang_rotation = rang
    MembreInstance.objects.bulk_update(ordre, ["rang_rotation"])


@transaction.atomic(durable=True)
def membre_ajouter(
    *,
    acteur: Acteur,
    instance: InstanceDepartementale,
    prenom: str,
    nom: str,
    institution: str,
    college: str,
    votant: bool,
    rang_rotation: int | None = None,
    email: str = "",
) -> MembreInstance:
    """Add a member in a college, voting or not, at rank `rang_rotation` of the presidency rotation (the members
    from that rank on move one place down; none given: last). With an e-mail, the person is invited to link an
    account to this member (sent after commit)."""
    instance = _verrouiller_instance(instance)
    exiger(permissions.can_administrer_instance(acteur, instance.departement_id))
    membres = list(instance.membres.order_by("rang_rotation"))
    if rang_rotation is not None and not 1 <= rang_rotation <= len(membres) + 1:
        raise ValidationError(
            {"rang_rotation": [f"Choisissez un rang entre 1 et {len(membres) + 1}, ou laissez vide pour le dernier."]}
        )
    haut = max((m.rang_rotation for m in membres), default=0)
    membre = MembreInstance(
        instance=instance,
        prenom=prenom.strip(),
        nom=nom.strip(),
        institution=institution.strip(),
        college=college,
        votant=votant,
        rang_rotation=haut + 1,
    )
    _valider(membre, exclure=["instance"])
    membre.save()
    if rang_rotation is not None and rang_rotation <= len(membres):
        _renumeroter(instance, [*membres[: rang_rotation - 1], membre, *membres[rang_rotation - 1 :]])
    if email:
        _inviter(
            acteur=acteur,
            role=RoleInvitation.MEMBRE_INSTANCE,
            departement=instance.departement,
            email=email,
            membre=membre,
        )
    return membre


@transaction.atomic(durable=True)
def membre_modifier(
    *, acteur: Acteur, membre: MembreInstance, prenom: str, nom: str, institution: str, college: str, votant: bool
) -> MembreInstance:
    """Correct a sitting member's name, institution, college or vote. The rank changes on the rotation page."""
    instance = _verrouiller_instance(membre.instance)
    exiger(permissions.can_administrer_instance(acteur, instance.departement_id))
    membre = MembreInstance.objects.get(pk=membre.pk)
    if not membre.actif:
        raise ValidationError("Ce membre ne siège plus : sa fiche reste telle qu'elle était à la fin de son mandat.")
    membre.prenom, membre.nom, membre.institution = prenom.strip(), nom.strip(), institution.strip()
    membre.college, membre.votant = college, votant
    _valider(membre, exclure=["instance"])
    membre.save(update_fields=["prenom", "nom", "institution", "college", "votant"])
    return membre


@transaction.atomic(durable=True)
def membre_mettre_fin(*, acteur: Acteur, membre: MembreInstance, fin: date) -> MembreInstance:
    """End a membership on `fin` (today or earlier): the member no longer sits, convenes nor votes; the row, its
    votes and its presidencies stay. The member holding the current presidency is not ended before the
    presidency passes on (R6). Their pending invitations are cancelled."""
    instance = _verrouiller_instance(membre.instance)
    exiger(permissions.can_administrer_instance(acteur, instance.departement_id))
    membre = MembreInstance.objects.get(pk=membre.pk)
    if not membre.actif:
        raise ValidationError(f"Le mandat de {membre.prenom} {membre.nom} a déjà pris fin.")
    if fin > timezone.localdate():
        raise ValidationError(
            {"fin": ["La date de fin ne peut pas être dans le futur : mettez fin au mandat le jour venu."]}
        )
    presidence = presidence_en_cours(instance)
    if presidence is not None and presidence.membre_id == membre.pk:
        raise ValidationError(
            {
                "fin": [
                    f"{membre.prenom} {membre.nom} préside l'instance (mandat jusqu'au "
                    f"{presidence.fin_prevue:%d/%m/%Y}) : passez d'abord la présidence au membre suivant, puis "
                    f"mettez fin à son mandat."
                ]
            }
        )
    membre.actif = False
    membre.fin = fin
    membre.save(update_fields=["actif", "fin"])
    _journaliser(
        membre,
        METTRE_FIN,
        acteur=acteur,
        source="actif",
        cible="fin",
        champ="actif",
        commentaire=f"Fin du mandat de {membre.prenom} {membre.nom} ({membre.institution}) le {fin:%d/%m/%Y}.",
    )
    for invitation in Invitation.objects.select_for_update().filter(membre=membre, etat=EtatInvitation.EN_ATTENTE):
        _annuler(acteur, invitation, "Le mandat du membre a pris fin.")
    return membre


@transaction.atomic(durable=True)
def membres_reordonner(
    *, acteur: Acteur, instance: InstanceDepartementale, ordre: list[MembreInstance]
) -> list[MembreInstance]:
    """R6: set the presidency rotation order. `ordre` names every member of the instance once (those who no
    longer sit keep a rank, after the others if the caller puts them there); they get the ranks 1…n."""
    instance = _verrouiller_instance(instance)
    exiger(permissions.can_administrer_instance(acteur, instance.departement_id))
    attendus = set(instance.membres.values_list("pk", flat=True))
    cites = [m.pk for m in ordre]
    if len(cites) != len(set(cites)) or set(cites) != attendus:
        raise ValidationError("L'ordre doit citer chaque membre de l'instance une fois et une seule.")
    ordre = list(MembreInstance.objects.in_bulk(cites).values())
    par_pk = {m.pk: m for m in ordre}
    ordonnes = [par_pk[pk] for pk in cites]
    _renumeroter(instance, ordonnes)
    return ordonnes


# ---------------------------------------------------------------------------------------------------------------
# The registry of accompagnateur·rices (R10)
# ---------------------------------------------------------------------------------------------------------------


def _email_libre(departement: Departement, email: str, sauf: Accompagnateur | None = None) -> None:
    doublons = Accompagnateur.objects.filter(departement=departement, email__iexact=email)
    if sauf is not None:
        doublons = doublons.exclude(pk=sauf.pk)
    if email and doublons.exists():
        raise ValidationError({"email": [f"{email} est déjà au registre du département."]})


@transaction.atomic(durable=True)
def accompagnateur_ajouter(
    *, acteur: Acteur, departement: Departement, prenom: str, nom: str, structure: str = "", email: str = ""
) -> Accompagnateur:
    """R10: add someone to the département's registry (they can then be assigned to a collectif)."""
    exiger(permissions.can_gerer_registre_accompagnateurs(acteur, departement.code))
    email = normaliser_email(email) if email else ""
    accompagnateur = Accompagnateur(
        departement=departement, prenom=prenom.strip(), nom=nom.strip(), structure=structure.strip(), email=email
    )
    _valider(accompagnateur)
    _email_libre(departement, email)
    accompagnateur.save()
    return accompagnateur


@transaction.atomic(durable=True)
def accompagnateur_modifier(
    *, acteur: Acteur, accompagnateur: Accompagnateur, prenom: str, nom: str, structure: str = "", email: str = ""
) -> Accompagnateur:
    """R10: correct a registry entry (name, structure, contact address)."""
    accompagnateur = Accompagnateur.objects.select_for_update().select_related("departement").get(pk=accompagnateur.pk)
    exiger(permissions.can_gerer_registre_accompagnateurs(acteur, accompagnateur.departement_id))
    accompagnateur.prenom, accompagnateur.nom = prenom.strip(), nom.strip()
    accompagnateur.structure = structure.strip()
    accompagnateur.email = normaliser_email(email) if email else ""
    _valider(accompagnateur, exclure=["departement"])
    _email_libre(accompagnateur.departement, accompagnateur.email, sauf=accompagnateur)
    accompagnateur.save(update_fields=["prenom", "nom", "structure", "email"])
    return accompagnateur


@transaction.atomic(durable=True)
def accompagnateur_retirer_du_registre(*, acteur: Acteur, accompagnateur: Accompagnateur) -> Accompagnateur:
    """R10: take someone off the registry (no new assignment). Refused while they follow a collectif: each
    accepted collectif keeps an accompagnateur, so another one is assigned to it first. Their pending invitations
    are cancelled."""
    accompagnateur = Accompagnateur.objects.select_for_update().get(pk=accompagnateur.pk)
    exiger(permissions.can_gerer_registre_accompagnateurs(acteur, accompagnateur.departement_id))
    if not accompagnateur.actif:
        raise ValidationError(f"{accompagnateur.prenom} {accompagnateur.nom} n'est déjà plus au registre.")
    suivis = list(
        AffectationAccompagnateur.objects.filter(accompagnateur=accompagnateur, fin__isnull=True)
        .select_related("collectif")
        .order_by("collectif__nom")
    )
    if suivis:
        noms = ", ".join(f"« {a.collectif.nom} »" for a in suivis)
        raise ValidationError(
            f"{accompagnateur.prenom} {accompagnateur.nom} accompagne encore {noms}. Affectez d'abord un·e autre "
            f"accompagnateur·rice à {'ce collectif' if len(suivis) == 1 else 'ces collectifs'}, puis retirez "
            f"{accompagnateur.prenom} {accompagnateur.nom} du registre."
        )
    accompagnateur.actif = False
    accompagnateur.save(update_fields=["actif"])
    _journaliser(
        accompagnateur,
        RETIRER_DU_REGISTRE,
        acteur=acteur,
        source="actif",
        cible="inactif",
        champ="actif",
        commentaire=f"{accompagnateur} retiré·e du registre.",
    )
    for invitation in Invitation.objects.select_for_update().filter(
        accompagnateur=accompagnateur, etat=EtatInvitation.EN_ATTENTE
    ):
        _annuler(acteur, invitation, "Retiré·e du registre des accompagnateur·rices.")
    return accompagnateur


@transaction.atomic(durable=True)
def accompagnateur_remettre_au_registre(*, acteur: Acteur, accompagnateur: Accompagnateur) -> Accompagnateur:
    """R10: put someone back on the registry: they can be assigned again."""
    accompagnateur = Accompagnateur.objects.select_for_update().get(pk=accompagnateur.pk)
    exiger(permissions.can_gerer_registre_accompagnateurs(acteur, accompagnateur.departement_id))
    if accompagnateur.actif:
        raise ValidationError(f"{accompagnateur.prenom} {accompagnateur.nom} est déjà au registre.")
    accompagnateur.actif = True
    accompagnateur.save(update_fields=["actif"])
    _journaliser(
        accompagnateur,
        REMETTRE_AU_REGISTRE,
        acteur=acteur,
        source="inactif",
        cible="actif",
        champ="actif",
        commentaire=f"{accompagnateur} remis·e au registre.",
    )
    return accompagnateur


# ---------------------------------------------------------------------------------------------------------------
# Staff invitations
# ---------------------------------------------------------------------------------------------------------------


def _inviter(
    *,
    acteur: Acteur,
    role: str,
    departement: Departement,
    email: str,
    membre: MembreInstance | None = None,
    accompagnateur: Accompagnateur | None = None,
) -> Invitation:
    exiger(permissions.can_inviter_personnel(acteur, departement.code))
    invitant = personne(acteur)
    assert invitant is not None  # can_inviter_personnel lets only logged-in staff through
    email = normaliser_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": ["Saisissez une adresse électronique valide, par exemple nom@exemple.fr."]}
        ) from None
    if role == RoleInvitation.INSTRUCTEUR:
        membre = accompagnateur = None
        if Instructeur.objects.filter(user__email__iexact=email, departements=departement).exists():
            raise ValidationError({"email": [f"{email} est déjà instructeur·rice du département {departement}."]})
    elif role == RoleInvitation.MEMBRE_INSTANCE:
        accompagnateur = None
        if membre is None or membre.instance.departement_id != departement.code:
            raise ValidationError({"membre": ["Choisissez un membre de l'instance du département."]})
        if not membre.actif:
            raise ValidationError({"membre": [f"Le mandat de {membre.prenom} {membre.nom} a pris fin."]})
        if membre.user_id is not None:
            raise ValidationError({"membre": [f"{membre.prenom} {membre.nom} a déjà un compte relié à sa fiche."]})
    elif role == RoleInvitation.ACCOMPAGNATEUR:
        membre = None
        if accompagnateur is None or accompagnateur.departement_id != departement.code:
            raise ValidationError({"accompagnateur": ["Choisissez une personne du registre du département."]})
        if not accompagnateur.actif:
            raise ValidationError({"accompagnateur": [f"{accompagnateur} n'est plus au registre du département."]})
        if accompagnateur.user_id is not None:
            raise ValidationError({"accompagnateur": [f"{accompagnateur} a déjà un compte relié à sa fiche."]})
    else:
        raise ValidationError({"role": ["Choisissez le rôle de la personne invitée."]})
    en_attente = Invitation.objects.filter(
        role=role, departement=departement, etat=EtatInvitation.EN_ATTENTE, expire_le__gt=timezone.now()
    )
    if membre is not None or accompagnateur is not None:
        deja = en_attente.filter(membre=membre, accompagnateur=accompagnateur).first()
    else:
        deja = en_attente.filter(email=email).first()
    if deja is not None:
        raise ValidationError(
            {
                "email": [
                    f"Une invitation adressée à {deja.email} attend déjà une réponse (jusqu'au "
                    f"{timezone.localtime(deja.expire_le):%d/%m/%Y}) : annulez-la pour en envoyer une nouvelle."
                ]
            }
        )
    maintenant = timezone.now()
    invitation = Invitation(
        role=role,
        departement=departement,
        email=email,
        invite_le=maintenant,
        expire_le=maintenant + DUREE_INVITATION,
        membre=membre,
        accompagnateur=accompagnateur,
        invite_par=invitant,
    )
    _valider(invitation, exclure=["etat", "jeton"])
    invitation.save()
    _journaliser(
        invitation,
        INVITER,
        acteur=acteur,
        source="",
        cible=EtatInvitation.EN_ATTENTE,
        champ="etat",
        commentaire=f"{invitation.get_role_display()} : invitation adressée à {email}.",
    )
    transaction.on_commit(partial(envoyer_invitation_personnel.enqueue, invitation.pk))
    return invitation


@transaction.atomic(durable=True)
def invitation_creer(
    *,
    acteur: Acteur,
    role: str,
    departement: Departement,
    email: str,
    membre: MembreInstance | None = None,
    accompagnateur: Accompagnateur | None = None,
) -> Invitation:
    """Invite a person by e-mail to take a staff role in the département: instructeur (national staff for any
    département, an instructeur for their own), member of its instance (`membre`, a sitting member without an
    account) or accompagnateur·rice (`accompagnateur`, on the registry, without an account). One pending
    invitation per address and role (per member or registry row); the e-mail leaves after commit."""
    if membre is not None:
        membre = MembreInstance.objects.select_for_update().select_related("instance").get(pk=membre.pk)
    if accompagnateur is not None:
        accompagnateur = Accompagnateur.objects.select_for_update().get(pk=accompagnateur.pk)
    return _inviter(
        acteur=acteur, role=role, departement=departement, email=email, membre=membre, accompagnateur=accompagnateur
    )


def _annuler(acteur: Acteur, invitation: Invitation, raison: str = "") -> None:
    transition_appliquer(
        invitation,
        "annuler",
        acteur=acteur,
        commentaire=f"{invitation.get_role_display()} : invitation adressée à {invitation.email} annulée."
        + (f" {raison}" if raison else ""),
        update_fields=["annulee_le"],
        verifier_permission=False,  # the calling service checked its own predicate
    )


@transaction.atomic(durable=True)
def invitation_annuler(*, acteur: Acteur, invitation: Invitation) -> Invitation:
    """Cancel a pending invitation (expired or not): its link no longer works. Whoever may invite in the
    département may cancel."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    exiger(permissions.can_inviter_personnel(acteur, invitation.departement_id))
    if invitation.etat == EtatInvitation.ACCEPTEE:
        raise ValidationError("Cette invitation a déjà été acceptée : elle ne peut plus être annulée.")
    if invitation.etat == EtatInvitation.ANNULEE:
        raise ValidationError("Cette invitation est déjà annulée.")
    _annuler(acteur, invitation)
    return invitation


def verifier_utilisable(invitation: Invitation) -> None:
    """Works once, until it expires, unless cancelled."""
    if invitation.etat == EtatInvitation.ACCEPTEE:
        raise ValidationError("Cette invitation a déjà été utilisée.")
    if invitation.etat == EtatInvitation.ANNULEE:
        raise ValidationError(
            "Cette invitation a été annulée : demandez-en une nouvelle à la personne qui vous avait invité·e."
        )
    if invitation.expire_le <= timezone.now():
        raise ValidationError(
            f"Cette invitation a expiré le {timezone.localtime(invitation.expire_le):%d/%m/%Y à %H:%M} : "
            f"demandez-en une nouvelle à la personne qui vous avait invité·e."
        )


def _attribuer_role(invitation: Invitation, utilisateur: User) -> None:
    """Grant the invited role to the account, in the acceptance's transaction."""
    if invitation.role == RoleInvitation.INSTRUCTEUR:
        instructeur, _ = Instructeur.objects.get_or_create(user=utilisateur)
        instructeur.departements.add(invitation.departement)
    elif invitation.role == RoleInvitation.MEMBRE_INSTANCE:
        assert invitation.membre_id is not None  # invitation_portee_selon_role
        membre = MembreInstance.objects.select_for_update().get(pk=invitation.membre_id)
        if not membre.actif:
            raise ValidationError("Le mandat de ce membre a pris fin : l'invitation ne peut plus être acceptée.")
        if membre.user_id is not None and membre.user_id != utilisateur.pk:
            raise ValidationError("La fiche de ce membre est déjà reliée à un autre compte.")
        if MembreInstance.objects.filter(instance_id=membre.instance_id, user=utilisateur, actif=True).exclude(
            pk=membre.pk
        ):
            raise ValidationError("Votre compte est déjà celui d'un autre membre de cette instance.")
        membre.user = utilisateur
        membre.save(update_fields=["user"])
    else:
        assert invitation.accompagnateur_id is not None  # invitation_portee_selon_role
        accompagnateur = Accompagnateur.objects.select_for_update().get(pk=invitation.accompagnateur_id)
        if not accompagnateur.actif:
            raise ValidationError("Cette personne n'est plus au registre : l'invitation ne peut plus être acceptée.")
        if accompagnateur.user_id is not None and accompagnateur.user_id != utilisateur.pk:
            raise ValidationError("Cette fiche du registre est déjà reliée à un autre compte.")
        accompagnateur.user = utilisateur
        accompagnateur.save(update_fields=["user"])


def _accepter(invitation: Invitation, utilisateur: User) -> Invitation:
    _attribuer_role(invitation, utilisateur)
    invitation.utilisateur = utilisateur
    transition_appliquer(
        invitation,
        "accepter",
        acteur=utilisateur,
        commentaire=f"{invitation.get_role_display()} : invitation adressée à {invitation.email} acceptée.",
        update_fields=["acceptee_le", "utilisateur"],
        verifier_permission=False,  # the invited person: checked by address below
    )
    return invitation


@transaction.atomic(durable=True)
def invitation_accepter(*, acteur: Acteur, invitation: Invitation) -> Invitation:
    """The invited person, logged in with the invited address (compared case-insensitively), accepts: the role is
    granted in the same transaction. Works once, until it expires, unless cancelled."""
    if not connecte(acteur):
        raise PermissionDenied(REFUS)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    verifier_utilisable(invitation)
    if normaliser_email(acteur.email) != normaliser_email(invitation.email):
        raise ValidationError(
            f"Cette invitation est adressée à {invitation.email} : connectez-vous avec cette adresse pour l'accepter."
        )
    return _accepter(invitation, acteur)


@transaction.atomic(durable=True)
def invitation_accepter_avec_compte(*, invitation: Invitation, prenom: str, nom: str, mot_de_passe: str) -> User:
    """A person without an account creates it from the invitation (the e-mail is the invited one) and accepts in
    the same transaction. Django's password validators apply."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    verifier_utilisable(invitation)
    email = normaliser_email(invitation.email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"Un compte existe déjà avec l'adresse {email} : connectez-vous pour accepter.")
    erreurs: dict[str, list[str]] = {}
    if not prenom.strip():
        erreurs["prenom"] = ["Indiquez votre prénom."]
    if not nom.strip():
        erreurs["nom"] = ["Indiquez votre nom."]
    try:
        password_validation.validate_password(mot_de_passe, User(email=email, prenom=prenom, nom=nom))
    except ValidationError as erreur:
        erreurs["password1"] = erreur.messages
    if erreurs:
        raise ValidationError(erreurs)
    utilisateur = User.objects.create_user(email=email, password=mot_de_passe, prenom=prenom.strip(), nom=nom.strip())
    _accepter(invitation, utilisateur)
    return utilisateur


# ---------------------------------------------------------------------------------------------------------------
# Removing an instructeur from a département (national staff)
# ---------------------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def instructeur_retirer(*, acteur: Acteur, instructeur: Instructeur, departement: Departement) -> Instructeur:
    """National staff take a département away from an instructeur: they no longer see nor act on it. The account
    and its other départements stay; the journal keeps who removed whom, when."""
    exiger(permissions.can_retirer_instructeur(acteur, departement.code))
    instructeur = Instructeur.objects.select_for_update().select_related("user").get(pk=instructeur.pk)
    if not instructeur.departements.filter(pk=departement.pk).exists():
        raise ValidationError(f"{instructeur.user} n'est pas instructeur·rice du département {departement}.")
    instructeur.departements.remove(departement)
    _journaliser(
        instructeur,
        RETIRER_DEPARTEMENT,
        acteur=acteur,
        source=departement.code,
        cible="",
        champ="departements",
        commentaire=f"{instructeur.user} ({instructeur.user.email}) retiré·e du département {departement}.",
    )
    return instructeur
