"""Task list, instruction task page and process chart (R4, R10, R17), in our DSFR templates.

Thin adapters: a scoped selector fetches (404 when hidden), a predicate gives 403 when visible but not allowed, a
form validates, one domain service writes. The process follows the domain through `transition_validee`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from viewflow.workflow import chart
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from collectifs import selectors as collectifs_selectors
from collectifs import services as collectifs_services
from collectifs.models import Declaration
from collectifs.permissions import can_instruire_declaration
from core.listes import lien_par_identifiant
from core.ui import Formulaire, appliquer_erreurs
from instances import services as instances_services
from instances.permissions import can_affecter_accompagnateur
from instances.selectors import accompagnateurs_disponibles, accompagnement_en_cours
from journal.fsm import TransitionInterdite, transitions_disponibles
from workflow import flows, flux_bilans
from workflow.filtres import ListeTaches
from workflow.forms import (
    AccompagnateurForm,
    ClassementSansSuiteForm,
    DemandeComplementsForm,
    PriseEnChargeForm,
    RecevabiliteForm,
)
from workflow.permissions import can_voir_taches
from workflow.selectors import COLONNES_TACHES, SECTIONS, taches_instruction_de

# R11: the late check-ins the task list shows (the oldest due dates first).
LIMITE_BILANS_EN_RETARD = 50
# A deadline this close is flagged in the task list.
ECHEANCE_PROCHE = flows.RAPPEL_INSTRUCTION_AVANT

STATUTS_TACHE = {
    STATUS.NEW: "en attente",
    STATUS.ASSIGNED: "prise en charge",
    STATUS.STARTED: "en cours",
    STATUS.SCHEDULED: "programmée",
    STATUS.DONE: "terminée",
    STATUS.CANCELED: "annulée",
    STATUS.ERROR: "en erreur",
    STATUS.REVIVED: "relancée",
}
STATUTS_PROCESSUS = {"NEW": "en cours", "DONE": "terminé", "CANCELED": "annulé (déclaration retirée)"}


def _jours_depuis(instant: datetime | None) -> int | None:
    return None if instant is None else max((timezone.now() - instant).days, 0)


def _messages_controles(controles: dict[str, list[str]]) -> list[str]:
    return [message for messages_ in controles.values() for message in messages_]


def _controles_actuels(declaration: Declaration) -> list[str]:
    """R4: the automatic R1/R2 checks, as they stand now (the filing window no longer matters once filed)."""
    erreurs = collectifs_services.conditions_hors_calendrier(declaration)
    return _messages_controles(erreurs)


# --- The task list -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ligne:
    """One instruction task as the list shows it; everything comes from the rows already fetched."""

    tache: Task
    declaration: Declaration
    attente_jours: int
    echeance: datetime | None
    en_retard: bool
    echeance_proche: bool
    controles: list[str]
    controles_le: datetime | None
    financements_anterieurs: int | None
    lien: str  # the task's page


def _ligne(tache: Task, lien: Callable[[int], str]) -> Ligne:
    declaration = tache.process.processusdeclaration.declaration  # type: ignore[attr-defined]
    donnees = tache.data or {}
    maintenant = timezone.now()
    echeance = declaration.echeance_instruction
    controles_le = donnees.get("controles_le")
    return Ligne(
        tache=tache,
        declaration=declaration,
        attente_jours=_jours_depuis(tache.created) or 0,
        echeance=echeance,
        en_retard=echeance is not None and echeance < maintenant,
        echeance_proche=echeance is not None and maintenant <= echeance < maintenant + ECHEANCE_PROCHE,
        controles=_messages_controles(donnees.get("controles", {})),
        controles_le=datetime.fromisoformat(controles_le) if controles_le else None,
        financements_anterieurs=donnees.get("financements_anterieurs"),
        lien=lien(declaration.pk),
    )


@require_GET
def taches(request: HttpRequest) -> HttpResponseBase:
    """R4: the instructeur's inbox, the département's queue, and the tasks their colleagues hold."""
    if not can_voir_taches(request.user):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices.")
    # Searched, filtered and sorted (`workflow.filtres.ListeTaches`); one page of 50 tasks, section after section,
    # with the size of each section, in one query.
    liste = ListeTaches(request, taches_instruction_de(request.user).only(*COLONNES_TACHES), user=request.user)
    if (export := liste.export()) is not None:
        return export
    page = liste.page()
    lien = lien_par_identifiant("workflow:tache")
    lignes = [_ligne(t, lien) for t in page.lignes]
    premiere = page.lignes[0] if page.lignes else None
    nombres = {nom: int(getattr(premiere, f"nombre_{nom}", 0) or 0) for nom in ("mes_taches", "file")}
    nombres["collegues"] = page.total - nombres["mes_taches"] - nombres["file"]
    sections = {
        nom: {
            "lignes": [ligne for ligne, t in zip(lignes, page.lignes, strict=True) if t.section == rang],
            "nombre": nombres[nom],
        }
        for rang, nom in enumerate(SECTIONS)
    }
    # R11: the check-ins past their due date, with their « bilan en retard » task open (one query).
    bilans_en_retard = list(flux_bilans.bilans_en_retard_de(request.user)[:LIMITE_BILANS_EN_RETARD])
    return render(
        request,
        "workflow/taches.html",
        {**sections, "nombre": page.total, "page": page, "liste": liste, "bilans_en_retard": bilans_en_retard},
    )


# --- The instruction task page -------------------------------------------------------------------------------------


def _declaration_instruite(request: HttpRequest, pk: int) -> Declaration:
    """The declaration, if the user may instruct it; 404 when hidden from them, 403 when visible but not theirs."""
    declaration = get_object_or_404(collectifs_selectors.declaration_visible_to(request.user), pk=pk)
    if not can_instruire_declaration(request.user, declaration):
        raise PermissionDenied("Seul·es les instructeur·rices du département instruisent cette déclaration.")
    return declaration


def _contexte_tache(request: HttpRequest, declaration: Declaration, **formulaires: Any) -> dict[str, Any]:
    user = request.user
    collectif = declaration.collectif
    departement = collectif.departement_id
    transitions = transitions_disponibles(declaration, user)
    processus = flows.processus_de(declaration)
    tache = flows.tache_instruction_active(processus) if processus is not None else None
    demande = collectifs_selectors.demande_en_cours(declaration)
    demande_expiree = demande is not None and demande.est_expiree(timezone.localdate())
    instruction_possible = bool({"instruire", "demander_complements", "declarer_recevable"} & set(transitions))
    peut_affecter = can_affecter_accompagnateur(user, departement)
    campagne = declaration.campagne
    echeance_par_defaut = (
        timezone.localdate() + timedelta(days=campagne.delai_complements_jours) if campagne is not None else None
    )
    formulaires.setdefault("form_complements", DemandeComplementsForm(initial={"echeance": echeance_par_defaut}))
    formulaires.setdefault("form_prise_en_charge", PriseEnChargeForm())
    formulaires.setdefault("form_recevabilite", RecevabiliteForm())
    formulaires.setdefault("form_sans_suite", ClassementSansSuiteForm())
    if peut_affecter:
        formulaires.setdefault(
            "form_accompagnement", AccompagnateurForm(accompagnateurs=accompagnateurs_disponibles(departement))
        )
    echeance = declaration.echeance_instruction
    return {
        "declaration": declaration,
        "collectif": collectif,
        "membres": collectifs_selectors.membres_actuels(collectif).select_related("organisation"),
        "institutions": collectif.institutions_origine.all(),
        "indicateurs": declaration.indicateurs.all(),
        "controles": _controles_actuels(declaration),
        "financements": list(collectifs_selectors.financements_anterieurs(declaration)),
        "attente_jours": _jours_depuis(declaration.deposee_le),
        "echeance": echeance,
        "en_retard": echeance is not None and echeance < timezone.now(),
        "processus": processus,
        "tache": tache,
        "peut_prendre_en_charge": tache is not None
        and tache.owner_id is None
        and ("instruire" in transitions or flows.DeclarationFlow.instruction.can_assign(user, tache)),
        "instruction_possible": instruction_possible,
        "demande": demande,
        "demande_expiree": demande_expiree,
        "peut_classer": "classer_sans_suite" in transitions and demande_expiree,
        "peut_affecter": peut_affecter,
        "accompagnement": accompagnement_en_cours(collectif),
        **formulaires,
    }


@require_GET
def tache(request: HttpRequest, pk: int) -> HttpResponse:
    """R4: one declaration under instruction: summary, automatic checks, R17, deadline, and the actions."""
    declaration = _declaration_instruite(request, pk)
    return render(request, "workflow/tache.html", _contexte_tache(request, declaration))


def _agir(
    request: HttpRequest,
    pk: int,
    action: Callable[[Declaration], str],
    nom_formulaire: str,
    formulaire: Formulaire,
) -> HttpResponse:
    """Run one action; on a domain error, show the page again with the error next to the form (422)."""
    declaration = _declaration_instruite(request, pk)
    if formulaire.is_valid():
        try:
            succes = action(declaration)
        except ValidationError as erreur:
            appliquer_erreurs(formulaire, erreur)
        except TransitionInterdite as erreur:
            formulaire.add_error(None, str(erreur))
        else:
            messages.success(request, succes)
            return redirect("workflow:tache", declaration.pk)
    contexte = _contexte_tache(request, declaration, **{nom_formulaire: formulaire})
    return render(request, "workflow/tache.html", contexte, status=422)


@require_POST
def prendre_en_charge(request: HttpRequest, pk: int) -> HttpResponse:
    """« Prendre en charge »: the task becomes mine, and the declaration enters instruction (R4)."""

    def action(declaration: Declaration) -> str:
        if "instruire" in transitions_disponibles(declaration, request.user):
            collectifs_services.declaration_instruire(acteur=request.user, declaration=declaration)
        flows.tache_prendre_en_charge(acteur=request.user, declaration=declaration)
        return "Vous avez pris en charge l'instruction de cette déclaration."

    return _agir(request, pk, action, "form_prise_en_charge", PriseEnChargeForm(request.POST))


@require_POST
def demander_complements(request: HttpRequest, pk: int) -> HttpResponse:
    """R4: a demande de compléments, with a message and a deadline."""
    form = DemandeComplementsForm(request.POST)

    def action(declaration: Declaration) -> str:
        demande = collectifs_services.complements_demander(
            acteur=request.user,
            declaration=declaration,
            message=form.cleaned_data["message"],
            echeance=form.cleaned_data["echeance"],
        )
        return (
            "La demande de compléments est envoyée au collectif, "
            f"avec une réponse attendue avant le {demande.echeance:%d/%m/%Y}."
        )

    return _agir(request, pk, action, "form_complements", form)


@require_POST
def declarer_recevable(request: HttpRequest, pk: int) -> HttpResponse:
    """R4: recevable when the automatic checks pass; the declaration then waits for a séance."""

    def action(declaration: Declaration) -> str:
        collectifs_services.declaration_declarer_recevable(acteur=request.user, declaration=declaration)
        return "La déclaration est recevable : elle pourra être inscrite à l'ordre du jour d'une séance."

    return _agir(request, pk, action, "form_recevabilite", RecevabiliteForm(request.POST))


@require_POST
def classer_sans_suite(request: HttpRequest, pk: int) -> HttpResponse:
    """R4: closed sans suite, with reasons, once the demande de compléments has expired (the service checks)."""
    form = ClassementSansSuiteForm(request.POST)

    def action(declaration: Declaration) -> str:
        collectifs_services.declaration_classer_sans_suite(
            acteur=request.user, declaration=declaration, motifs=form.cleaned_data["motifs"]
        )
        return "La déclaration est classée sans suite."

    return _agir(request, pk, action, "form_sans_suite", form)


@require_POST
def affecter_accompagnateur(request: HttpRequest, pk: int) -> HttpResponse:
    """R10: assign an accompagnateur of the département's registry to the collectif."""
    declaration = _declaration_instruite(request, pk)
    departement = declaration.collectif.departement_id
    if not can_affecter_accompagnateur(request.user, departement):
        raise PermissionDenied("Seul·es les instructeur·rices du département affectent un·e accompagnateur·rice.")
    form = AccompagnateurForm(request.POST, accompagnateurs=accompagnateurs_disponibles(departement))

    def action(declaration: Declaration) -> str:
        affectation = instances_services.accompagnateur_affecter(
            acteur=request.user, collectif=declaration.collectif, accompagnateur=form.cleaned_data["accompagnateur"]
        )
        return f"{affectation.accompagnateur} accompagne désormais le collectif."

    return _agir(request, pk, action, "form_accompagnement", form)


# --- The process chart ---------------------------------------------------------------------------------------------


def _graphe(processus: Any) -> Any:
    grille = chart.calc_layout_data(flows.DeclarationFlow)
    if processus is not None:
        chart.calc_cell_status(flows.DeclarationFlow, grille, processus.pk)
    return grille


@require_GET
def processus_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the declaration stands: viewflow's chart of its process, the current step highlighted, and the
    steps as text. Visible to whoever sees the declaration."""
    declaration = get_object_or_404(collectifs_selectors.declaration_visible_to(request.user), pk=pk)
    processus = flows.processus_de(declaration)
    grille = _graphe(processus)
    etapes = []
    en_cours = []
    if processus is not None:
        for t in Task.objects.filter(process_id=processus.pk).select_related("owner").order_by("created", "pk"):
            if t.flow_task is None or t.flow_task_type in ("SWITCH", "START"):
                continue
            etape = {
                "titre": t.flow_task.task_title,
                "statut": STATUTS_TACHE.get(t.status, t.status),
                "actif": t.status in (*flows.STATUTS_ACTIFS, STATUS.SCHEDULED),
                "cree_le": t.created,
                "termine_le": t.finished,
                "echeance": t.scheduled if t.status == STATUS.SCHEDULED else None,
                "responsable": t.owner,
            }
            etapes.append(etape)
            if t.status in flows.STATUTS_ACTIFS:
                en_cours.append(etape)
    svg = render_to_string("workflow/graphe.svg", {"grid": grille, "cells": grille.cells, "edges": grille.edges})
    return render(
        request,
        "workflow/processus.html",
        {
            "declaration": declaration,
            "processus": processus,
            "statut_processus": STATUTS_PROCESSUS.get(processus.status, processus.status) if processus else None,
            "graphe": mark_safe(svg),  # noqa: S308 -- rendered by our template from the flow's own definition
            "etapes": etapes,
            "en_cours": en_cours,
            "peut_instruire": can_instruire_declaration(request.user, declaration),
        },
    )


@require_GET
def processus_bpmn(request: HttpRequest, pk: int) -> HttpResponse:
    """The BPMN 2.0 export of the declaration process (viewflow's), for modelling tools."""
    get_object_or_404(collectifs_selectors.declaration_visible_to(request.user), pk=pk)
    grille = chart.calc_layout_data(flows.DeclarationFlow, edge_start_gap_size=0, edge_end_gap_size=0)
    reponse = HttpResponse(chart.grid_to_bpmn(grille), content_type="application/xml")
    reponse["Content-Disposition"] = 'attachment; filename="processus-declaration.bpmn"'
    return reponse
