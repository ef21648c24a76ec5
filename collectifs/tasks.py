"""Background jobs of the collectifs app: e-mails, sent by the task worker after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from collectifs.models import Declaration, InvitationReferent
from instances.selectors import emails_des_instructeurs


@task()
def notifier_depot(declaration_id: int) -> int:
    """Tell the département's instructeurs that a declaration was filed (R2). Returns the number of recipients."""
    declaration = Declaration.objects.select_related("collectif__departement", "campagne").get(pk=declaration_id)
    destinataires = emails_des_instructeurs(declaration.collectif.departement_id)
    if not destinataires:
        return 0
    contexte = {
        "declaration": declaration,
        "url": settings.SITE_URL + reverse("collectifs:declaration_detail", args=[declaration.pk]),
    }
    send_mail(
        subject=f"Nouvelle déclaration déposée : {declaration.collectif.nom}",
        message=render_to_string("collectifs/emails/depot.txt", contexte),
        from_email=None,
        recipient_list=destinataires,
    )
    return len(destinataires)


@task()
def envoyer_invitation(invitation_id: int) -> None:
    """Send the invitation link to a future référent."""
    invitation = InvitationReferent.objects.select_related("collectif", "invite_par").get(pk=invitation_id)
    contexte = {
        "invitation": invitation,
        "url": settings.SITE_URL + reverse("collectifs:invitation", args=[invitation.jeton]),
    }
    send_mail(
        subject=f"Invitation à rejoindre le collectif {invitation.collectif.nom}",
        message=render_to_string("collectifs/emails/invitation.txt", contexte),
        from_email=None,
        recipient_list=[invitation.email],
    )
