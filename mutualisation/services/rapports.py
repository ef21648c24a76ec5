"""R15: national staff launch the national report of a year. It runs as a background job with visible progress
(`mutualisation.services.travaux`): `rapport_lancer` creates the job and queues the worker's task after commit
(`mutualisation.tasks_syntheses.generer_rapport_national`), which consolidates the transmitted syntheses step by
step, then writes the figures, marks the syntheses « consolidée » and issues the PDF in one transaction.

At most one active job per year (`rapport-national-<année>`); a job whose worker died is stale after two heartbeats
and may be relaunched from the page, or by `manage.py travaux_relancer` (cron)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes.models import Acteur
from core.permissions import exiger
from fonds.models.fonds import ANNEE_MIN
from mutualisation import tasks_syntheses as tasks
from mutualisation.enums import NatureTravail
from mutualisation.models import RapportNational, Travail
from mutualisation.permissions import syntheses as permissions
from mutualisation.services import travaux


def cle_rapport(annee: int) -> str:
    """The job key of a year's national report: at most one active job per key."""
    return f"rapport-national-{annee}"


def _annee_valide(annee: int) -> None:
    courante = timezone.localdate().year
    if not ANNEE_MIN <= annee <= courante:
        raise ValidationError({"annee": [f"Choisissez une année entre {ANNEE_MIN} et {courante}."]})


def _lancer(acteur: Acteur | None, annee: int) -> tuple[RapportNational, Travail]:
    try:
        with transaction.atomic():
            rapport, _cree = RapportNational.objects.get_or_create(annee=annee)
    except IntegrityError:  # created concurrently: take that one
        rapport = RapportNational.objects.get(annee=annee)
    travail = travaux.travail_lancer(nature=NatureTravail.RAPPORT_NATIONAL, cle=cle_rapport(annee), acteur=acteur)
    rapport.travail = travail
    rapport.save(update_fields=["travail"])
    transaction.on_commit(partial(tasks.generer_rapport_national.enqueue, travail.pk))
    return rapport, travail


@transaction.atomic(durable=True)
def rapport_lancer(*, acteur: Acteur, annee: int) -> RapportNational:
    """R15: launch (or relaunch) the national report of `annee` as a background job. Refused while a job of that
    year is running; a stale one (its worker died) is marked « échoué » and replaced."""
    exiger(permissions.can_lancer_rapport(acteur))
    _annee_valide(annee)
    rapport, _travail = _lancer(acteur, annee)
    return rapport


def rapports_relancer_bloques() -> list[RapportNational]:
    """The national-report jobs whose worker died (stale): each is marked « échoué » and launched again, on behalf
    of the person who launched it (`manage.py travaux_relancer`). Each in its own transaction."""
    relances = []
    for ancien in travaux.travaux_bloques(NatureTravail.RAPPORT_NATIONAL):
        rapport = RapportNational.objects.filter(travail=ancien).first()
        if rapport is None:
            continue
        try:
            with transaction.atomic(durable=True):
                rapport, _travail = _lancer(ancien.lance_par, rapport.annee)
        except ValidationError:
            continue  # relaunched meanwhile by someone else
        relances.append(rapport)
    return relances
