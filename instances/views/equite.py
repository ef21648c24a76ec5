"""The equity dashboard (R17): the distribution of the funded collectifs and of their money by territory, by
quartier prioritaire de la politique de la ville and by originating institution, per département (its
instructeurs, the members of its instance, national staff) and national (national staff), each as a server-rendered
SVG chart with its data table. Read-only pages; deny by default: an unknown département is 404, a visible page the
user may not read is 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.graphiques import Graphique, Serie, graphique_barres
from fonds.services.grand_livre import euros
from instances import permissions
from instances.equite import Ligne, Repartition, repartition_equite
from territoires.models import Departement


def _euros(valeur: int | Decimal) -> str:
    return euros(Decimal(valeur))


def _graphique(identifiant: str, titre: str, libelle: str, lignes: list[Ligne], portee: str) -> Graphique | None:
    if not lignes:
        return None
    return graphique_barres(
        identifiant=identifiant,
        titre=titre,
        description=(
            f"Diagramme en barres horizontales {portee} : pour chaque {libelle.lower()}, à gauche le nombre de "
            "collectifs financés, à droite le total de leurs tranches non annulées. Les mêmes données figurent "
            "dans le tableau qui suit."
        ),
        libelle_categories=libelle,
        categories=[ligne.libelle for ligne in lignes],
        series=[
            Serie("Collectifs financés", [ligne.nombre for ligne in lignes]),
            Serie("Montant des tranches (€)", [ligne.montant for ligne in lignes], _euros),
        ],
    )


def _contexte(repartition: Repartition, portee: str, libelle_territoire: str) -> dict[str, Any]:
    return {
        "repartition": repartition,
        "graphiques": [
            g
            for g in (
                _graphique(
                    "equite-territoires",
                    f"Collectifs financés et montants par {libelle_territoire.lower()}",
                    libelle_territoire,
                    repartition.par_territoire,
                    portee,
                ),
                _graphique(
                    "equite-quartiers",
                    "Collectifs financés et montants par quartier prioritaire de la politique de la ville",
                    "Quartier prioritaire",
                    repartition.par_quartier,
                    portee,
                ),
                _graphique(
                    "equite-institutions",
                    "Collectifs financés et montants par institution d'origine",
                    "Institution d'origine",
                    repartition.par_institution,
                    portee,
                ),
            )
            if g is not None
        ],
    }


@require_GET
def equite_departement(request: HttpRequest, code: str) -> HttpResponse:
    """R17: a département's equity dashboard."""
    departement = get_object_or_404(Departement, code=code)
    if not permissions.can_voir_equite(request.user, departement.code):
        raise PermissionDenied("Le tableau de bord de l'équité est réservé à l'instance et aux instructeur·rices.")
    repartition = repartition_equite(departement)
    contexte = _contexte(repartition, f"pour {departement.nom}", "Commune (code INSEE)")
    contexte["nationale"] = permissions.can_voir_equite_nationale(request.user)
    return render(request, "instances/equite/tableau.html", contexte)


@require_GET
def equite_nationale(request: HttpRequest) -> HttpResponse:
    """R17: the national equity dashboard (national staff), by département, by quartier prioritaire and by
    originating institution."""
    if not permissions.can_voir_equite_nationale(request.user):
        raise PermissionDenied("Le tableau de bord national de l'équité est réservé à l'équipe nationale.")
    repartition = repartition_equite(None)
    contexte = _contexte(repartition, "pour l'ensemble des départements", "Département")
    contexte["nationale"] = False
    return render(request, "instances/equite/tableau.html", contexte)
