"""Reads of the task pages, scoped to a user (hidden objects give 404)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from viewflow.workflow.models import Task

from comptes.models import Acteur, Instructeur
from core.pagination import Nombre
from workflow.flows import STATUTS_ACTIFS, DeclarationFlow
from workflow.permissions import can_voir_taches

DECLARATION = "process__processusdeclaration__declaration"

# The sections of the task list, in the order it shows them: the user's own tasks, the queue, the colleagues'.
SECTIONS = ("mes_taches", "file", "collegues")
# The columns the task list shows (`workflow/tableau_taches.html`, `views.Ligne`).
COLONNES_TACHES = (
    "owner_id",
    "created",
    "data",
    "status",
    "owner__email",
    "owner__prenom",
    "owner__nom",
    f"{DECLARATION}__etat",  # read on load by the FSM's concurrency guard, like the campaign's
    f"{DECLARATION}__deposee_le",
    f"{DECLARATION}__collectif__nom",
    f"{DECLARATION}__collectif__departement__code",
    f"{DECLARATION}__collectif__departement__nom",
    f"{DECLARATION}__campagne__etat",
    f"{DECLARATION}__campagne__delai_instruction_jours",
)


def taches_instruction_de(user: Acteur) -> QuerySet[Task]:
    """R4: the open instruction tasks of the départements the user instructs, oldest filing first, with what
    the task list shows (a constant number of queries whatever their number)."""
    if not can_voir_taches(user):
        return Task.objects.none()
    return (
        Task.objects.filter(flow_task=DeclarationFlow.instruction, status__in=STATUTS_ACTIFS)
        # The user's départements as a subquery: fewer joins than through the instructeurs (the list is scanned
        # for its counts).
        .filter(
            **{
                f"{DECLARATION}__collectif__departement_id__in": Instructeur.departements.through.objects.filter(
                    instructeur__user_id=user.pk or 0
                ).values("departement_id")
            }
        )
        .select_related(
            "owner",
            f"{DECLARATION}__collectif__departement",
            f"{DECLARATION}__campagne",
        )
        .order_by(f"{DECLARATION}__deposee_le", "pk")
    )


def par_section(taches: QuerySet[Task], user: Acteur) -> QuerySet[Task]:
    """The tasks with their section (0 the user's, 1 the queue, 2 the colleagues') and the size of the first two
    (`nombre_mes_taches`, `nombre_file`, computed once per query on these same tasks), so that one page of the list
    and every count come in one query; the colleagues' section is the rest of the total."""
    moi = getattr(user, "pk", None)
    section = Case(
        When(owner_id=moi, then=Value(0)),
        When(owner__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return taches.annotate(
        section=section,
        nombre_mes_taches=Nombre(taches.filter(owner_id=moi)),
        nombre_file=Nombre(taches.filter(owner=None)),
    )
