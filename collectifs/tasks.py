"""Background jobs of the collectifs app: e-mails, sent by the task worker after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from collectifs.models import Declaration, DemandeComplements, InvitationReferent, Message
from collectifs.selectors import referents_emails
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


def _envoyer(sujet: str, gabarit: str, contexte: dict[str, Any], destinataires: list[str]) -> int:
    if not destinataires:
        return 0
    send_mail(
        subject=sujet,
        message=render_to_string(gabarit, contexte),
        from_email=None,
        recipient_list=destinataires,
    )
    return len(destinataires)


def _url_declaration(declaration: Declaration) -> str:
    return settings.SITE_URL + reverse("collectifs:declaration_detail", args=[declaration.pk])


@task()
def notifier_demande_complements(demande_id: int) -> int:
    """Tell the référents what the instructeur asks for, and until when (R4)."""
    demande = DemandeComplements.objects.select_related("declaration__collectif").get(pk=demande_id)
    declaration = demande.declaration
    return _envoyer(
        f"Compléments demandés pour la déclaration de {declaration.collectif.nom}",
        "collectifs/emails/demande_complements.txt",
        {"demande": demande, "declaration": declaration, "url": _url_declaration(declaration)},
        referents_emails(declaration.collectif),
    )


@task()
def notifier_reponse_complements(demande_id: int) -> int:
    """Tell the instructeurs that the collectif answered and filed again (R4)."""
    demande = DemandeComplements.objects.select_related("declaration__collectif").get(pk=demande_id)
    declaration = demande.declaration
    return _envoyer(
        f"Réponse aux compléments : {declaration.collectif.nom}",
        "collectifs/emails/reponse_complements.txt",
        {"demande": demande, "declaration": declaration, "url": _url_declaration(declaration)},
        emails_des_instructeurs(declaration.collectif.departement_id),
    )


@task()
def notifier_message(message_id: int) -> int:
    """Tell the other side of the thread that a message arrived (collectif ⇄ instructeurs)."""
    message = Message.objects.select_related("declaration__collectif", "auteur").get(pk=message_id)
    declaration = message.declaration
    referents = referents_emails(declaration.collectif)
    if message.auteur.email in referents:
        destinataires = emails_des_instructeurs(declaration.collectif.departement_id)
    else:
        destinataires = referents
    destinataires = [e for e in destinataires if e != message.auteur.email]
    return _envoyer(
        f"Nouveau message sur la déclaration de {declaration.collectif.nom}",
        "collectifs/emails/message.txt",
        {"message": message, "declaration": declaration, "url": _url_declaration(declaration)},
        destinataires,
    )
