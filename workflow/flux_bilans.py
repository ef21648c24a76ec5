"""The viewflow process of a yearly check-in (R11): one process per BilanAnnuel, from its creation at the signature
of the convention to its validation.

It waits for the collectif to file, with three timers fired by `manage.py workflow_timers`:
- a reminder to the référents `RAPPEL_BILAN_AVANT` before the due date;
- a reminder on the due date itself;
- the day after the due date, a « bilan en retard » task in the département's instructeurs' task list, which
  completes when the collectif files.
Then it waits for the instructeur's decision: validated (end) or « à compléter » (back to waiting for the filing;
reminders are sent once per check-in, the late task comes back only if the check-in is still late).
No rule lives here: the domain services decide; the nodes read the check-in's state. Each journalled transition of
the check-in reaches this module after commit through `journal.signals.transition_validee`.

The process is viewflow's own `Process`, whose artifact is the check-in (no model of its own)."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from collectifs.selectors import referents_emails
from comptes.models import Acteur
from comptes.permissions import connecte
from core.emails import courriel_envoyer, url_absolue
from fonds.enums import EtatBilan, EtatConvention
from fonds.models import BilanAnnuel

logger = logging.getLogger(__name__)

# R11: the référents are reminded this long before the due date.
RAPPEL_BILAN_AVANT = timedelta(days=30)
STATUTS_ACTIFS = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
A_DEPOSER = (EtatBilan.ATTENDU, EtatBilan.A_COMPLETER)


def _bilan(bilan_id: int) -> BilanAnnuel:
    return BilanAnnuel.objects.select_related(
        "convention", "convention__declaration__collectif", "convention__departement"
    ).get(pk=bilan_id)


def _bilan_du_processus(activation: Any) -> BilanAnnuel:
    return _bilan(activation.process.artifact_object_id)


def _a_deposer(bilan: BilanAnnuel) -> bool:
    """Still owed by the collectif: awaited or returned, and its convention not cancelled (a cancelled convention's
    check-ins are neither reminded nor late)."""
    return bilan.etat in A_DEPOSER and bilan.convention.etat != EtatConvention.ANNULEE


def debut_echeance(bilan: BilanAnnuel) -> datetime:
    """The due date's first instant (midnight, local time)."""
    return timezone.make_aware(datetime.combine(bilan.echeance, time.min))


def debut_retard(bilan: BilanAnnuel) -> datetime:
    """The first instant the check-in is late: the day after its due date, at midnight, local time."""
    return timezone.make_aware(datetime.combine(bilan.echeance + timedelta(days=1), time.min))


def _etat_est(*etats: str) -> Any:
    def condition(activation: Any) -> bool:
        return BilanAnnuel.objects.values_list("etat", flat=True).get(pk=activation.process.artifact_object_id) in etats

    return condition


class FluxBilan(flow.Flow):  # type: ignore[misc]
    """Bilan annuel d'un collectif financé

    Chaque année de la convention, le collectif dépose un bilan léger (R11) : rappels aux référent·es avant
    l'échéance et le jour même, tâche « bilan en retard » pour l'instruction après l'échéance, puis validation
    (qui rend la tranche suivante exigible) ou retour « à compléter »."""

    lock_impl = lock.select_for_update_lock

    debut = flow.StartHandle(this.demarrer).Annotation(title="Bilan attendu").Next(this.depot)

    depot = (
        flow.Handle()
        .Annotation(title="Attendre le dépôt du bilan")
        .OnTimeout(this.date_rappel, this.rappel, interrupting=False, title="Rappel avant l'échéance")
        .OnTimeout(this.date_echeance, this.rappel_echeance, interrupting=False, title="Échéance du bilan")
        .OnTimeout(this.date_retard, this.si_retard, interrupting=False, title="Bilan en retard")
        .Next(this.examen)
    )
    rappel = flow.Function(this.envoyer_rappel).Annotation(title="Rappeler l'échéance").Next(this.rappel_envoye)
    rappel_echeance = (
        flow.Function(this.envoyer_rappel_echeance)
        .Annotation(title="Rappeler l'échéance le jour même")
        .Next(this.rappel_envoye)
    )
    si_retard = (
        flow.If(this.retard_a_signaler)
        .Annotation(title="Toujours en retard ?")
        .Then(this.retard)
        .Else(this.rappel_envoye)
    )
    retard = (
        flow.Handle()
        .Annotation(
            title="Bilan en retard",
            description="Tâche des instructeur·rices du département : relancer le collectif.",
        )
        .Next(this.retard_leve)
    )

    examen = flow.Handle().Annotation(title="Attendre l'examen par l'instruction").Next(this.issue_examen)
    issue_examen = (
        flow.Switch()
        .Annotation(title="Décision de l'instruction")
        .Case(this.valide, _etat_est(EtatBilan.VALIDE))
        .Case(this.depot, _etat_est(EtatBilan.A_COMPLETER))
    )

    valide = flow.End().Annotation(title="Bilan validé")
    rappel_envoye = flow.End().Annotation(title="Rappel envoyé")
    retard_leve = flow.End().Annotation(title="Bilan déposé après l'échéance")

    def demarrer(self, activation: Any, bilan: BilanAnnuel) -> Any:
        """The awaited check-in becomes the process's artifact."""
        activation.process.artifact = bilan
        activation.process.data = {"echeance": bilan.echeance.isoformat()}
        return activation.process

    # --- Timers ---------------------------------------------------------------------------------------------

    def date_echeance(self, activation: Any) -> datetime:
        return debut_echeance(_bilan_du_processus(activation))

    def date_rappel(self, activation: Any) -> datetime:
        return self.date_echeance(activation) - RAPPEL_BILAN_AVANT

    def date_retard(self, activation: Any) -> datetime:
        return debut_retard(_bilan_du_processus(activation))

    def _une_fois(self, activation: Any, cle: str) -> bool:
        """Whether this reminder is still to send (once per check-in, even when the filing node comes back after
        « à compléter »); marks it sent."""
        processus = Process.objects.select_for_update().get(pk=activation.process.pk)
        donnees = dict(processus.data or {})
        if donnees.get(cle):
            return False
        donnees[cle] = timezone.now().isoformat()
        processus.data = donnees
        processus.save(update_fields=["data"])
        activation.process.data = donnees
        return True

    def envoyer_rappel(self, activation: Any) -> None:
        """R11: remind the référents, before the due date, that the check-in is awaited."""
        bilan = _bilan_du_processus(activation)
        if not _a_deposer(bilan) or not self._une_fois(activation, "rappel_envoye_le"):
            return
        destinataires = referents_emails(bilan.convention.declaration.collectif)  # type: ignore[union-attr]
        transaction.on_commit(partial(notifier_rappel_bilan.enqueue, bilan.pk, destinataires, False))

    def envoyer_rappel_echeance(self, activation: Any) -> None:
        """R11: remind the référents on the due date."""
        bilan = _bilan_du_processus(activation)
        if not _a_deposer(bilan) or not self._une_fois(activation, "rappel_echeance_envoye_le"):
            return
        destinataires = referents_emails(bilan.convention.declaration.collectif)  # type: ignore[union-attr]
        transaction.on_commit(partial(notifier_rappel_bilan.enqueue, bilan.pk, destinataires, True))

    def retard_a_signaler(self, activation: Any) -> bool:
        """Past its due date and still not filed, with no « bilan en retard » task open already."""
        bilan = _bilan_du_processus(activation)
        if not _a_deposer(bilan) or timezone.now() < debut_retard(bilan):
            return False
        return not Task.objects.filter(
            process_id=activation.process.pk, flow_task=FluxBilan.retard, status__in=STATUTS_ACTIFS
        ).exists()


# --- E-mails (queued after commit, sent by the task worker) ---------------------------------------------------------


@task()
def notifier_rappel_bilan(bilan_id: int, destinataires: list[str], jour_meme: bool) -> int:
    """R11: the check-in is due soon (or today); tell the référents where to fill it in."""
    bilan = _bilan(bilan_id)
    collectif = bilan.convention.declaration.collectif  # type: ignore[union-attr]
    quand = "aujourd'hui" if jour_meme else f"avant le {bilan.echeance:%d/%m/%Y}"
    return courriel_envoyer(
        f"Rappel : bilan annuel à déposer {quand} — {collectif.nom}",
        "workflow/emails/rappel_bilan.txt",
        {"bilan": bilan, "collectif": collectif, "jour_meme": jour_meme, "url": url_absolue("fonds:bilan", bilan.pk)},
        destinataires,
    )


# --- What the receivers do to a process --------------------------------------------------------------------------


def _processus(bilan_pk: int) -> models.QuerySet[Any]:
    return Process.objects.filter(
        flow_class=FluxBilan,
        artifact_content_type=ContentType.objects.get_for_model(BilanAnnuel),
        artifact_object_id=bilan_pk,
    )


def processus_de(bilan_pk: int) -> Any:
    return _processus(bilan_pk).order_by("-created", "-pk").first()


def processus_demarrer(bilan_pk: int) -> Any:
    """Start the process of a check-in not yet validated, once."""
    bilan = _bilan(bilan_pk)
    if bilan.etat == EtatBilan.VALIDE or processus_de(bilan_pk) is not None:
        return None
    processus = FluxBilan.debut.run(bilan=bilan)
    processus_synchroniser(bilan_pk)
    return processus


def _actives(processus: Any, *noeuds: str) -> Any:
    flux = FluxBilan.instance
    return Task.objects.filter(
        process_id=processus.pk, status__in=STATUTS_ACTIFS, flow_task__in=[flux.node(n) for n in noeuds]
    ).order_by("created", "pk")


# Each waiting node and the check-in states in which it keeps waiting.
ATTENTES: dict[str, frozenset[str]] = {
    "depot": frozenset(A_DEPOSER),
    "retard": frozenset(A_DEPOSER),
    "examen": frozenset({EtatBilan.DEPOSE}),
}


def processus_synchroniser(bilan_pk: int) -> None:
    """Move the process on to the node matching the check-in's state: each waiting node whose states the check-in
    has left completes (filed: the filing node and the late task; decided: the examination). Idempotent."""
    processus = processus_de(bilan_pk)
    if processus is None or processus.status != PROCESS.NEW:
        return
    for _ in range(2 * len(ATTENTES) + 1):  # each round completes one node; a filing completes two
        etat = BilanAnnuel.objects.values_list("etat", flat=True).get(pk=bilan_pk)
        tache = next((t for t in _actives(processus, *ATTENTES) if etat not in ATTENTES[t.flow_task.name]), None)
        if tache is None:
            return
        tache.flow_task.run(tache)


def bilans_sans_processus() -> models.QuerySet[BilanAnnuel]:
    """The check-ins not yet validated whose process is missing (its start after commit failed)."""
    demarres = Process.objects.filter(
        flow_class=FluxBilan, artifact_content_type=ContentType.objects.get_for_model(BilanAnnuel)
    ).values("artifact_object_id")
    return BilanAnnuel.objects.exclude(etat=EtatBilan.VALIDE).exclude(pk__in=demarres).order_by("pk")


def processus_reparer() -> int:
    """Start the missing process of each check-in of `bilans_sans_processus` (run by `manage.py workflow_timers`
    before the timers fire, so an overdue reminder goes in the same run). Each in its own transaction."""
    repares = 0
    for pk in bilans_sans_processus().values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if processus_demarrer(pk) is not None:
                    repares += 1
        except Exception:
            logger.exception("Le processus du bilan annuel %s n'a pas pu être démarré.", pk)
    return repares


def _demarrer_apres_commit(bilans: list[int]) -> None:
    for pk in bilans:
        try:
            with transaction.atomic():
                processus_demarrer(pk)
        except Exception:
            logger.exception("Le processus du bilan annuel %s n'a pas pu être démarré.", pk)


def sur_bilans_prevus(sender: Any, *, bilans: list[int], **kwargs: Any) -> None:
    """`fonds.signals.bilans_prevus`: start their processes after the signature commits (a failure is logged and
    `processus_reparer` catches up; it never undoes the signature)."""
    transaction.on_commit(partial(_demarrer_apres_commit, list(bilans)))


def sur_transition_bilan(
    sender: type[models.Model], *, modele: type[models.Model], pk: int, transition: str, **kwargs: Any
) -> None:
    """After commit: the check-in was filed, validated or returned; its process follows. A failure is logged."""
    if modele is not BilanAnnuel:
        return
    try:
        with transaction.atomic():
            if processus_de(pk) is None:
                processus_demarrer(pk)
            else:
                processus_synchroniser(pk)
    except Exception:
        logger.exception("Le processus du bilan annuel %s n'a pas suivi « %s ».", pk, transition)


# --- The instructeurs' task list ------------------------------------------------------------------------------------


def bilans_en_retard_de(user: Acteur) -> models.QuerySet[BilanAnnuel]:
    """R11: the check-ins with an open « bilan en retard » task, in the départements the user instructs, oldest
    due date first (one query, whatever their number). A cancelled convention's are not the instruction's work."""
    if not connecte(user):
        return BilanAnnuel.objects.none()
    taches = Task.objects.filter(flow_task=FluxBilan.retard, status__in=STATUTS_ACTIFS).values(
        "process__artifact_object_id"
    )
    return (
        BilanAnnuel.objects.filter(pk__in=taches, convention__departement__instructeurs__user=user)
        .exclude(convention__etat=EtatConvention.ANNULEE)
        .select_related("convention", "convention__departement", "convention__declaration__collectif")
        .order_by("echeance", "pk")
    )
