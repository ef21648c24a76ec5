"""R11: the yearly check-in's deadlines are viewflow timers fired by `manage.py workflow_timers`: the référents are
reminded before the due date and on it; the day after, a « bilan en retard » task reaches the instructeurs' task
list, and it goes away when the collectif files. The process follows the check-in to its validation."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from fonds.models import BilanAnnuel
from fonds.services import bilan_deposer, bilan_retourner, bilan_valider, convention_annuler
from tests.comptes.factories import InstructeurFactory
from tests.fonds.parcours import campagne_ouverte, loire_financee
from tests.fonds.parcours_bilans import CollectifFinance, collectif_finance, donnees_completes
from workflow import flux_bilans

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
RAPPEL = "Rappel : bilan annuel à déposer avant le"
JOUR_MEME = "Rappel : bilan annuel à déposer aujourd'hui"


@pytest.fixture
def finance(django_capture_on_commit_callbacks) -> CollectifFinance:
    """A signed convention; only the callbacks that start the check-in processes are run (not the PDFs)."""
    with django_capture_on_commit_callbacks() as rappels:
        finance = collectif_finance()
    demarrages = [r for r in rappels if getattr(r, "func", None) is flux_bilans._demarrer_apres_commit]
    assert len(demarrages) == 1
    demarrages[0]()
    return finance


def _processus(bilan: BilanAnnuel) -> Process:
    return Process.objects.get(
        flow_class=flux_bilans.FluxBilan,
        artifact_content_type=ContentType.objects.get_for_model(BilanAnnuel),
        artifact_object_id=bilan.pk,
    )


def _taches(bilan: BilanAnnuel, *statuts: str) -> list[str]:
    qs = Task.objects.filter(process_id=_processus(bilan).pk, status__in=statuts).order_by("created", "pk")
    return [t.flow_task.name for t in qs]


def _minuteurs(bilan: BilanAnnuel) -> dict[str, datetime]:
    qs = Task.objects.filter(process_id=_processus(bilan).pk, status=STATUS.SCHEDULED)
    return {t.flow_task.name: t.scheduled for t in qs}


def balayer(capture, instant: datetime) -> str:
    sortie = StringIO()
    with time_machine.travel(instant, tick=False), capture(execute=True):
        call_command("workflow_timers", stdout=sortie)
    return sortie.getvalue()


def courriels(debut: str) -> list[list[str]]:
    return [sorted(m.to) for m in mail.outbox if m.subject.startswith(debut)]


def test_la_signature_demarre_un_processus_par_bilan_avec_ses_minuteurs(finance):
    for rang in (1, 2, 3):
        bilan = finance.bilan(rang)
        assert _processus(bilan).status == PROCESS.NEW
        assert _taches(bilan, STATUS.NEW) == ["depot"]
        echeance = flux_bilans.debut_echeance(bilan)
        assert sorted(_minuteurs(bilan).values()) == [
            echeance - flux_bilans.RAPPEL_BILAN_AVANT,
            echeance,
            flux_bilans.debut_retard(bilan),
        ]
    assert flux_bilans.bilans_sans_processus().count() == 0


def test_rappels_puis_tache_en_retard_levee_par_le_depot(finance, django_capture_on_commit_callbacks, client):
    capture = django_capture_on_commit_callbacks
    bilan = finance.bilan(1)
    instructeur = finance.monde.instructeur
    echeance = flux_bilans.debut_echeance(bilan)
    retard = flux_bilans.debut_retard(bilan)
    rappel = echeance - flux_bilans.RAPPEL_BILAN_AVANT
    mail.outbox.clear()

    assert balayer(capture, rappel - MINUTE).startswith("0 timer(s) fired")
    assert mail.outbox == []
    assert balayer(capture, rappel + MINUTE).startswith("1 timer(s) fired")
    assert courriels(RAPPEL) == [[finance.referent.email]]
    assert f"/fonds/bilans/{bilan.pk}/" in mail.outbox[0].body

    balayer(capture, echeance + MINUTE)
    assert courriels(JOUR_MEME) == [[finance.referent.email]]
    assert list(flux_bilans.bilans_en_retard_de(instructeur)) == []

    balayer(capture, retard + MINUTE)
    assert _taches(bilan, STATUS.NEW) == ["depot", "retard"]
    assert list(flux_bilans.bilans_en_retard_de(instructeur)) == [bilan]
    client.force_login(instructeur)
    taches = client.get(reverse("workflow:taches")).content.decode()
    assert "Bilans annuels en retard" in taches
    assert reverse("fonds:bilan", args=[bilan.pk]) in taches
    # Not in the task list of an instructeur of another département.
    assert list(flux_bilans.bilans_en_retard_de(InstructeurFactory(departements=["69"]).user)) == []

    with time_machine.travel(retard + timedelta(days=3), tick=False), capture(execute=True):
        bilan_deposer(acteur=finance.referent, bilan=bilan, donnees=donnees_completes(finance))
    assert _taches(bilan, STATUS.NEW) == ["examen"]
    assert list(flux_bilans.bilans_en_retard_de(instructeur)) == []

    # Returned « à compléter » while late: the filing node comes back, the late task too; no second reminder.
    with time_machine.travel(retard + timedelta(days=4), tick=False), capture(execute=True):
        bilan_retourner(acteur=instructeur, bilan=bilan, message="Ajoutez les difficultés.")
    balayer(capture, retard + timedelta(days=5))
    assert sorted(_taches(bilan, STATUS.NEW)) == ["depot", "retard"]
    assert len(courriels(RAPPEL)) == 1
    assert len(courriels(JOUR_MEME)) == 1

    with time_machine.travel(retard + timedelta(days=6), tick=False), capture(execute=True):
        bilan_deposer(acteur=finance.referent, bilan=bilan, donnees=donnees_completes(finance))
        bilan_valider(acteur=instructeur, bilan=bilan)
    assert _processus(bilan).status == PROCESS.DONE
    assert _taches(bilan, STATUS.NEW, STATUS.SCHEDULED) == []


def test_un_bilan_depose_avant_l_echeance_n_envoie_aucun_rappel(finance, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    bilan = finance.bilan(1)
    with capture(execute=True):
        bilan_deposer(acteur=finance.referent, bilan=bilan, donnees=donnees_completes(finance))
    assert _minuteurs(bilan) == {}  # the filing node's timers were cancelled with it
    mail.outbox.clear()
    balayer(capture, flux_bilans.debut_retard(bilan) + MINUTE)
    assert courriels("Rappel : bilan annuel") == []
    assert list(flux_bilans.bilans_en_retard_de(finance.monde.instructeur)) == []


def test_les_bilans_d_une_convention_annulee_ne_sont_ni_rappeles_ni_en_retard(django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture() as rappels:
        finance = collectif_finance(payer=False)  # signed, tranche 1 payable, not paid: it may still be cancelled
    for rappel in rappels:
        if getattr(rappel, "func", None) is flux_bilans._demarrer_apres_commit:
            rappel()
    with capture(execute=True):
        convention_annuler(
            acteur=finance.monde.instructeur, convention=finance.convention, motifs="Le collectif s'est dissous."
        )
    mail.outbox.clear()
    bilan = finance.bilan(1)
    balayer(capture, flux_bilans.debut_retard(bilan) + MINUTE)
    assert courriels("Rappel : bilan annuel") == []
    assert "retard" not in _taches(bilan, STATUS.NEW)
    assert list(flux_bilans.bilans_en_retard_de(finance.monde.instructeur)) == []


def test_workflow_timers_repare_un_processus_manquant(django_capture_on_commit_callbacks):
    finance = collectif_finance()  # the start after commit never ran
    assert flux_bilans.bilans_sans_processus().count() == 3
    bilan = finance.bilan(1)
    balayer(django_capture_on_commit_callbacks, flux_bilans.debut_retard(bilan) + MINUTE)
    assert flux_bilans.bilans_sans_processus().count() == 0
    # The overdue timers fired in the same run: both reminders, and the late task.
    assert courriels(RAPPEL) == [[finance.referent.email]]
    assert courriels(JOUR_MEME) == [[finance.referent.email]]
    assert list(flux_bilans.bilans_en_retard_de(finance.monde.instructeur)) == [bilan]


@pytest.mark.parametrize("nombre", [1, 3])
def test_requetes_de_la_liste_des_taches_avec_bilans_en_retard(
    nombre, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    monde = loire_financee()
    campagne = campagne_ouverte(monde)
    finances = [collectif_finance(monde, campagne=campagne, nom=f"Collectif {rang}") for rang in range(nombre)]
    balayer(django_capture_on_commit_callbacks, flux_bilans.debut_retard(finances[0].bilan(1)) + MINUTE)
    assert flux_bilans.bilans_en_retard_de(monde.instructeur).count() == nombre
    client.force_login(monde.instructeur)
    url = reverse("workflow:taches")
    client.get(url)
    # Session, user, instructeur, the instruction tasks (one query), the late check-ins (one query), and the
    # campaign choices of the list's filters (core.listes).
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count('href="/fonds/bilans/') == nombre
