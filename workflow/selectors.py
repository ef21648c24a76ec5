"""Reads of the task pages, scoped to a user (hidden objects give 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from viewflow.workflow.models import Task

from comptes.models import Acteur
from workflow.flows import STATUTS_ACTIFS, DeclarationFlow
from workflow.permissions import can_voir_taches

DECLARATION = "process__processusdeclaration__declaration"


def taches_instruction_de(user: Acteur) -> QuerySet[Task]:
    """R4: the open instruction tasks of the départements the user instructs, oldest filing first, with what
    the task list shows (a constant number of queries whatever their number)."""
    if not can_voir_taches(user):
        return Task.objects.none()
    return (
        Task.objects.filter(flow_task=DeclarationFlow.instruction, status__in=STATUTS_ACTIFS)
        .filter(**{f"{DECLARATION}__collectif__departement__instructeurs__user": user})
        .select_related(
            "owner",
            f"{DECLARATION}__collectif__departement",
            f"{DECLARATION}__campagne",
        )
        .order_by(f"{DECLARATION}__deposee_le", "pk")
    )
