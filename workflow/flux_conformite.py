"""The viewflow process of a non-compliant composition (R12): one process per non-conformity of a funded collectif.

It starts when the convention becomes « non conforme » (its journalled transition reaches this module after commit
through `journal.signals.transition_validee`), waits for the composition to be restored, and holds two timers
fired by `manage.py workflow_timers`:
- the reminder to the référents before the end of the grace period (`RAPPEL_GRACE_AVANT`, or half-way when the
  grace period is shorter);
- the end of the grace period (the day after `Convention.fin_de_grace`, at midnight, local time): the service
  `fonds.services.convention_suspendre_apres_grace` suspends the next tranche and the convention.
When the convention is active again (restored), the waiting node completes and the process ends; its timers that
have not fired are cancelled. No rule lives here: the timers call the domain services, which check again.

The process is viewflow's own `Process`, whose artifact is the convention (no model of its own)."""

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
from collectifs.tasks import url_declaration
from comptes.selectors import emails_des_instructeurs
from core.emails import courriel_envoyer, url_absolue
from fonds.enums import EtatConvention
from fonds.models import Convention
from fonds.selectors.conformite import conformite_de
from fonds.services import convention_suspendre_apres_grace

logger = logging.getLogger(__name__)

# R12: the référents are reminded this long before the end of the grace period (half-way when it is shorter).
RAPPEL_GRACE_AVANT = timedelta(days=30)


def _convention(convention_id: int) -> Convention:
    return Convention.objects.select_related("declaration__collectif", "campagne", "departement").get(pk=convention_id)


def _convention_du_processus(activation: Any) -> Convention:
    return _convention(activation.process.artifact_object_id)


def fin_de_grace_instant(convention: Convention) -> datetime:
    """The first instant after the grace period: the day after `fin_de_grace`, at midnight, local time."""
    assert convention.fin_de_grace is not None
    return timezone.make_aware(datetime.combine(convention.fin_de_grace + timedelta(days=1), time.min))


class FluxConformite(flow.Flow):  # type: ignore[misc]
    """Délai de grâce d'une composition non conforme

    Un collectif financé dont la composition ne respecte plus les seuils de la campagne (R1) dispose d'un délai
    de grâce (R12) : rappel aux référent·es avant son terme, puis suspension de la prochaine tranche s'il n'a pas
    rétabli sa composition. Le processus se termine quand la composition est rétablie."""

    lock_impl = lock.select_for_update_lock

    debut = flow.StartHandle(this.demarrer).Annotation(title="Composition non conforme").Next(this.grace)

    grace = (
        flow.Handle()
        .Annotation(title="Attendre le rétablissement de la composition")
        .OnTimeout(this.date_rappel, this.rappel, interrupting=False, title="Rappel avant la fin du délai de grâce")
        .OnTimeout(this.date_fin_de_grace, this.suspension, interrupting=False, title="Fin du délai de grâce")
        .Next(this.retablie)
    )
    rappel = (
        flow.Function(this.envoyer_rappel)
        .Annotation(title="Rappeler le délai de grâce aux référent·es")
        .Next(this.rappel_envoye)
    )
    suspension = (
        flow.Function(this.suspendre).Annotation(title="Suspendre la prochaine tranche").Next(this.tranche_suspendue)
    )

    rappel_envoye = flow.End().Annotation(title="Rappel envoyé")
    tranche_suspendue = flow.End().Annotation(title="Tranche suspendue")
    retablie = flow.End().Annotation(title="Composition rétablie")

    def demarrer(self, activation: Any, convention: Convention) -> Any:
        """The non-compliant convention becomes the process's artifact."""
        activation.process.artifact = convention
        activation.process.data = {
            "non_conforme_depuis": convention.non_conforme_depuis.isoformat() if convention.non_conforme_depuis else "",
            "fin_de_grace": convention.fin_de_grace.isoformat() if convention.fin_de_grace else "",
        }
        return activation.process

    def date_fin_de_grace(self, activation: Any) -> datetime:
        return fin_de_grace_instant(_convention_du_processus(activation))

    def date_rappel(self, activation: Any) -> datetime:
        fin = self.date_fin_de_grace(activation)
        return fin - min(RAPPEL_GRACE_AVANT, (fin - activation.process.created) / 2)

    def envoyer_rappel(self, activation: Any) -> None:
        """Remind the référents of what is missing and of the end of the grace period, while it lasts."""
        convention = _convention_du_processus(activation)
        if convention.etat != EtatConvention.NON_CONFORME or convention.declaration is None:
            return
        destinataires = referents_emails(convention.declaration.collectif)
        transaction.on_commit(partial(notifier_rappel_grace.enqueue, convention.pk, destinataires))

    def suspendre(self, activation: Any) -> None:
        """The grace period ended: the service suspends the next tranche if the composition is still short, and
        the référents and the département's instructeurs are told."""
        suspendue = convention_suspendre_apres_grace(activation.process.artifact_object_id)
        if suspendue is None or suspendue.declaration is None:
            return
        destinataires = [
            *referents_emails(suspendue.declaration.collectif),
            *emails_des_instructeurs(suspendue.departement_id),
        ]
        transaction.on_commit(partial(notifier_suspension.enqueue, suspendue.pk, destinataires))


# --- E-mails (queued after commit, sent by the task worker) ---------------------------------------------------


def _contexte(convention: Convention) -> dict[str, Any]:
    assert convention.declaration is not None
    return {
        "convention": convention,
        "collectif": convention.declaration.collectif,
        "conformite": conformite_de(convention),
        "url": url_declaration(convention.declaration_id),  # type: ignore[arg-type]
        "url_convention": url_absolue("fonds:convention", convention.pk),
    }


@task()
def notifier_rappel_grace(convention_id: int, destinataires: list[str]) -> int:
    """R12: the grace period ends soon; tell the référents what is missing."""
    convention = _convention(convention_id)
    return courriel_envoyer(
        f"Rappel : composition à rétablir avant le {convention.fin_de_grace:%d/%m/%Y} — {convention.beneficiaire}",
        "workflow/emails/rappel_grace.txt",
        _contexte(convention),
        destinataires,
    )


@task()
def notifier_suspension(convention_id: int, destinataires: list[str]) -> int:
    """R12: the grace period ended; the next tranche is suspended."""
    convention = _convention(convention_id)
    return courriel_envoyer(
        f"Convention suspendue : composition non conforme — {convention.beneficiaire}",
        "workflow/emails/suspension_convention.txt",
        _contexte(convention),
        destinataires,
    )


# --- What the receiver does to a process ------------------------------------------------------------------------


def _processus(convention_pk: int) -> models.QuerySet[Any]:
    return Process.objects.filter(
        flow_class=FluxConformite,
        artifact_content_type=ContentType.objects.get_for_model(Convention),
        artifact_object_id=convention_pk,
    )


def processus_en_cours(convention_pk: int) -> Any:
    """The running process of the convention's current non-conformity, if any."""
    return _processus(convention_pk).filter(status=PROCESS.NEW).order_by("-created", "-pk").first()


def processus_demarrer(convention_pk: int) -> Any:
    """Start the process of a non-compliant convention, once per non-conformity."""
    convention = _convention(convention_pk)
    if convention.etat != EtatConvention.NON_CONFORME or processus_en_cours(convention_pk) is not None:
        return None
    return FluxConformite.debut.run(convention=convention)


def processus_terminer(convention_pk: int) -> None:
    """The composition is restored: the waiting node completes, the timers not yet fired are cancelled, and the
    process ends."""
    processus = processus_en_cours(convention_pk)
    if processus is None:
        return
    attente = (
        Task.objects.filter(
            process_id=processus.pk,
            flow_task=FluxConformite.instance.node("grace"),
            status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
        )
        .order_by("-created")
        .first()
    )
    if attente is not None:
        FluxConformite.grace.run(attente)


def processus_annuler(convention_pk: int) -> None:
    processus = processus_en_cours(convention_pk)
    if processus is not None:
        FluxConformite.instance.cancel(processus)


def conventions_sans_processus() -> models.QuerySet[Convention]:
    """The non-compliant conventions whose process is missing (its start after commit failed)."""
    en_cours = Process.objects.filter(
        flow_class=FluxConformite,
        status=PROCESS.NEW,
        artifact_content_type=ContentType.objects.get_for_model(Convention),
    ).values("artifact_object_id")
    return Convention.objects.filter(etat=EtatConvention.NON_CONFORME).exclude(pk__in=en_cours).order_by("pk")


def processus_reparer() -> int:
    """Start the missing process of each non-compliant convention (run by `manage.py workflow_timers`, before the
    timers fire, so a grace period already over is handled in the same run). Each in its own transaction."""
    repares = 0
    for pk in conventions_sans_processus().values_list("pk", flat=True):
        try:
            with transaction.atomic():
                if processus_demarrer(pk) is not None:
                    repares += 1
        except Exception:
            logger.exception("Le processus de conformité de la convention %s n'a pas pu être démarré.", pk)
    return repares


def sur_transition_convention(
    sender: type[models.Model],
    *,
    modele: type[models.Model],
    pk: int,
    transition: str,
    **kwargs: Any,
) -> None:
    """After commit: a convention became non conforme (start), was restored (end) or cancelled (cancel). A failure
    is logged; `processus_reparer` catches up."""
    if modele is not Convention:
        return
    try:
        if transition == "declarer_non_conforme":
            with transaction.atomic():
                processus_demarrer(pk)
        elif transition == "retablir":
            with transaction.atomic():
                processus_terminer(pk)
        elif transition == "annuler":
            with transaction.atomic():
                processus_annuler(pk)
    except Exception:
        logger.exception("Le processus de conformité de la convention %s n'a pas suivi « %s ».", pk, transition)
