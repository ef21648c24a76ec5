"""The staff invitation e-mail (instructeurs, instance members, accompagnateur·rices), sent by the task worker
after commit (instances.services_administration queues it)."""

from __future__ import annotations

from django_tasks import task

from core.emails import courriel_envoyer, url_absolue
from instances.models import EtatInvitation, Invitation


@task()
def envoyer_invitation_personnel(invitation_id: int) -> int:
    """Send the invitation link to the invited address; nothing once the invitation was cancelled or used before
    the worker ran. Returns how many addresses received it."""
    invitation = Invitation.objects.select_related("departement", "invite_par", "membre__instance").get(
        pk=invitation_id
    )
    if invitation.etat != EtatInvitation.EN_ATTENTE:
        return 0
    return courriel_envoyer(
        f"Invitation : {invitation.get_role_display().lower()} — {invitation.departement}",
        "instances/administration/courriel_invitation.txt",
        {"invitation": invitation, "url": url_absolue("instances:invitation_personnel", invitation.jeton)},
        [invitation.email],
    )
