"""Reads of the dashboards (`config.tableaux`) about declarations: how many per state in a scope, how long their
instruction takes, and the requests for more awaiting an answer. Each function
runs a constant number of queries, whatever the number of declarations.

A scope is a list of département codes, or None for every département (national staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

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


def _mediane_sql(declarations: QuerySet[Declaration], cibles: tuple[str, ...]) -> tuple[timedelta | None, int]:
    """The median time from filing to the first move to one of `cibles`, over the declarations that made it, and
    their number (one query: the database ranks the delays and returns the one or two middle ones, whatever the
    number of declarations; the dashboard of national staff used to fetch every transition of the country)."""
    premiere = (
        TransitionLog.objects.filter(
            content_type__app_label="collectifs",
            content_type__model="declaration",
            champ="etat",
            cible__in=cibles,
            object_id=OuterRef("pk"),
        )
        .order_by("horodatage", "pk")
        .values("horodatage")[:1]
    )
    delais = (
        declarations.order_by()
        .annotate(atteint_le=Subquery(premiere))
        .filter(atteint_le__isnull=False)
        .annotate(delai=ExpressionWrapper(F("atteint_le") - F("deposee_le"), output_field=DurationField()))
        .annotate(
            rang=Window(RowNumber(), order_by=[F("delai").asc(), F("pk").asc()]),
            nombre=Window(Count("pk")),
        )
    )
    # The middle row (odd count) or the two middle rows (even count): ranks (n + 1) / 2 and n / 2 + 1, integers.
    milieu = delais.filter(Q(rang=(F("nombre") + 1) / 2) | Q(rang=F("nombre") / 2 + 1)).values_list("delai", "nombre")
    lignes = list(milieu)
    if not lignes:
        return None, 0
    durees = [max(delai, timedelta(0)) for delai, _ in lignes]
    return sum(durees, timedelta(0)) / len(durees), lignes[0][1]


def delais_instruction(departements: list[str] | None) -> Delais:
    """R4: median delays of instruction in the scope, from the transition journal (two queries): for each
    declaration, its first move to « recevable » and its first decision, against its filing date."""
    declarations = _dans(Declaration.objects.filter(deposee_le__isnull=False), departements)
    recevable, nombre_recevables = _mediane_sql(declarations, (EtatDeclaration.RECEVABLE,))
    decision, nombre_decisions = _mediane_sql(declarations, ETATS_DECISION)
    return Delais(
        recevable=recevable,
        nombre_recevables=nombre_recevables,
        decision=decision,
        nombre_decisions=nombre_decisions,
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
