"""Reads of the administration of a département's instance and staff (issue 11): which départements a user may
give an instance, the département's instructeurs, its staff invitations, the registry of accompagnateur·rices
with what each follows, and the journal of these changes (R19). Each list is a constant number of queries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from comptes.models import Acteur, Instructeur
from comptes.permissions import connecte, est_equipe_nationale
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    InstanceDepartementale,
    Invitation,
    MembreInstance,
)
from journal.models import TransitionLog
from territoires.models import Departement

# What each journal row of the staff's changes says, in plain words.
LIBELLES_JOURNAL = {
    "inviter": "Invitation envoyée",
    "accepter": "Invitation acceptée",
    "annuler": "Invitation annulée",
    "retirer_departement": "Instructeur·rice retiré·e du département",
    "mettre_fin": "Fin d'un mandat de membre",
    "retirer_du_registre": "Retrait du registre des accompagnateur·rices",
    "remettre_au_registre": "Retour au registre des accompagnateur·rices",
}


def departements_administres(user: Acteur) -> QuerySet[Departement]:
    """The départements whose instance and staff the user administers: all for national staff, their own for an
    instructeur, none otherwise (instances.permissions.can_administrer_instance)."""
    if not connecte(user):
        return Departement.objects.none()
    if est_equipe_nationale(user):
        return Departement.objects.all()
    return Departement.objects.filter(instructeurs__user=user)


def departements_sans_instance(user: Acteur) -> QuerySet[Departement]:
    """The départements the user administers that have no instance yet (choices of « Créer l'instance »)."""
    return departements_administres(user).filter(instance__isnull=True).order_by("code")


def instructeurs_du_departement(departement_code: str) -> QuerySet[Instructeur]:
    return (
        Instructeur.objects.filter(departements=departement_code)
        .select_related("user")
        .order_by("user__nom", "user__prenom", "user__email")
    )


def invitations_du_departement(departement_code: str) -> QuerySet[Invitation]:
    """Every staff invitation of the département, the latest first, with who invited and who accepted."""
    return Invitation.objects.filter(departement_id=departement_code).select_related(
        "invite_par", "utilisateur", "membre", "accompagnateur"
    )


def registre_du_departement(departement_code: str) -> QuerySet[Accompagnateur]:
    """The whole registry (on it or taken off), with the collectifs each one follows now, as `suivis`."""
    en_cours = AffectationAccompagnateur.objects.filter(fin__isnull=True).select_related("collectif")
    return (
        Accompagnateur.objects.filter(departement_id=departement_code)
        .prefetch_related(Prefetch("affectations", queryset=en_cours.order_by("collectif__nom"), to_attr="suivis"))
        .order_by("-actif", "nom", "prenom", "pk")
    )


def membres_de(instance: InstanceDepartementale) -> QuerySet[MembreInstance]:
    """Every member in rotation order (sitting or not), with the account linked to each."""
    return instance.membres.select_related("user").order_by("rang_rotation")


def journal_du_personnel(departement_code: str) -> QuerySet[TransitionLog]:
    """The journal rows of the département's staff changes, the latest first: invitations (sent, accepted,
    cancelled), instructeurs removed, memberships ended, registry changes."""
    types = ContentType.objects.get_for_models(Invitation, Instructeur, MembreInstance, Accompagnateur)
    return (
        TransitionLog.objects.filter(
            Q(
                content_type=types[Invitation],
                object_id__in=Invitation.objects.filter(departement_id=departement_code).values("pk"),
            )
            | Q(content_type=types[Instructeur], champ="departements", source=departement_code)
            | Q(
                content_type=types[MembreInstance],
                object_id__in=MembreInstance.objects.filter(instance__departement_id=departement_code).values("pk"),
            )
            | Q(
                content_type=types[Accompagnateur],
                object_id__in=Accompagnateur.objects.filter(departement_id=departement_code).values("pk"),
            )
        )
        .select_related("acteur")
        .order_by("-horodatage", "-pk")
    )
