"""R12: the grace period of a non-compliant composition is a viewflow process whose timers `manage.py
workflow_timers` fires: the référents are reminded before its end; at its end the next tranche is suspended and the
référents and instructeurs are told; restored in time, the process ends and its timers never fire."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from fonds.enums import EtatConvention, EtatTranche
from tests.fonds.test_conformite import (
    PARIS,
    ajouter_habitant,
    collectif_finance,
    faire_partir,
    habitant,
    le_jour,
    referent,
)
from workflow import flux_conformite

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
RAPPEL = "Rappel : composition à rétablir avant le 10/05/2027"
SUSPENSION = "Convention suspendue : composition non conforme"
# The grace period of a departure on 10 February 2027 ends on 10 May 2027: the suspension fires at midnight on
# 11 May (local time), the reminder 30 days before.
FIN = timezone.make_aware(datetime.combine(date(2027, 5, 11), time.min))
RAPPEL_LE = FIN - timedelta(days=30)


@pytest.fixture
def financee():
    return collectif_finance()


def balayer(capture, instant: datetime) -> str:
    """Run the timer dispatcher at this instant, as cron would; e-mails are queued after its commit."""
    sortie = StringIO()
    with time_machine.travel(instant, tick=False), capture(execute=True):
        call_command("workflow_timers", stdout=sortie)
    return sortie.getvalue()


def courriels(mailoutbox, debut: str) -> list[list[str]]:
    return [sorted(m.to) for m in mailoutbox if m.subject.startswith(debut)]


def _non_conforme(convention, capture) -> None:
    with le_jour(date(2027, 2, 10)), capture(execute=True):
        faire_partir(convention, habitant(convention))


def test_rappel_avant_la_fin_puis_suspension_puis_retablissement(
    financee, mailoutbox, django_capture_on_commit_callbacks
):
    monde, convention = financee
    capture = django_capture_on_commit_callbacks
    _non_conforme(convention, capture)

    processus = flux_conformite.processus_en_cours(convention.pk)
    assert processus is not None and processus.artifact == convention
    timers = Task.objects.filter(process=processus, flow_task_type="TIMER", status=STATUS.SCHEDULED)
    assert sorted(t.scheduled for t in timers) == [RAPPEL_LE, FIN]

    assert balayer(capture, RAPPEL_LE - MINUTE).startswith("0 timer(s) fired")
    assert mailoutbox == []
    assert balayer(capture, RAPPEL_LE + MINUTE).startswith("1 timer(s) fired")
    assert courriels(mailoutbox, RAPPEL) == [[referent(convention).email]]
    corps = mailoutbox[0].body
    assert "Il manque 1 représentant·e d'habitants ou d'usagers." in corps and "10 mai 2027" in corps
    assert reverse("instances:declaration_detail", args=[convention.declaration_id]) in corps

    assert balayer(capture, FIN - MINUTE).startswith("0 timer(s) fired")
    convention.refresh_from_db()
    assert convention.etat == EtatConvention.NON_CONFORME
    assert balayer(capture, FIN + MINUTE).startswith("1 timer(s) fired")
    convention.refresh_from_db()
    assert convention.etat == EtatConvention.SUSPENDUE
    assert convention.tranches.get(rang=1).etat == EtatTranche.SUSPENDUE
    assert courriels(mailoutbox, SUSPENSION) == [sorted([referent(convention).email, monde.instructeur.email])]
    assert "tranche 1 (2027)" in mailoutbox[-1].body
    # A timer fires once.
    assert balayer(capture, FIN + 2 * MINUTE).startswith("0 timer(s) fired")
    assert len(mailoutbox) == 2

    # The process still waits for the composition: restoring it ends the process.
    with le_jour(date(2027, 6, 2)), capture(execute=True):
        ajouter_habitant(convention)
    processus.refresh_from_db()
    assert processus.status == PROCESS.DONE
    convention.refresh_from_db()
    assert convention.etat == EtatConvention.ACTIVE
    assert convention.tranches.get(rang=1).etat == EtatTranche.EXIGIBLE


def test_retablie_a_temps_le_processus_se_termine_et_ses_minuteurs_ne_partent_pas(
    financee, mailoutbox, django_capture_on_commit_callbacks
):
    _, convention = financee
    capture = django_capture_on_commit_callbacks
    _non_conforme(convention, capture)
    processus = flux_conformite.processus_en_cours(convention.pk)

    with le_jour(date(2027, 3, 1)), capture(execute=True):
        ajouter_habitant(convention)

    processus.refresh_from_db()
    assert processus.status == PROCESS.DONE
    assert not Task.objects.filter(process=processus, status=STATUS.SCHEDULED).exists()
    assert balayer(capture, FIN + MINUTE).startswith("0 timer(s) fired")
    assert mailoutbox == []
    convention.refresh_from_db()
    assert convention.etat == EtatConvention.ACTIVE

    # A new shortfall is a new non-conformity, with its own process and grace period.
    with le_jour(date(2027, 9, 1)), capture(execute=True):
        faire_partir(convention, habitant(convention))
    nouveau = flux_conformite.processus_en_cours(convention.pk)
    assert nouveau is not None and nouveau.pk != processus.pk
    convention.refresh_from_db()
    assert convention.fin_de_grace == date(2027, 12, 1)


def test_un_processus_manquant_est_demarre_par_workflow_timers_et_la_suspension_suit(
    financee, mailoutbox, django_capture_on_commit_callbacks
):
    _, convention = financee
    capture = django_capture_on_commit_callbacks
    with le_jour(date(2027, 2, 10)):  # after-commit callbacks dropped: the process did not start
        faire_partir(convention, habitant(convention))
    assert flux_conformite.processus_en_cours(convention.pk) is None
    assert list(flux_conformite.conventions_sans_processus()) == [convention]

    sortie = balayer(capture, FIN + MINUTE)

    # Started in this run with its timers already due: both fire in the same run (reminder, then suspension).
    assert sortie.startswith("2 timer(s) fired")
    assert flux_conformite.processus_en_cours(convention.pk) is not None
    convention.refresh_from_db()
    assert convention.etat == EtatConvention.SUSPENDUE
    assert courriels(mailoutbox, SUSPENSION)


def test_la_fin_d_une_adhesion_sans_saisie_est_vue_par_workflow_timers(
    financee, mailoutbox, django_capture_on_commit_callbacks
):
    _, convention = financee
    capture = django_capture_on_commit_callbacks
    membre = habitant(convention)
    membre.date_fin = date(2027, 3, 31)
    membre.save(update_fields=["date_fin"])

    sortie = balayer(capture, datetime(2027, 4, 1, 2, 0, tzinfo=PARIS))

    assert "1 convention(s) dont la conformité de la composition a changé" in sortie
    convention.refresh_from_db()
    assert (convention.etat, convention.fin_de_grace) == (EtatConvention.NON_CONFORME, date(2027, 7, 1))
    assert flux_conformite.processus_en_cours(convention.pk) is not None
