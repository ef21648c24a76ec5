"""Writes of the instruction of a filed declaration and of its message thread: taking it into instruction,
requests for more and their answers, admissibility, closing without follow-up, messages.

Rules enforced here: R4 (the département's instructeurs instruct; a request for more has a deadline; the
automatic R1/R2 checks, never re-typed, must hold again for an answer and for admissibility; closing without
follow-up only after the deadline passed unanswered)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from collectifs import permissions
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration, DemandeComplements, Message
from collectifs.services.depot import conditions_hors_calendrier, date_fr
from collectifs.tasks import notifier_demande_complements, notifier_message, notifier_reponse_complements
from comptes.models import Acteur, personne
from core.permissions import exiger
from documents.enums import TypeDocument
from documents.reemission import Rendu
from documents.services import document_emettre
from journal.fsm import transition_appliquer


def _verrouiller(declaration: Declaration) -> Declaration:
    return (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("collectif__departement", "campagne", "adhesion_charte")
        .get(pk=declaration.pk)
    )


@transaction.atomic(durable=True)
def declaration_instruire(*, acteur: Acteur, declaration: Declaration) -> Declaration:
    """R4: an instructeur of the département takes a filed declaration into instruction."""
    declaration = _verrouiller(declaration)
    exiger(permissions.can_instruire_declaration(acteur, declaration))
    transition_appliquer(declaration, "instruire", acteur=acteur)
    return declaration


def rendu_demande_complements(demande: DemandeComplements) -> Rendu:
    """The « demande de compléments » document of `demande`."""
    declaration = demande.declaration
    return Rendu(
        titre=f"Demande de compléments — {declaration.collectif.nom}",
        template="documents/pdf/demande_complements.html",
        contexte={"declaration": declaration, "collectif": declaration.collectif, "demande": demande},
    )


@transaction.atomic(durable=True)
def complements_demander(
    *, acteur: Acteur, declaration: Declaration, message: str, echeance: date | None = None
) -> DemandeComplements:
    """R4: ask the collectif for more, with a message and a deadline (default: the campaign's delay, 30 days).

    Issues the numbered « demande de compléments » PDF and tells the référents after commit."""
    declaration = _verrouiller(declaration)
    exiger(permissions.can_instruire_declaration(acteur, declaration))
    if declaration.etat == EtatDeclaration.DEPOSEE:
        transition_appliquer(declaration, "instruire", acteur=acteur)
    aujourdhui = timezone.localdate()
    assert declaration.campagne is not None
    echeance = echeance or aujourdhui + timedelta(days=declaration.campagne.delai_complements_jours)
    erreurs: dict[str, list[str]] = {}
    if not message.strip():
        erreurs["message"] = ["Dites au collectif ce qui manque."]
    if echeance <= aujourdhui:
        erreurs["echeance"] = ["L'échéance doit être postérieure à aujourd'hui."]
    if erreurs:
        raise ValidationError(erreurs)
    instructeur = personne(acteur)
    assert instructeur is not None  # can_instruire_declaration lets only logged-in instructeurs through
    demande = DemandeComplements.objects.create(
        declaration=declaration, message=message.strip(), echeance=echeance, demandee_par=instructeur
    )
    transition_appliquer(declaration, "demander_complements", acteur=acteur, commentaire=demande.message)
    rendu = rendu_demande_complements(demande)
    document_emettre(
        acteur=acteur,
        type=TypeDocument.DEMANDE_COMPLEMENTS,
        departement=declaration.collectif.departement_id,
        annee=declaration.campagne.annee,
        titre=rendu.titre,
        template=rendu.template,
        contexte=rendu.contexte,
        objet=demande,
    )
    transaction.on_commit(lambda: notifier_demande_complements.enqueue(demande.pk))
    return demande


@transaction.atomic(durable=True)
def complements_repondre(*, acteur: Acteur, declaration: Declaration, reponse: str) -> Declaration:
    """R4: the collectif answers and files again; instruction resumes. The R1/R2 checks must hold again."""
    declaration = _verrouiller(declaration)
    exiger(permissions.can_repondre_complements(acteur, declaration))
    demande = declaration.demandes_complements.filter(repondue_le__isnull=True).order_by("-demandee_le").first()
    if declaration.etat != EtatDeclaration.A_COMPLETER or demande is None:
        raise ValidationError("Aucune demande de compléments n'attend de réponse.")
    if not reponse.strip():
        raise ValidationError({"reponse": ["Écrivez votre réponse à la demande."]})
    erreurs = conditions_hors_calendrier(declaration)
    if erreurs:
        raise ValidationError(erreurs)
    demande.reponse, demande.repondue_par, demande.repondue_le = reponse.strip(), personne(acteur), timezone.now()
    demande.save(update_fields=["reponse", "repondue_par", "repondue_le"])
    declaration.modifiee_le = demande.repondue_le
    transition_appliquer(
        declaration, "completer", acteur=acteur, commentaire=demande.reponse, update_fields=["modifiee_le"]
    )
    transaction.on_commit(lambda: notifier_reponse_complements.enqueue(demande.pk))
    return declaration


@transaction.atomic(durable=True)
def declaration_declarer_recevable(*, acteur: Acteur, declaration: Declaration) -> Declaration:
    """R4: admissible. The automatic R1/R2 checks must pass; they are never re-typed by the instructeur."""
    declaration = _verrouiller(declaration)
    exiger(permissions.can_instruire_declaration(acteur, declaration))
    if declaration.etat == EtatDeclaration.DEPOSEE:
        transition_appliquer(declaration, "instruire", acteur=acteur)
    erreurs = conditions_hors_calendrier(declaration)
    if erreurs:
        raise ValidationError(erreurs)
    transition_appliquer(declaration, "declarer_recevable", acteur=acteur)
    return declaration


@transaction.atomic(durable=True)
def declaration_classer_sans_suite(*, acteur: Acteur, declaration: Declaration, motifs: str) -> Declaration:
    """R4: without an answer after the deadline of the request for more, close it, with reasons."""
    declaration = _verrouiller(declaration)
    exiger(permissions.can_instruire_declaration(acteur, declaration))
    demande = declaration.demandes_complements.filter(repondue_le__isnull=True).order_by("-demandee_le").first()
    if declaration.etat != EtatDeclaration.A_COMPLETER or demande is None:
        raise ValidationError("Seule une déclaration en attente de compléments peut être classée sans suite.")
    if not demande.est_expiree(timezone.localdate()):
        raise ValidationError(
            f"Le collectif peut encore répondre jusqu'au {date_fr(demande.echeance)} : "
            "le classement sans suite n'est possible qu'après cette date."
        )
    if not motifs.strip():
        raise ValidationError({"motifs": ["Indiquez les motifs du classement sans suite."]})
    declaration.motifs_classement = motifs.strip()
    transition_appliquer(
        declaration,
        "classer_sans_suite",
        acteur=acteur,
        commentaire=declaration.motifs_classement,
        update_fields=["motifs_classement"],
    )
    return declaration


@transaction.atomic(durable=True)
def message_envoyer(*, acteur: Acteur, declaration: Declaration, texte: str, parent: Message | None = None) -> Message:
    """A message on the declaration's thread, between the collectif and the département's instructeurs.
    Read-only once the declaration is decided; the other side is told by e-mail after commit."""
    exiger(permissions.can_voir_messages(acteur, declaration))
    if not permissions.can_ecrire_message(acteur, declaration):
        raise ValidationError("La déclaration est décidée : la messagerie est en lecture seule.")
    if not texte.strip():
        raise ValidationError({"texte": ["Écrivez votre message."]})
    if parent is not None and parent.declaration_id != declaration.pk:
        raise ValidationError({"parent": ["Ce message ne fait pas partie de cette déclaration."]})
    auteur = personne(acteur)
    assert auteur is not None  # can_voir_messages lets only logged-in référents and instructeurs through
    message = Message.objects.create(declaration=declaration, auteur=auteur, parent=parent, texte=texte.strip())
    transaction.on_commit(lambda: notifier_message.enqueue(message.pk))
    return message
