"""The declaration process follows the domain: every journalled transition reaches it after commit (R4, R5)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models

from collectifs.models import Declaration
from comptes.models import User
from workflow import flows

logger = logging.getLogger(__name__)


def sur_transition_validee(
    sender: type[models.Model],
    *,
    modele: type[models.Model],
    pk: int,
    transition: str,
    acteur_id: int | None = None,
    **kwargs: Any,
) -> None:
    """Start the process on filing, cancel it on withdrawal, move it on after any other transition.

    The domain change is already committed: a failure here must not turn it into an error page, so it is logged;
    `processus_synchroniser` catches up at the next transition, and `flows.processus_reparer` (run by
    `manage.py workflow_timers`) starts a process that is still missing."""
    if modele is not Declaration:
        return
    try:
        if transition == "deposer":
            flows.processus_demarrer(pk)
            return
        if transition == "retirer":
            flows.processus_annuler(pk)
            return
        acteur = User.objects.filter(pk=acteur_id).first() if acteur_id is not None else None
        # Synchronised first: a process whose start had failed is started here, then its task can be assigned.
        flows.processus_synchroniser(pk, acteur)
        if transition == "instruire":
            flows.tache_attribuer_si_libre(pk, acteur)
    except Exception:
        logger.exception("Le processus de la déclaration %s n'a pas suivi la transition « %s ».", pk, transition)
