"""Background jobs of the collectifs app: e-mails, sent by the task worker after commit."""

from __future__ import annotations

from django_tasks import task

from collectifs.models import Declaration, DemandeComplements, InvitationReferent, Message
from collectifs.selectors import referents_emails
from comptes.selectors import emails_des_instructeurs
from core.emails import courriel_envoyer, url_absolue


def url_declaration(declaration_pk: int) -> str:
    """The absolute URL of a declaration's follow-up page, for every e-mail that speaks of it."""
    return url_absolue("instances:declaration_detail", declaration_pk)


@task()
def notifier_depot(declaration_id: int) -> int:
    """Tell the département's instructeurs that a declaration was filed (R2). Returns the number of recipients."""
    declaration = Declaration.objects.select_related("collectif__departement", "campagne").get(pk=declaration_id)
    return courriel_envoyer(
        f"Nouvelle déclaration déposée : {declaration.collectif.nom}",
        "collectifs/emails/depot.txt",
        {"declaration": declaration, "url": url_declaration(declaration.pk)},
        emails_des_instructeurs(declaration.collectif.departement_id),
    )


@task()
def envoyer_invitation(invitation_id: int) -> None:
    """Send the invitation link to a future référent."""
    invitation = InvitationReferent.objects.select_related("collectif", "invite_par").get(pk=invitation_id)
    courriel_envoyer(
        f"Invitation à rejoindre le collectif {invitation.collectif.nom}",
        "collectifs/emails/invitation.txt",
        {"invitation": invitation, "url": url_absolue("collectifs:invitation", invitation.jeton)},
        [invitation.email],
    )


@task()
def notifier_demande_complements(demande_id: int) -> int:
    """Tell the référents what the instructeur asks for, and until when (R4)."""
    demande = DemandeComplements.objects.select_related("declaration__collectif").get(pk=demande_id)
    declaration = demande.declaration
    return courriel_envoyer(
        f"Compléments demandés pour la déclaration de {declaration.collectif.nom}",
        "collectifs/emails/demande_complements.txt",
        {"demande": demande, "declaration": declaration, "url": url_declaration(declaration.pk)},
        referents_emails(declaration.collectif),
    )


@task()
def notifier_reponse_complements(demande_id: int) -> int:
    """Tell the instructeurs that the collectif answered and filed again (R4)."""
    demande = DemandeComplements.objects.select_related("declaration__collectif").get(pk=demande_id)
    declaration = demande.declaration
    return courriel_envoyer(
        f"Réponse aux compléments : {declaration.collectif.nom}",
        "collectifs/emails/reponse_complements.txt",
        {"demande": demande, "declaration": declaration, "url": url_declaration(declaration.pk)},
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
    return courriel_envoyer(
        f"Nouveau message sur la déclaration de {declaration.collectif.nom}",
        "collectifs/emails/message.txt",
        {"message": message, "declaration": declaration, "url": url_declaration(declaration.pk)},
        destinataires,
    )
