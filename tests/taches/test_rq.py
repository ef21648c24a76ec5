"""Background jobs on Redis with RQ (issue 13, ADR 0007): a filing's notification, a séance's documents and the
national report are queued by the services as usual, go through Redis, and are run by a real RQ worker in another
process (`manage.py rqworker default --burst`), which reads the committed rows and writes the documents (in the
shared MEDIA_ROOT) and the e-mails (as files).

Needs PostgreSQL (the worker is another process and must see committed data) and Redis: run under
`scripts/with-postgres.sh scripts/with-redis.sh`. Without REDIS_URL the tests are skipped, unless
COLLECTIFS_EXIGER_REDIS=1 (`make test-postgres` sets it): then they fail, so that CI cannot skip them silently."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import django_rq
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_tasks import task_backends
from django_tasks_rq import RQBackend

from collectifs.services import declaration_deposer
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_lire
from instances.selectors import documents_manquants
from instances.services import point_statuer, seance_clore
from instances.tasks import Recuperation, documents_seances_recuperer
from mutualisation.enums import EtatTravail
from mutualisation.services.rapports import rapport_lancer
from tests.collectifs.factories import DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.deploiement.postgresql import exiger_postgresql, url
from tests.instances.factories_seances import construire_monde_seances, votee
from tests.mutualisation.parcours_syntheses import synthese_transmise

RACINE = Path(settings.BASE_DIR)
EXIGER_REDIS = os.environ.get("COLLECTIFS_EXIGER_REDIS") == "1"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _url_base(adresse: str, base: int) -> str:
    """`adresse` (redis://…/0, rediss://…, unix://…?db=0) pointing at Redis database `base` instead."""
    parties = urlsplit(adresse)
    if parties.scheme == "unix":
        requete = [(cle, valeur) for cle, valeur in parse_qsl(parties.query) if cle != "db"]
        return f"unix://{parties.path}?{urlencode([*requete, ('db', str(base))])}"  # urlunsplit drops the //
    return urlunsplit(parties._replace(path=f"/{base}"))


@dataclass(frozen=True)
class Courriel:
    sujet: str
    destinataires: str
    texte: str


@dataclass
class FileRQ:
    """The Redis database of this test (one per xdist worker, flushed before and after) and the worker's folders."""

    redis_url: str
    courriels: Path

    def executer_worker(self) -> str:
        """Run every queued job with a real worker process, as `collectifs-worker-rq.service` does, then check that
        none failed. Returns the worker's log."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url(),  # the test database (its name differs per xdist worker)
            "TASKS_BACKEND": "rq",
            "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # this test's folder (tests/conftest.py)
            "EMAIL_FILE_PATH": str(self.courriels),
        }
        resultat = subprocess.run(
            [sys.executable, "manage.py", "rqworker", "default", "--burst"],
            cwd=RACINE, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        journal = resultat.stdout + resultat.stderr
        assert resultat.returncode == 0, journal
        file = django_rq.get_queue("default")
        echecs = [file.fetch_job(i) for i in file.failed_job_registry.get_job_ids()]
        assert not echecs, "\n".join(f"{job.func_name} : {job.latest_result().exc_string}" for job in echecs if job)
        assert file.count == 0, journal
        return journal

    def en_attente(self) -> list[str]:
        """The paths of the tasks waiting in Redis."""
        return [job.func_name for job in django_rq.get_queue("default").get_jobs()]

    def termines(self) -> list[str]:
        file = django_rq.get_queue("default")
        return sorted(job.func_name for i in file.finished_job_registry.get_job_ids() if (job := file.fetch_job(i)))

    def messages(self) -> list[Courriel]:
        """The e-mails the worker wrote (Django's file backend: one file per connection, messages separated by a
        line of dashes)."""
        messages = []
        for fichier in sorted(self.courriels.glob("*.log")) if self.courriels.exists() else []:
            for bloc in fichier.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if bloc.strip():
                    lu = email.message_from_bytes(bloc.strip(), policy=email.policy.default)
                    assert isinstance(lu, EmailMessage)
                    corps = lu.get_body()
                    assert isinstance(corps, EmailMessage)
                    messages.append(Courriel(str(lu["Subject"]).strip(), str(lu["To"]), corps.get_content()))
        return messages


@pytest.fixture
def file_rq(settings, tmp_path) -> FileRQ:
    """The task backend switched to RQ for this test, on a Redis database of its own, emptied before and after."""
    if not settings.REDIS_URL:
        if EXIGER_REDIS:
            pytest.fail("COLLECTIFS_EXIGER_REDIS=1 mais REDIS_URL est vide : lancez-les sous scripts/with-redis.sh.")
        pytest.skip("needs Redis: scripts/with-redis.sh (make test-postgres)")
    exiger_postgresql()
    travailleur = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    redis_url = _url_base(settings.REDIS_URL, 1 + int(travailleur.removeprefix("gw")) % 15)
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # django-tasks resets its backends when TASKS changes (django_tasks.signals): the new one is RQ's.
    assert isinstance(task_backends["default"], RQBackend)
    connexion = django_rq.get_connection("default")
    connexion.flushdb()
    yield FileRQ(redis_url=redis_url, courriels=tmp_path / "courriels")
    connexion.flushdb()


def test_la_notification_d_un_depot_est_envoyee_par_le_worker(file_rq, distribution):
    declaration = DeclarationFactory(collectif=distribution.collectif_a, prete=True, campagne=distribution.campagne)

    declaration_deposer(acteur=distribution.referent_a, declaration=declaration)

    # Queued in Redis, not run here.
    assert "collectifs.tasks.notifier_depot" in file_rq.en_attente()
    assert mail.outbox == []
    assert file_rq.messages() == []

    file_rq.executer_worker()

    assert "collectifs.tasks.notifier_depot" in file_rq.termines()
    [message] = [m for m in file_rq.messages() if m.sujet.startswith("Nouvelle déclaration déposée")]
    assert message.sujet == "Nouvelle déclaration déposée : Collectif A de Montreynaud"
    assert message.destinataires == "instructrice.42@exemple.fr"  # the Loire's instructrice only
    assert reverse("instances:declaration_detail", args=[declaration.pk]) in message.texte
    assert mail.outbox == []  # nothing was sent by this process


def test_les_documents_d_une_seance_sont_emis_par_le_worker(file_rq, distribution):
    monde = construire_monde_seances(distribution)
    votee(monde)
    point_statuer(acteur=monde.instructeur_42, point=monde.point)

    seance_clore(acteur=monde.instructeur_42, seance=monde.seance)
    monde.recharger()

    assert "instances.tasks.emettre_documents_seance" in file_rq.en_attente()
    manquants = ["Procès-verbal de la séance", "Décision concernant Collectif A de Montreynaud"]
    assert documents_manquants(monde.seance) == manquants  # nothing issued by this process
    # The recovery pass reads the database backend's results only: with RQ it queues nothing again (it would
    # every minute, whatever the job's state in Redis).
    assert documents_seances_recuperer() == Recuperation()
    assert file_rq.en_attente().count("instances.tasks.emettre_documents_seance") == 1

    file_rq.executer_worker()

    assert documents_manquants(monde.seance) == []
    proces_verbal = documents_de(monde.seance, TypeDocument.PROCES_VERBAL).get()
    decision = documents_de(monde.point, TypeDocument.DECISION).get()
    for document in (proces_verbal, decision):
        # The worker wrote the file in the shared storage; its bytes match the SHA-256 of its row.
        assert document_lire(document).startswith(b"%PDF-")
    # The decision's notification, queued by the worker's own job, ran in the same burst.
    assert "instances.tasks.notifier_decision" in file_rq.termines()
    sujets = [m.sujet for m in file_rq.messages()]
    assert "Décision de l'instance départementale : Collectif A de Montreynaud" in sujets


def test_le_rapport_national_est_genere_par_le_worker(file_rq):
    national = UserFactory(email="national.rq@exemple.fr", national=True)
    synthese_transmise("42", 2026, agreees=3, engage="30000.01", verse="12345.67", fiches=2, refusees=1)
    synthese_transmise("69", 2026, agreees=2, engage="20000.10", verse="0.01")

    rapport = rapport_lancer(acteur=national, annee=2026)

    assert file_rq.en_attente() == ["mutualisation.tasks_syntheses.generer_rapport_national"]
    rapport.refresh_from_db()
    assert rapport.travail.etat != EtatTravail.TERMINE and rapport.document_id is None

    file_rq.executer_worker()

    rapport.refresh_from_db()
    rapport.travail.refresh_from_db()
    assert rapport.travail.etat == EtatTravail.TERMINE
    assert rapport.chiffres["departements"] == {"total": 101, "avec_synthese": 2, "manquants": 99}
    assert rapport.document is not None
    assert rapport.document.numero == "RNC-FR-2026-00001"
    assert document_lire(rapport.document).startswith(b"%PDF-")
