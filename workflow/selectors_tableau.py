"""Reads of the dashboards (`config.tableaux`) about the instruction tasks: how many wait in the queue, how many
are the user's, how many are past the instruction deadline (R4). One query, whatever the number of tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from comptes.models import Acteur
from workflow.selectors import DECLARATION, taches_instruction_de


@dataclass(frozen=True)
class CompteTaches:
    """R4: the open instruction tasks of the user's départements."""

    total: int
    a_prendre: int
    miennes: int
    en_retard: int


def compte_taches(user: Acteur, maintenant: datetime) -> CompteTaches:
    """R4: the open instruction tasks of the départements the user instructs: unassigned, the user's own, and
    those whose declaration is past its instruction deadline (`Declaration.echeance_instruction`), in one query."""
    lignes = taches_instruction_de(user).values_list(
        "owner_id", f"{DECLARATION}__deposee_le", f"{DECLARATION}__campagne__delai_instruction_jours"
    )
    total = a_prendre = miennes = en_retard = 0
    for proprietaire, deposee_le, delai in lignes:
        total += 1
        a_prendre += proprietaire is None
        miennes += proprietaire is not None and proprietaire == user.pk
        en_retard += bool(deposee_le and delai is not None and deposee_le + timedelta(days=delai) < maintenant)
    return CompteTaches(total=total, a_prendre=a_prendre, miennes=miennes, en_retard=en_retard)
