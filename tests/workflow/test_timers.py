"""Deadlines are viewflow timers fired by `manage.py workflow_timers` (R4): the reminder before the instruction
deadline goes to the assignee, the escalation after it to the instance's president; the collectif is reminded before
its answer is due; classement sans suite is refused before the demande expires and allowed after."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.services import declaration_classer_sans_suite
from tests.comptes.factories import InstructeurFactory
from tests.workflow.scenario import (
    construire_scene,
    demander,
    deposer_avec_processus,
    instruire,
    minuteurs,
    processus,
    repondre,
)
from workflow import flows

MINUTE = timedelta(minutes=1)


@pytest.fixture
def scene(distribution, django_capture_on_commit_callbacks):
    return construire_scene(distribution, django_capture_on_commit_callbacks)


def balayer(capture, instant: datetime) -> str:
    """Run the timer dispatcher at this instant, as cron would; e-mails are queued after its commit."""
    sortie = StringIO()
    with time_machine.travel(instant, tick=False), capture(execute=True):
        call_command("workflow_timers", stdout=sortie)
    return sortie.getvalue()


def courriels(debut_du_sujet: str) -> list[list[str]]:
    """The recipients of each e-mail whose subject starts so."""
    return [sorted(m.to) for m in mail.outbox if m.subject.startswith(debut_du_sujet)]


RAPPEL = "Rappel : instruction à terminer"
ESCALADE = "Échéance d'instruction dépassée"
RAPPEL_COLLECTIF = "Rappel : compléments attendus"
EXPIRATION = "Compléments non fournis"


def test_rappel_a_l_instructeur_en_charge_puis_escalade_a_la_presidence(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    instruire(scene.declaration, scene.instructeur_42, capture)
    mail.outbox.clear()
    echeance = scene.declaration.deposee_le + timedelta(days=60)
    rappel = echeance - timedelta(days=7)

    assert balayer(capture, rappel - MINUTE).startswith("0 timer(s) fired")
    assert mail.outbox == []

    assert balayer(capture, rappel + MINUTE).startswith("1 timer(s) fired")
    assert courriels(RAPPEL) == [[scene.instructeur_42.email]]
    assert f"/taches/declarations/{scene.declaration.pk}/" in mail.outbox[0].body
    # A timer fires once.
    balayer(capture, rappel + 2 * MINUTE)
    assert len(mail.outbox) == 1

    balayer(capture, echeance - MINUTE)
    assert courriels(ESCALADE) == []
    balayer(capture, echeance + MINUTE)
    assert courriels(ESCALADE) == [["presidente.instance@exemple.fr"]]
    assert "président·e de l'instance" in mail.outbox[-1].body
    # The instruction task is still waiting: the timers do not interrupt it.
    assert minuteurs(scene.declaration) == {}
    assert processus(scene.declaration).status == PROCESS.NEW


def test_sans_responsable_le_rappel_va_aux_instructeurs_du_departement(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    collegue = InstructeurFactory(user__email="collegue.42@exemple.fr", departements=["42"]).user
    mail.outbox.clear()
    rappel = scene.declaration.deposee_le + timedelta(days=53)
    balayer(capture, rappel + MINUTE)
    assert courriels(RAPPEL) == [sorted([scene.instructeur_42.email, collegue.email])]
    assert scene.instructeur_autre.email not in mail.outbox[0].to


def test_sans_presidence_l_escalade_va_aux_instructeurs(distribution, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    declaration = deposer_avec_processus(distribution.collectif_a, capture)
    mail.outbox.clear()
    balayer(capture, declaration.deposee_le + timedelta(days=60) + MINUTE)
    assert courriels(ESCALADE) == [[distribution.instructeur_42.email]]


def test_le_rappel_n_est_pas_renvoye_quand_la_tache_revient(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    instruire(scene.declaration, scene.instructeur_42, capture)
    apres_rappel = scene.declaration.deposee_le + timedelta(days=54)
    balayer(capture, apres_rappel)
    assert len(courriels(RAPPEL)) == 1
    with time_machine.travel(apres_rappel + MINUTE, tick=False):
        demander(scene.declaration, scene.instructeur_42, capture)
        repondre(scene.declaration, capture)
    # The instruction task came back with its timers re-armed at the same (past) moments...
    assert set(minuteurs(scene.declaration)) == {"instruction__timeout", "instruction__timeout_2"}
    balayer(capture, apres_rappel + 2 * MINUTE)
    # ...but the reminder went once.
    assert len(courriels(RAPPEL)) == 1


def _expiration(demande) -> datetime:
    return timezone.make_aware(datetime.combine(demande.echeance + timedelta(days=1), time.min))


def test_rappel_au_collectif_avant_l_echeance_de_sa_reponse(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    demande = demander(scene.declaration, scene.instructeur_42, capture)  # default: the campaign's 30 days
    assert demande.echeance == timezone.localdate() + timedelta(days=30)
    rappel = _expiration(demande) - flows.RAPPEL_COMPLEMENTS_AVANT
    assert minuteurs(scene.declaration)["complements__timeout"] == rappel
    mail.outbox.clear()

    balayer(capture, rappel - MINUTE)
    assert courriels(RAPPEL_COLLECTIF) == []
    balayer(capture, rappel + MINUTE)
    assert courriels(RAPPEL_COLLECTIF) == [[scene.referent_a.email]]
    assert "Ajoutez la délibération de la mairie." in mail.outbox[-1].body


def test_delai_court_rappel_a_mi_parcours(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    demande = demander(scene.declaration, scene.instructeur_42, capture, echeance=timezone.localdate() + timedelta(4))
    expiration = _expiration(demande)
    assert minuteurs(scene.declaration) == {
        "complements__timeout": expiration - (expiration - demande.demandee_le) / 2,
        "complements__timeout_2": expiration,
    }


def test_la_reponse_du_collectif_annule_ses_rappels(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    demande = demander(scene.declaration, scene.instructeur_42, capture)
    repondre(scene.declaration, capture)
    mail.outbox.clear()
    balayer(capture, _expiration(demande) + MINUTE)
    assert courriels(RAPPEL_COLLECTIF) == courriels(EXPIRATION) == []


def test_classement_sans_suite_refuse_avant_l_echeance_et_possible_apres(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    demande = demander(scene.declaration, scene.instructeur_42, capture)
    expiration = _expiration(demande)
    mail.outbox.clear()

    balayer(capture, expiration - MINUTE)
    assert courriels(EXPIRATION) == []
    with time_machine.travel(expiration - MINUTE, tick=False), pytest.raises(ValidationError) as refus:
        declaration_classer_sans_suite(
            acteur=scene.instructeur_42, declaration=scene.declaration, motifs="Sans réponse."
        )
    assert "n'est possible qu'après cette date" in " ".join(refus.value.messages)
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == EtatDeclaration.A_COMPLETER

    balayer(capture, expiration + MINUTE)
    assert courriels(EXPIRATION) == [[scene.instructeur_42.email]]
    assert "peut désormais être classée sans suite" in mail.outbox[-1].body

    with time_machine.travel(expiration + 2 * MINUTE, tick=False), capture(execute=True):
        declaration_classer_sans_suite(
            acteur=scene.instructeur_42, declaration=scene.declaration, motifs="Sans réponse."
        )
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == EtatDeclaration.CLASSEE_SANS_SUITE
    assert processus(scene.declaration).status == PROCESS.DONE
    assert minuteurs(scene.declaration) == {}
