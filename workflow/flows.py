"""The viewflow process of a declaration: who must act next, and until when (R4, R5).

Top of the dependency graph: this module imports the domain, the domain never imports it. No rule lives here.
- The task pages call the domain services; each journalled transition reaches the process after commit through
  `journal.signals.transition_validee` (see `workflow.receivers`), which starts, advances or cancels it.
- `Switch` nodes read the declaration's state; they never decide it.
- Timers compute their due moment from the domain (the instruction deadline, the demande's deadline) and only
  send reminders: closing sans suite stays a decision of the instructeur, enforced by the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.permissions import can_instruire_declaration
from collectifs.selectors import demande_en_cours, financements_anterieurs, referents_emails
from collectifs.services import conditions_hors_calendrier
from comptes.selectors import emails_des_instructeurs
from instances.models import InstanceDepartementale
from instances.selectors import presidence_en_cours
from workflow import notifications
from workflow.models import ProcessusDeclaration

logger = logging.getLogger(__name__)

E = EtatDeclaration

# R4: the instructeur in charge is reminded this long before the instruction deadline.
RAPPEL_INSTRUCTION_AVANT = timedelta(days=7)
# R4: the collectif is reminded this long before its answer is due (half-way when the delay is shorter).
RAPPEL_COMPLEMENTS_AVANT = timedelta(days=7)

# Task statuses of a node still waiting for someone.
STATUTS_ACTIFS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def _declaration(activation: Any) -> Declaration:
    """The declaration of an activation's process, read afresh (its state may have changed since the process
    was loaded)."""
    return Declaration.objects.select_related("collectif__departement", "campagne").get(
        pk=activation.process.declaration_id
    )


def _etat_est(*etats: str) -> Callable[[Any], bool]:
    """A Switch condition: the declaration is in one of these states (read, never decided, here)."""

    def condition(activation: Any) -> bool:
        return Declaration.objects.values_list("etat", flat=True).get(pk=activation.process.declaration_id) in etats

    return condition


def _declaration_de_tache(task: Any) -> Declaration:
    return ProcessusDeclaration.objects.select_related("declaration__collectif").get(pk=task.process_id).declaration


def vers_la_page_de_tache(request: HttpRequest, process_pk: int, **kwargs: Any) -> HttpResponse:
    """viewflow's own execute URL of the task (unused by our URLs) leads to our DSFR task page."""
    processus = get_object_or_404(ProcessusDeclaration, pk=process_pk)
    return redirect("workflow:tache", processus.declaration_id)


class TacheInstruction(flow.View):  # type: ignore[misc]
    """A user task queued to the instructeurs of the declaration's département and taken by one of them (R4).

    Who may act is `collectifs.permissions.can_instruire_declaration`, not a Django permission."""

    def can_assign(self, user: Any, task: Any) -> bool:
        return (
            task.owner_id is None
            and task.status == STATUS.NEW
            and can_instruire_declaration(user, _declaration_de_tache(task))
        )

    def can_execute(self, user: Any, task: Any) -> bool:
        return (
            task.owner_id is not None
            and task.owner_id == getattr(user, "pk", None)
            and can_instruire_declaration(user, _declaration_de_tache(task))
        )

    def can_unassign(self, user: Any, task: Any) -> bool:
        return task.owner_id is not None and task.owner_id == getattr(user, "pk", None)


class DeclarationFlow(flow.Flow):  # type: ignore[misc]
    """Instruction et décision d'une déclaration

    Du dépôt à la décision de l'instance départementale : recevabilité et compléments (R4), séance et
    décision (R5). Le processus se termine à l'agrément, au refus, au classement sans suite, ou au retrait."""

    process_class = ProcessusDeclaration
    lock_impl = lock.select_for_update_lock

    depot = flow.StartHandle(this.demarrer).Annotation(title="Dépôt").Next(this.instruction)

    instruction = (
        TacheInstruction(vers_la_page_de_tache)
        .Annotation(
            title="Instruire la recevabilité",
            description="Un·e instructeur·rice du département vérifie la recevabilité de la déclaration.",
        )
        .Assign(this.responsable_precedent)
        .onCreate(this.instruction_creee)
        .OnTimeout(
            this.date_rappel_instruction,
            this.rappel_instruction,
            interrupting=False,
            title="Rappel avant l'échéance",
        )
        .OnTimeout(
            this.date_echeance_instruction,
            this.escalade_instruction,
            interrupting=False,
            title="Échéance d'instruction",
        )
        .Next(this.issue_instruction)
    )
    rappel_instruction = (
        flow.Function(this.envoyer_rappel_instruction)
        .Annotation(title="Rappeler l'échéance à l'instruction")
        .Next(this.rappel_envoye)
    )
    escalade_instruction = (
        flow.Function(this.envoyer_escalade_instruction)
        .Annotation(title="Prévenir la présidence")
        .Next(this.rappel_envoye)
    )

    issue_instruction = (
        flow.Switch()
        .Annotation(title="Issue de l'instruction")
        .Case(this.complements, _etat_est(E.A_COMPLETER))
        # Past recevable already (a process started late catches up): the waiting nodes after it complete in turn.
        .Case(this.seance, _etat_est(E.RECEVABLE, E.INSCRITE_EN_SEANCE, E.EN_ATTENTE, E.AGREEE, E.REFUSEE))
    )

    complements = (
        flow.Handle()
        .Annotation(title="Attendre les compléments du collectif")
        .OnTimeout(
            this.date_rappel_complements,
            this.rappel_complements,
            interrupting=False,
            title="Rappel au collectif",
        )
        .OnTimeout(
            this.date_expiration_complements,
            this.expiration_complements,
            interrupting=False,
            title="Échéance de la demande",
        )
        .Next(this.issue_complements)
    )
    rappel_complements = (
        flow.Function(this.envoyer_rappel_complements)
        .Annotation(title="Rappeler la demande au collectif")
        .Next(this.rappel_envoye)
    )
    expiration_complements = (
        flow.Function(this.envoyer_expiration_complements)
        .Annotation(title="Signaler l'échéance passée à l'instruction")
        .Next(this.rappel_envoye)
    )
    issue_complements = (
        flow.Switch()
        .Annotation(title="Réponse du collectif")
        .Case(this.instruction, _etat_est(E.EN_INSTRUCTION))
        .Case(this.classee_sans_suite, _etat_est(E.CLASSEE_SANS_SUITE))
    )

    seance = flow.Handle().Annotation(title="Attendre l'inscription en séance").Next(this.decision)
    decision = flow.Handle().Annotation(title="Attendre la décision de l'instance").Next(this.issue_decision)
    issue_decision = (
        flow.Switch()
        .Annotation(title="Décision de l'instance")
        .Case(this.agreee, _etat_est(E.AGREEE))
        .Case(this.refusee, _etat_est(E.REFUSEE))
        .Case(this.liste_attente, _etat_est(E.EN_ATTENTE))
    )
    liste_attente = flow.Handle().Annotation(title="Attendre une place en liste d'attente").Next(this.decision)

    agreee = flow.End().Annotation(title="Agréée")
    refusee = flow.End().Annotation(title="Refusée")
    classee_sans_suite = flow.End().Annotation(title="Classée sans suite")
    rappel_envoye = flow.End().Annotation(title="Rappel envoyé")

    # --- Start and assignment -------------------------------------------------------------------------------

    def demarrer(self, activation: Any, declaration: Declaration) -> ProcessusDeclaration:
        """The filed declaration becomes the process's subject."""
        activation.process.declaration = declaration
        processus: ProcessusDeclaration = activation.process
        return processus

    def responsable_precedent(self, activation: Any) -> Any:
        """When the instruction task comes back (the collectif answered), it goes to whoever last held it, if they
        still instruct the département; otherwise it waits in the département's queue."""
        precedente = (
            Task.objects.filter(
                process_id=activation.process.pk, flow_task=self.instruction, status=STATUS.DONE, owner__isnull=False
            )
            .select_related("owner")
            .order_by("-finished", "-pk")
            .first()
        )
        if precedente is not None and can_instruire_declaration(precedente.owner, _declaration(activation)):
            return precedente.owner
        return None

    def instruction_creee(self, activation: Any) -> None:
        """Compute the automatic R1/R2 checks and the R17 count once, when the task is created, so that the task
        list reads them from the task row (the task page recomputes them live)."""
        declaration = _declaration(activation)
        controles = conditions_hors_calendrier(declaration)
        activation.task.data = {
            **(activation.task.data or {}),
            "controles": controles,
            "controles_le": timezone.now().isoformat(),
            "financements_anterieurs": financements_anterieurs(declaration).count(),
        }
        activation.task.save(update_fields=["data"])

    # --- Instruction deadline (R4) --------------------------------------------------------------------------

    def date_echeance_instruction(self, activation: Any) -> datetime:
        """The instruction deadline: `delai_instruction_jours` (default 60) after filing."""
        echeance = _declaration(activation).echeance_instruction
        if echeance is None:  # not filed through the service: count from the start of the process
            defaut = Campagne._meta.get_field("delai_instruction_jours").default
            return activation.process.created + timedelta(days=defaut)  # type: ignore[no-any-return]
        return echeance  # type: ignore[no-any-return]

    def date_rappel_instruction(self, activation: Any) -> datetime:
        return self.date_echeance_instruction(activation) - RAPPEL_INSTRUCTION_AVANT

    def envoyer_rappel_instruction(self, activation: Any) -> None:
        """Remind the instructeur in charge, or every instructeur of the département while nobody holds the task.
        Sent once per declaration, even if the task comes back after the reminder."""
        processus = activation.process
        if processus.rappel_instruction_envoye_le is not None:
            return
        declaration = _declaration(activation)
        tache = tache_instruction_active(processus)
        if tache is not None and tache.owner is not None and tache.owner.is_active:
            destinataires = [tache.owner.email]
        else:
            destinataires = emails_des_instructeurs(declaration.collectif.departement_id)
        processus.rappel_instruction_envoye_le = timezone.now()
        processus.save(update_fields=["rappel_instruction_envoye_le"])
        transaction.on_commit(partial(notifications.notifier_rappel_instruction.enqueue, declaration.pk, destinataires))

    def envoyer_escalade_instruction(self, activation: Any) -> None:
        """The deadline has passed: tell the instance's current president (R6), or the département's
        instructeurs when there is no president with an account. Sent once per declaration."""
        processus = activation.process
        if processus.escalade_envoyee_le is not None:
            return
        declaration = _declaration(activation)
        destinataires = destinataires_escalade(declaration)
        processus.escalade_envoyee_le = timezone.now()
        processus.save(update_fields=["escalade_envoyee_le"])
        transaction.on_commit(
            partial(notifications.notifier_escalade_instruction.enqueue, declaration.pk, destinataires)
        )

    # --- Deadline of a demande de compléments (R4) ----------------------------------------------------------

    def date_expiration_complements(self, activation: Any) -> datetime:
        """The first instant the demande is expired: the day after its deadline, at midnight, local time."""
        demande = demande_en_cours(_declaration(activation))
        if demande is None:
            return timezone.now()
        lendemain = demande.echeance + timedelta(days=1)
        return timezone.make_aware(datetime.combine(lendemain, time.min))

    def date_rappel_complements(self, activation: Any) -> datetime:
        """`RAPPEL_COMPLEMENTS_AVANT` before expiry, or half-way when the delay given is shorter."""
        expiration = self.date_expiration_complements(activation)
        demande = demande_en_cours(_declaration(activation))
        if demande is None:
            return expiration
        return expiration - min(RAPPEL_COMPLEMENTS_AVANT, (expiration - demande.demandee_le) / 2)

    def envoyer_rappel_complements(self, activation: Any) -> None:
        """Remind the collectif's référents that their answer is due soon."""
        declaration = _declaration(activation)
        demande = demande_en_cours(declaration)
        if demande is None:
            return
        transaction.on_commit(
            partial(
                notifications.notifier_rappel_complements.enqueue, demande.pk, referents_emails(declaration.collectif)
            )
        )

    def envoyer_expiration_complements(self, activation: Any) -> None:
        """Tell the instructeurs that the demande expired: closing sans suite is now possible (the service
        `declaration_classer_sans_suite` checks it again)."""
        declaration = _declaration(activation)
        demande = demande_en_cours(declaration)
        if demande is None or not demande.est_expiree(timezone.localdate()):
            return
        transaction.on_commit(
            partial(
                notifications.notifier_expiration_complements.enqueue,
                demande.pk,
                emails_des_instructeurs(declaration.collectif.departement_id),
            )
        )


def destinataires_escalade(declaration: Declaration) -> list[str]:
    """R4, R6: the current president of the département's instance if they have an active account; otherwise
    the département's instructeurs."""
    instance = InstanceDepartementale.objects.filter(departement_id=declaration.collectif.departement_id).first()
    presidence = presidence_en_cours(instance) if instance is not None else None
    president = presidence.membre.user if presidence is not None else None
    if president is not None and president.is_active and president.email:
        return [president.email]
    return emails_des_instructeurs(declaration.collectif.departement_id)


# --- What the receiver and the task pages do to a process ---------------------------------------------------------

# Each waiting node, and the declaration states in which it keeps waiting. When the declaration leaves them, the
# node is completed and the process moves on (its Switch reads the new state).
ATTENTES: dict[str, frozenset[str]] = {
    "instruction": frozenset({E.DEPOSEE, E.EN_INSTRUCTION}),
    "complements": frozenset({E.A_COMPLETER}),
    "seance": frozenset({E.RECEVABLE}),
    "decision": frozenset({E.INSCRITE_EN_SEANCE}),
    "liste_attente": frozenset({E.EN_ATTENTE}),
}


def processus_de(declaration: Declaration | int) -> ProcessusDeclaration | None:
    pk = declaration if isinstance(declaration, int) else declaration.pk
    return ProcessusDeclaration.objects.filter(declaration_id=pk).first()


def _taches_actives(processus: ProcessusDeclaration, *noeuds: str) -> Any:
    flux = DeclarationFlow.instance
    return (
        Task.objects.filter(process_id=processus.pk, status__in=STATUTS_ACTIFS)
        .filter(flow_task__in=[flux.node(n) for n in noeuds])
        .select_related("owner")
        .order_by("-created", "-pk")
    )


def tache_instruction_active(processus: ProcessusDeclaration) -> Any:
    """The instruction task waiting for an instructeur, if any."""
    return _taches_actives(processus, "instruction").first()


def attente_active(processus: ProcessusDeclaration) -> Any:
    """The node the process is waiting at (instruction, compléments, séance, decision or waiting list)."""
    return _taches_actives(processus, *ATTENTES).first()


# Declaration states in which the process is still waiting for someone: a declaration in one of them must have a
# process. In the final states (agreed, refused, withdrawn, closed sans suite) it would have ended: none is started.
ETATS_EN_COURS: frozenset[str] = frozenset().union(*ATTENTES.values())


def processus_demarrer(declaration_pk: int) -> ProcessusDeclaration | None:
    """Start the process of a filed declaration, once. Returns None when it already exists or is not filed."""
    declaration = Declaration.objects.select_related("collectif__departement", "campagne").get(pk=declaration_pk)
    if declaration.etat == E.BROUILLON or processus_de(declaration) is not None:
        return None
    processus: ProcessusDeclaration = DeclarationFlow.depot.run(declaration=declaration)
    # Transitions journalled before the process existed (none in practice) are caught up here.
    processus_synchroniser(declaration_pk)
    return processus


def _terminer(tache: Any, acteur: Any) -> None:
    """Complete a waiting node because the declaration left the states it waits in."""
    noeud = tache.flow_task
    if noeud.name != "instruction":
        noeud.run(tache)
        return
    with tache.activation() as activation:
        if activation.task.status == STATUS.NEW:
            # The instructeur who acted holds the task they completed; the process itself when nobody acted.
            activation.assign(acteur)
        elif acteur is not None and activation.task.owner_id != acteur.pk:
            activation.reassign(acteur)
        activation.start(None)
        activation.execute()


def processus_synchroniser(declaration_pk: int, acteur: Any = None) -> None:
    """Move the process on to the node matching the declaration's state: complete each waiting node whose
    states the declaration has left. Idempotent; a finished process is left alone.

    A missing process (its start after filing failed) is started when the declaration still waits for someone
    (`ETATS_EN_COURS`); `processus_demarrer` then brings it here again."""
    processus = processus_de(declaration_pk)
    if processus is None:
        etat = Declaration.objects.values_list("etat", flat=True).get(pk=declaration_pk)
        if etat in ETATS_EN_COURS:
            processus_demarrer(declaration_pk)
        return
    if processus.status != PROCESS.NEW:
        return
    for _ in range(len(ATTENTES) + 1):  # each round moves one node on; the graph has no longer chain
        tache = attente_active(processus)
        if tache is None:
            return
        etat = Declaration.objects.values_list("etat", flat=True).get(pk=declaration_pk)
        if etat in ATTENTES[tache.flow_task.name]:
            return
        _terminer(tache, acteur)


def declarations_sans_processus() -> Any:
    """The declarations that wait for someone (`ETATS_EN_COURS`) but have no process: its start after filing
    failed (a crash between the commit and the start, an error logged by the receiver)."""
    return Declaration.objects.filter(etat__in=ETATS_EN_COURS, processus__isnull=True).order_by("pk")


def processus_reparer() -> int:
    """Start the missing process of each declaration of `declarations_sans_processus` and bring it to the node
    matching the declaration's state (its instruction task, reminders and escalation come with it). Returns the
    number of processes started. Idempotent; run by `manage.py workflow_timers` and `manage.py processus_reparer`.

    Each declaration is repaired in its own transaction: one failure is logged and does not stop the others."""
    repares = 0
    for pk in declarations_sans_processus().values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if processus_demarrer(pk) is not None:
                    repares += 1
        except Exception:
            logger.exception("Le processus manquant de la déclaration %s n'a pas pu être démarré.", pk)
    return repares


def processus_annuler(declaration_pk: int) -> None:
    """The collectif withdrew its declaration: the process is cancelled (its open tasks and timers too)."""
    processus = processus_de(declaration_pk)
    if processus is not None and processus.status == PROCESS.NEW:
        DeclarationFlow.instance.cancel(processus)


def tache_attribuer_si_libre(declaration_pk: int, acteur: Any) -> None:
    """An instructeur took the declaration into instruction: the queued task becomes theirs."""
    processus = processus_de(declaration_pk)
    tache = tache_instruction_active(processus) if processus is not None else None
    if tache is None or acteur is None or tache.status != STATUS.NEW:
        return
    with tache.activation() as activation:
        if activation.task.status == STATUS.NEW and DeclarationFlow.instruction.can_assign(acteur, activation.task):
            activation.assign(acteur)


def tache_prendre_en_charge(*, acteur: Any, declaration: Declaration) -> Any:
    """« Prendre en charge »: the instruction task of this declaration becomes the actor's (R4)."""
    if not can_instruire_declaration(acteur, declaration):
        raise PermissionDenied("Seul·es les instructeur·rices du département instruisent cette déclaration.")
    processus = processus_de(declaration)
    tache = tache_instruction_active(processus) if processus is not None else None
    if tache is None:
        raise ValidationError("Aucune tâche d'instruction n'attend cette déclaration.")
    with tache.activation() as activation:
        tache = activation.task
        if tache.owner_id == acteur.pk:
            return tache
        if tache.owner_id is not None:
            raise ValidationError(f"Cette tâche est déjà prise en charge par {tache.owner}.")
        activation.assign(acteur)
    return tache
