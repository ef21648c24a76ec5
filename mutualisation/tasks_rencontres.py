"""Jobs of the departmental meetings (R13), run by the task worker after commit: the e-mails to the référents of
the invited collectifs. One e-mail per collectif, so that no collectif learns another's addresses."""

from __future__ import annotations

from django_tasks import task

from collectifs.selectors import referents_emails
from core.emails import courriel_envoyer, url_absolue
from mutualisation.models import InvitationRencontre, Rencontre


def _envoyer(rencontre: Rencontre, invitations: list[InvitationRencontre], sujet: str, gabarit: str) -> int:
    url = url_absolue("mutualisation:rencontre", rencontre.pk)
    envoyes = 0
    for invitation in invitations:
        envoyes += courriel_envoyer(
            sujet,
            gabarit,
            {"rencontre": rencontre, "collectif": invitation.collectif, "url": url},
            referents_emails(invitation.collectif),
        )
    return envoyes


@task()
def notifier_invitations(rencontre_id: int, collectif_ids: list[int]) -> int:
    """R13: tell the référents of each newly invited collectif the date, place and theme. Returns how many
    addresses were written to."""
    rencontre = Rencontre.objects.select_related("departement").get(pk=rencontre_id)
    invitations = list(
        InvitationRencontre.objects.filter(rencontre=rencontre, collectif_id__in=collectif_ids)
        .select_related("collectif")
        .order_by("pk")
    )
    return _envoyer(
        rencontre,
        invitations,
        f"Invitation à la rencontre des collectifs : {rencontre.theme}",
        "mutualisation/rencontres/courriel_invitation.txt",
    )


@task()
def notifier_annulation(rencontre_id: int) -> int:
    """R13: tell the référents of every invited collectif that the meeting is cancelled, and why."""
    rencontre = Rencontre.objects.select_related("departement").get(pk=rencontre_id)
    invitations = list(rencontre.invitations.select_related("collectif").order_by("pk"))
    return _envoyer(
        rencontre,
        invitations,
        f"Rencontre annulée : {rencontre.theme}",
        "mutualisation/rencontres/courriel_annulation.txt",
    )
