"""R5: every decision produces its PDF and every séance its minutes, even when the job issuing them dies. The job
is resumable (each document committed on its own, only the missing ones issued again); `documents_seances` lists
and relaunches what is missing and recovers stale and failed jobs (database task backend); the séance's
managers relaunch the issue from the séance page."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from documents.enums import TypeDocument
from documents.selectors import documents_de
from instances import tasks
from instances.selectors import documents_manquants, seances_documents_manquants
from instances.services import point_statuer, seance_clore
from instances.tasks import documents_seances_recuperer, emettre_documents_seance
from tests.instances.factories_seances import PARIS, MondeSeances, construire_monde_seances, emettre_documents, votee

MANQUANTS = ["Procès-verbal de la séance", "Décision concernant Collectif A de Montreynaud"]
BOUTON = "Émettre les documents manquants"


@pytest.fixture
def monde(distribution) -> MondeSeances:
    """The séance decided (collectif A agreed) and closed, but its job never ran: no document issued."""
    m = construire_monde_seances(distribution)
    votee(m)
    point_statuer(acteur=m.instructeur_42, point=m.point)
    seance_clore(acteur=m.instructeur_42, seance=m.seance)
    m.recharger()
    return m


# --- The job resumes where it stopped. ---


def test_une_emission_interrompue_garde_ses_documents_et_reprend(
    monde, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    emettre = tasks.document_emettre

    def panne(**kwargs):
        if kwargs["type"] == TypeDocument.PROCES_VERBAL:
            raise RuntimeError("processus arrêté")
        return emettre(**kwargs)

    monkeypatch.setattr(tasks, "document_emettre", panne)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        emettre_documents_seance.call(monde.seance.pk)

    decision = documents_de(monde.point, TypeDocument.DECISION).get()  # kept despite the failure
    assert documents_manquants(monde.seance) == ["Procès-verbal de la séance"]

    monkeypatch.setattr(tasks, "document_emettre", emettre)
    with django_capture_on_commit_callbacks(execute=True):
        numeros = emettre_documents_seance.call(monde.seance.pk)

    proces_verbal = documents_de(monde.seance, TypeDocument.PROCES_VERBAL).get()
    assert numeros == [proces_verbal.numero]  # only the missing one
    assert documents_de(monde.point, TypeDocument.DECISION).get() == decision
    assert emettre_documents_seance.call(monde.seance.pk) == []
    assert documents_manquants(monde.seance) == []
    decisions = [m for m in mailoutbox if m.subject.startswith("Décision de l'instance départementale")]
    assert len(decisions) == 1  # the collectif is told once


# --- The command. ---


def _commande(*args: str) -> str:
    sortie = StringIO()
    call_command("documents_seances", *args, stdout=sortie, stderr=sortie)
    return sortie.getvalue()


def test_la_commande_liste_puis_relance_les_documents_manquants(monde):
    sortie = _commande()
    assert f"Séance n° {monde.seance.pk} — " in sortie
    assert all(f"  - {m}" in sortie for m in MANQUANTS)
    assert "1 séance(s) close(s) avec des documents manquants." in sortie
    assert documents_manquants(monde.seance) == MANQUANTS  # listing changes nothing

    assert "Émission relancée." in _commande("--relancer")

    assert documents_manquants(monde.seance) == []
    assert _commande() == "Toutes les séances closes ont leurs documents.\n"


# --- Recovery of stale and failed jobs (database backend). ---

MAINTENANT = datetime.datetime(2027, 3, 15, 18, 0, tzinfo=PARIS)


@pytest.fixture
def base_de_taches(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _resultat(seance_id: int, status: str, debut=None, fin=None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [seance_id], "kwargs": {}},
        task_path=emettre_documents_seance.module_path,
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        started_at=debut,
        finished_at=fin,
    )


def _en_attente(seance_id: int) -> list[DBTaskResult]:
    return [
        r for r in DBTaskResult.objects.filter(status=TaskResultStatus.READY) if r.args_kwargs["args"] == [seance_id]
    ]


# The real worker closes its database connection after its batch: on PostgreSQL that would end the test's own
# transaction, so this test commits for real (and gets the reference data back afterwards).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("base_de_taches")
def test_une_tache_bloquee_est_tenue_pour_arretee_puis_relancee_et_le_worker_emet(monde):
    # Committing for real queued the job of the closing: this test starts from the one the dead worker held.
    DBTaskResult.objects.all().delete()
    with time_machine.travel(MAINTENANT, tick=False):
        bloquee = _resultat(monde.seance.pk, TaskResultStatus.RUNNING, debut=MAINTENANT - datetime.timedelta(hours=2))

        bilan = documents_seances_recuperer()

        bloquee.refresh_from_db()
        assert bloquee.status == TaskResultStatus.FAILED
        assert bloquee.exception_class_path == "instances.tasks.TacheInterrompue"
        assert bilan.interrompues == [monde.seance.pk]
        [relance] = _en_attente(monde.seance.pk)
        assert relance.run_after == MAINTENANT + datetime.timedelta(minutes=1)  # first failure: one minute
        assert bilan.relancees == {monde.seance.pk: relance.run_after}
        # Run again: the job is already waiting, nothing more is queued.
        assert documents_seances_recuperer().relancees == {}

    with time_machine.travel(MAINTENANT + datetime.timedelta(minutes=2), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=StringIO())

    relance.refresh_from_db()
    assert relance.status == TaskResultStatus.SUCCESSFUL
    assert documents_manquants(monde.seance) == []
    assert list(seances_documents_manquants()) == []


@pytest.mark.usefixtures("base_de_taches")
def test_une_tache_recente_en_cours_n_est_pas_touchee(monde):
    debut = timezone.now() - datetime.timedelta(minutes=5)
    en_cours = _resultat(monde.seance.pk, TaskResultStatus.RUNNING, debut=debut)

    bilan = documents_seances_recuperer()

    en_cours.refresh_from_db()
    assert en_cours.status == TaskResultStatus.RUNNING
    assert (bilan.interrompues, bilan.relancees, _en_attente(monde.seance.pk)) == ([], {}, [])


@pytest.mark.usefixtures("base_de_taches")
@pytest.mark.parametrize(("echecs", "attente"), [(1, 1), (2, 2), (3, 4), (4, 8)])
def test_les_echecs_sont_relances_avec_un_delai_qui_double(monde, echecs, attente):
    with time_machine.travel(MAINTENANT, tick=False):
        for minutes in range(echecs, 0, -1):
            _resultat(monde.seance.pk, TaskResultStatus.FAILED, fin=MAINTENANT - datetime.timedelta(seconds=minutes))
        dernier_echec = MAINTENANT - datetime.timedelta(seconds=1)

        documents_seances_recuperer()

    [relance] = _en_attente(monde.seance.pk)
    assert relance.run_after == dernier_echec + datetime.timedelta(minutes=attente)


@pytest.mark.usefixtures("base_de_taches")
def test_apres_trop_d_echecs_la_relance_revient_au_personnel(monde):
    for _ in range(5):
        _resultat(monde.seance.pk, TaskResultStatus.FAILED, fin=timezone.now() - datetime.timedelta(days=1))

    sortie = _commande("--recuperer")

    assert _en_attente(monde.seance.pk) == []
    assert f"Séance n° {monde.seance.pk} : l'émission a échoué 5 fois" in sortie


@pytest.mark.usefixtures("base_de_taches")
def test_une_seance_dont_les_documents_sont_emis_n_est_pas_relancee(monde):
    _resultat(monde.seance.pk, TaskResultStatus.FAILED, fin=timezone.now())
    emettre_documents(monde.seance)

    assert documents_seances_recuperer().relancees == {}
    assert _en_attente(monde.seance.pk) == []


# --- The button on the séance page. ---


def _url(m: MondeSeances) -> str:
    return reverse("instances:seance_emettre_documents", args=[m.seance.pk])


@pytest.mark.parametrize("role", ["instructeur_42", "president"])
def test_la_gestion_relance_l_emission_depuis_la_page(monde, client, role, django_capture_on_commit_callbacks):
    client.force_login(getattr(monde, role))
    page = client.get(reverse("instances:seance", args=[monde.seance.pk])).content.decode()
    assert BOUTON in page and all(f"<li>{m}</li>" in page for m in MANQUANTS)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_url(monde), follow=True)

    assert reponse.redirect_chain == [(reverse("instances:seance", args=[monde.seance.pk]), 302)]
    page = reponse.content.decode()
    assert f"Émission relancée : {', '.join(MANQUANTS)}." in page
    assert BOUTON not in page
    assert "Télécharger le procès-verbal PV-42-" in page
    assert documents_manquants(monde.seance) == []


@pytest.mark.parametrize(("role", "statut"), [("membre", 403), ("instructeur_autre", 404), ("referent_a", 404)])
def test_les_autres_ne_relancent_pas(monde, client, role, statut, django_capture_on_commit_callbacks):
    client.force_login(getattr(monde, role))
    if statut == 403:
        assert BOUTON not in client.get(reverse("instances:seance", args=[monde.seance.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(monde)).status_code == statut

    assert documents_manquants(monde.seance) == MANQUANTS


def test_pas_de_bouton_quand_rien_ne_manque_et_la_relance_le_dit(monde, client):
    emettre_documents(monde.seance)
    client.force_login(monde.instructeur_42)
    assert BOUTON not in client.get(reverse("instances:seance", args=[monde.seance.pk])).content.decode()

    reponse = client.post(_url(monde), follow=True)

    assert "Tous les documents de la séance sont déjà émis." in reponse.content.decode()


def test_la_relance_ne_vaut_que_pour_une_seance_close(distribution, client):
    m = construire_monde_seances(distribution)
    votee(m)
    client.force_login(m.instructeur_42)
    assert BOUTON not in client.get(reverse("instances:seance", args=[m.seance.pk])).content.decode()

    reponse = client.post(_url(m), follow=True)

    assert "la séance n&#x27;est pas close." in reponse.content.decode()
    assert client.get(_url(m)).status_code == 405
