"""Reads of the dashboards (`config.tableaux`) about declarations: how many per state in a scope, how long their
instruction takes, and the requests for more awaiting an answer. Each function
runs a constant number of queries, whatever the number of declarations.

A scope is a list of département codes, or None for every département (national staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, QuerySet, Subquery

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration, DemandeComplements
from journal.models import TransitionLog

# The states that end the instruction: admissible, then the séance's decisions (R4, R5).
ETATS_DECISION = (EtatDeclaration.AGREEE, EtatDeclaration.REFUSEE, EtatDeclaration.EN_ATTENTE)


def _dans(qs: QuerySet[Declaration], departements: list[str] | None) -> QuerySet[Declaration]:
    return qs if departements is None else qs.filter(collectif__departement_id__in=departements)


def declarations_par_etat(departements: list[str] | None) -> dict[str, int]:
    """The filed declarations of the scope (drafts excluded) per state, every state present (one query)."""
    par_etat = {etat: 0 for etat in EtatDeclaration.values if etat != EtatDeclaration.BROUILLON}
    lignes = (
        _dans(Declaration.objects.exclude(etat=EtatDeclaration.BROUILLON), departements)
        .order_by()
        .values_list("etat")
        .annotate(n=Count("pk"))
    )
    for etat, nombre in lignes:
        par_etat[etat] = nombre
    return par_etat


@dataclass(frozen=True)
class Delais:
    """R4: the median time from filing to admissibility and to the séance's decision, over the declarations of a
    scope that reached them (None when none did)."""

    recevable: timedelta | None
    nombre_recevables: int
    decision: timedelta | None
    nombre_decisions: int


def _mediane(durees: list[timedelta]) -> timedelta | None:
    if not durees:
        return None
    triees = sorted(durees)
    milieu = len(triees) // 2
    return triees[milieu] if len(triees) % 2 else (triees[milieu - 1] + triees[milieu]) / 2


def delais_instruction(departements: list[str] | None) -> Delais:
    """R4: median delays of instruction in the scope, from the transition journal (one query): for each
    declaration, its first move to « recevable » and its first decision, against its filing date."""
    declarations = _dans(Declaration.objects.filter(deposee_le__isnull=False), departements)
    lignes = (
        TransitionLog.objects.filter(
            content_type__app_label="collectifs",
            content_type__model="declaration",
            champ="etat",
            cible__in=(EtatDeclaration.RECEVABLE, *ETATS_DECISION),
            object_id__in=declarations.order_by().values("pk"),
        )
        .annotate(depot=Subquery(Declaration.objects.filter(pk=OuterRef("object_id")).values("deposee_le")[:1]))
        .order_by("horodatage", "pk")
        .values_list("object_id", "cible", "horodatage", "depot")
    )
    recevables: dict[int, timedelta] = {}
    decisions: dict[int, timedelta] = {}
    for objet, cible, horodatage, depot in lignes:
        cible_dict = recevables if cible == EtatDeclaration.RECEVABLE else decisions
        if depot is not None and objet not in cible_dict:
            cible_dict[objet] = max(horodatage - depot, timedelta(0))
    return Delais(
        recevable=_mediane(list(recevables.values())),
        nombre_recevables=len(recevables),
        decision=_mediane(list(decisions.values())),
        nombre_decisions=len(decisions),
    )


def demandes_a_repondre(declaration_ids: list[int]) -> dict[int, DemandeComplements]:
    """R4: the open request for more of each of these declarations « à compléter », by declaration (one query)."""
    if not declaration_ids:
        return {}
    demandes = DemandeComplements.objects.filter(
        declaration_id__in=declaration_ids,
        declaration__etat=EtatDeclaration.A_COMPLETER,
        repondue_le__isnull=True,
    ).order_by("declaration_id", "-demandee_le")
    resultat: dict[int, DemandeComplements] = {}
    for demande in demandes:
        resultat.setdefault(demande.declaration_id, demande)
    return resultat
