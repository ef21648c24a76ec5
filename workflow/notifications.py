"""E-mails of the declaration process: reminders and escalations fired by its timers (R4).

The flow picks the recipients when its timer fires and queues one of these jobs after commit; the task worker
sends the e-mail."""

from __future__ import annotations

from django_tasks import task

from collectifs.models import Declaration, DemandeComplements
from collectifs.tasks import url_declaration
from core.emails import courriel_envoyer, url_absolue


def _urls(declaration: Declaration) -> dict[str, str]:
    return {
        "url": url_declaration(declaration.pk),
        "url_tache": url_absolue("workflow:tache", declaration.pk),
    }


def _declaration(declaration_id: int) -> Declaration:
    return Declaration.objects.select_related("collectif__departement", "campagne").get(pk=declaration_id)


@task()
def notifier_rappel_instruction(declaration_id: int, destinataires: list[str]) -> int:
    """R4: the instruction deadline is near; tell the instructeur in charge (or the département's)."""
    declaration = _declaration(declaration_id)
    return courriel_envoyer(
        f"Rappel : instruction à terminer avant le {declaration.echeance_instruction:%d/%m/%Y} "
        f"— {declaration.collectif.nom}",
        "workflow/emails/rappel_instruction.txt",
        {"declaration": declaration, "echeance": declaration.echeance_instruction, **_urls(declaration)},
        destinataires,
    )


@task()
def notifier_escalade_instruction(declaration_id: int, destinataires: list[str]) -> int:
    """R4: the instruction deadline has passed; tell the instance's president (or the instructeurs)."""
    declaration = _declaration(declaration_id)
    return courriel_envoyer(
        f"Échéance d'instruction dépassée — {declaration.collectif.nom}",
        "workflow/emails/escalade_instruction.txt",
        {"declaration": declaration, "echeance": declaration.echeance_instruction, **_urls(declaration)},
        destinataires,
    )


@task()
def notifier_rappel_complements(demande_id: int, destinataires: list[str]) -> int:
    """R4: remind the collectif's référents that their answer is due soon."""
    demande = DemandeComplements.objects.select_related("declaration__collectif").get(pk=demande_id)
    declaration = demande.declaration
    return courriel_envoyer(
        f"Rappel : compléments attendus avant le {demande.echeance:%d/%m/%Y} — {declaration.collectif.nom}",
        "workflow/emails/rappel_complements.txt",
        {"demande": demande, "declaration": declaration, **_urls(declaration)},
        destinataires,
    )


@task()
def notifier_expiration_complements(demande_id: int, destinataires: list[str]) -> int:
    """R4: the collectif did not answer in time; the instructeurs may now close the declaration sans suite."""
    demande = DemandeComplements.objects.select_related("declaration__collectif").get(pk=demande_id)
    declaration = demande.declaration
    return courriel_envoyer(
        f"Compléments non fournis : classement sans suite possible — {declaration.collectif.nom}",
        "workflow/emails/expiration_complements.txt",
        {"demande": demande, "declaration": declaration, **_urls(declaration)},
        destinataires,
    )
