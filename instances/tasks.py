"""Background jobs of the instances app: the séance's documents and the collectifs' notifications."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from collectifs.models import Declaration
from collectifs.selectors import referents_emails
from collectifs.tasks import url_declaration
from core.emails import courriel_envoyer
from documents.enums import TypeDocument
from documents.reemission import Rendu
from documents.selectors import documents_de
from documents.services import document_emettre
from instances.deliberation import ResultatVote
from instances.enums import EtatSeance
from instances.models import PointOrdreDuJour, Seance
from instances.selectors import places_restantes, points_de, quorum_de, resultat_de, seances_documents_manquants


def contexte_seance(seance: Seance) -> dict[str, Any]:
    """What the minutes show: attendance, quorum, president, and each decision with its vote."""
    points = [{"point": p, "vote": resultat_de(p)} for p in points_de(seance)]
    return {
        "seance": seance,
        "instance": seance.instance,
        "convoques": list(seance.convoques.order_by("rang_rotation")),
        "presents": list(seance.presents.order_by("rang_rotation")),
        "quorum": quorum_de(seance),
        "points": points,
        "places_restantes": places_restantes(seance.campagne),
    }


def rendu_decision(
    point: PointOrdreDuJour, contexte: dict[str, Any] | None = None, vote: ResultatVote | None = None
) -> Rendu:
    """The decision on `point`. `contexte` (the séance's, `contexte_seance`) and `vote` are read when not given."""
    contexte = contexte_seance(point.seance) if contexte is None else contexte
    vote = resultat_de(point) if vote is None else vote
    return Rendu(
        titre=f"Décision — {point.declaration.collectif.nom}",
        template="documents/pdf/decision.html",
        contexte={**contexte, "point": point, "vote": vote, "declaration": point.declaration},
    )


def rendu_proces_verbal(seance: Seance, contexte: dict[str, Any] | None = None) -> Rendu:
    """The minutes of `seance`. `contexte` (`contexte_seance`) is read when not given."""
    return Rendu(
        titre=f"Procès-verbal — {seance}",
        template="documents/pdf/proces_verbal.html",
        contexte=contexte_seance(seance) if contexte is None else contexte,
    )


def _verrouiller_seance(seance_id: int) -> None:
    """Serialise two runs of the same séance's job (a job thought stale may still be running): each document is
    checked for, then issued, with the séance row locked."""
    Seance.objects.select_for_update().filter(pk=seance_id).exists()


@task()
def emettre_documents_seance(seance_id: int) -> list[str]:
    """R5: issue the minutes (procès-verbal) and one decision per decided declaration, then notify each collectif.

    Idempotent and resumable: each document is issued and committed in its own transaction, after checking that
    it does not exist yet, so a job interrupted half-way (worker killed, failure while rendering) keeps what it
    issued and a new run issues only what is missing. The minutes come last: they exist only once every decision
    does. Returns the numbers issued by this run."""
    seance = Seance.objects.select_related("instance__departement", "campagne", "president").get(pk=seance_id)
    if seance.etat != EtatSeance.CLOSE:
        return []  # nothing is due before the séance is closed
    numeros: list[str] = []
    contexte = contexte_seance(seance)
    for ligne in contexte["points"]:
        point = ligne["point"]
        # A declaration withdrawn or adjourned while on the agenda stays undecided: no decision to issue.
        if not point.resultat:
            continue
        with transaction.atomic():
            _verrouiller_seance(seance.pk)
            if documents_de(point, TypeDocument.DECISION).exists():
                continue
            rendu = rendu_decision(point, contexte, ligne["vote"])
            document = document_emettre(
                acteur=None,
                type=TypeDocument.DECISION,
                departement=seance.instance.departement_id,
                annee=seance.campagne.annee,
                titre=rendu.titre,
                template=rendu.template,
                contexte=rendu.contexte,
                objet=point,
            )
            numeros.append(document.numero)
            transaction.on_commit(partial(notifier_decision.enqueue, point.pk))
    with transaction.atomic():
        _verrouiller_seance(seance.pk)
        if not documents_de(seance, TypeDocument.PROCES_VERBAL).exists():
            rendu = rendu_proces_verbal(seance, contexte)
            document = document_emettre(
                acteur=None,
                type=TypeDocument.PROCES_VERBAL,
                departement=seance.instance.departement_id,
                annee=seance.campagne.annee,
                titre=rendu.titre,
                template=rendu.template,
                contexte=rendu.contexte,
                objet=seance,
            )
            numeros.append(document.numero)
    return numeros


@task()
def notifier_decision(point_id: int) -> int:
    """Tell the collectif what the instance decided, with a link to the decision."""
    point = PointOrdreDuJour.objects.select_related("declaration__collectif", "seance").get(pk=point_id)
    declaration = point.declaration
    return courriel_envoyer(
        f"Décision de l'instance départementale : {declaration.collectif.nom}",
        "instances/emails/decision.txt",
        {"point": point, "declaration": declaration, "url": url_declaration(declaration.pk)},
        referents_emails(declaration.collectif),
    )


@task()
def notifier_promotion(declaration_id: int) -> int:
    """R5: tell a waitlisted collectif that a place freed up and its declaration is back on the agenda."""
    declaration = Declaration.objects.select_related("collectif").get(pk=declaration_id)
    return courriel_envoyer(
        f"Une place s'est libérée : {declaration.collectif.nom}",
        "instances/emails/promotion.txt",
        {"declaration": declaration, "url": url_declaration(declaration.pk)},
        referents_emails(declaration.collectif),
    )


# ---------------------------------------------------------------------------------------------------------------
# Recovery of the jobs that issue a séance's documents (database task backend)
# ---------------------------------------------------------------------------------------------------------------

BLOQUEE_APRES = timedelta(minutes=30)  # a document job running longer than this is taken for dead
TENTATIVES_MAX = 5  # failed runs of a séance's job after which it is no longer retried automatically
ATTENTE_INITIALE = timedelta(minutes=1)  # wait after the first failure; doubled after each further one


class TacheInterrompue(Exception):
    """Recorded as the error of a document job found still « running » long after it started (its worker died)."""


@dataclass
class Recuperation:
    """What one pass of `documents_seances_recuperer` did, by séance id."""

    interrompues: list[int] = field(default_factory=list)  # stale running jobs marked failed
    relancees: dict[int, datetime | None] = field(default_factory=dict)  # séance → run after (None: at once)
    abandonnees: list[int] = field(default_factory=list)  # too many failures: left to the staff


def _seance_de(resultat: DBTaskResult) -> int | None:
    args_kwargs = resultat.args_kwargs
    args, kwargs = args_kwargs.get("args") or [], args_kwargs.get("kwargs") or {}
    valeur = args[0] if args else kwargs.get("seance_id")
    return valeur if isinstance(valeur, int) else None


EN_ATTENTE = frozenset({TaskResultStatus.READY, TaskResultStatus.RUNNING})


def taches_documents_par_seance() -> dict[int, list[DBTaskResult]]:
    """The results kept by the database task backend for the jobs issuing a séance's documents, oldest first,
    by séance id (empty with another backend)."""
    par_seance: dict[int, list[DBTaskResult]] = defaultdict(list)
    resultats = DBTaskResult.objects.filter(task_path=emettre_documents_seance.module_path).order_by("enqueued_at")
    for resultat in resultats:
        if (seance_id := _seance_de(resultat)) is not None:
            par_seance[seance_id].append(resultat)
    return par_seance


def documents_seances_recuperer(
    *,
    bloquee_apres: timedelta = BLOQUEE_APRES,
    tentatives_max: int = TENTATIVES_MAX,
    attente_initiale: timedelta = ATTENTE_INITIALE,
) -> Recuperation:
    """R5 (every decision produces its PDF, every séance its minutes): recover the jobs that issue them, for the
    database task backend. Meant to run periodically (`manage.py documents_seances --recuperer`); safe to run
    again at any time.

    1. A job still « running » `bloquee_apres` after it started is taken for dead (its worker was killed): it is
       marked failed.
    2. For each closed séance still missing documents and with no job waiting or running, the job is queued
       again: at once if it never failed, otherwise after a wait doubling with each failure (`attente_initiale`,
       then twice, four times as long…), until `tentatives_max` failures; after that the staff relaunch it from
       the séance page or with `manage.py documents_seances --relancer`. Attempts are the failed results kept by
       the backend for the same séance.

    With another backend (RQ on Redis, ADR 0007) the results are not rows of the database: nothing is done here
    (the job would be queued again every minute whatever its state); RQ keeps the jobs of a dead worker in its
    failed registry, and the staff relaunch them from the séance page or with `--relancer`."""
    maintenant = timezone.now()
    bilan = Recuperation()
    if not isinstance(emettre_documents_seance.get_backend(), DatabaseBackend):
        return bilan
    with transaction.atomic():
        bloquees = DBTaskResult.objects.running().filter(
            task_path=emettre_documents_seance.module_path, started_at__lt=maintenant - bloquee_apres
        )
        for resultat in bloquees.select_for_update(skip_locked=True):
            resultat.set_failed(
                TacheInterrompue(
                    f"Tâche toujours en cours {bloquee_apres} après son démarrage "
                    f"({resultat.started_at:%d/%m/%Y %H:%M}) : son processus est tenu pour arrêté."
                )
            )
            if (seance_id := _seance_de(resultat)) is not None:
                bilan.interrompues.append(seance_id)
    par_seance = taches_documents_par_seance()
    for seance in seances_documents_manquants():
        resultats = par_seance.get(seance.pk, [])
        if any(r.status in EN_ATTENTE for r in resultats):
            continue
        echecs = [r for r in resultats if r.status == TaskResultStatus.FAILED]
        if len(echecs) >= tentatives_max:
            bilan.abandonnees.append(seance.pk)
            continue
        quand: datetime | None = None
        if echecs:
            dernier = max(r.finished_at or r.enqueued_at for r in echecs)
            quand = dernier + attente_initiale * 2 ** (len(echecs) - 1)
            if quand <= maintenant:
                quand = None
        tache = emettre_documents_seance if quand is None else emettre_documents_seance.using(run_after=quand)
        tache.enqueue(seance.pk)
        bilan.relancees[seance.pk] = quand
    return bilan
