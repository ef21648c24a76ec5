"""Public open data (SPEC §7): the page that lists the files, and the files themselves, in CSV (comma, UTF-8 without
byte-order mark, a header row) and JSON. No login; no personal data (see mutualisation.selectors.donnees)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.exports import Cellule, neutraliser, reponse_csv
from mutualisation.selectors import donnees as selectors

TYPE_JSON = "application/json; charset=utf-8"


def texte_ouvert(valeur: Cellule) -> str:
    """An open-data cell: amounts with a decimal point and two decimals, text as typed (formulas neutralised, so
    that a name cannot run in a spreadsheet), nothing for None."""
    if valeur is None:
        return ""
    if isinstance(valeur, Decimal):
        return f"{valeur:.2f}"
    if isinstance(valeur, str):
        return neutraliser(valeur)
    return str(valeur)


def _json(valeur: object) -> object:
    return f"{valeur:.2f}" if isinstance(valeur, Decimal) else valeur


def _reponse_json(nom: str, colonnes: tuple[str, ...], lignes: Iterator[tuple[object, ...]]) -> HttpResponse:
    donnees = [{c: _json(v) for c, v in zip(colonnes, ligne, strict=True)} for ligne in lignes]
    reponse = HttpResponse(json.dumps(donnees, ensure_ascii=False, indent=1), content_type=TYPE_JSON)
    reponse["Content-Disposition"] = f'inline; filename="{nom}"'
    return reponse


@login_not_required
@require_GET
def donnees_ouvertes(request: HttpRequest) -> HttpResponse:
    """SPEC §7, §8: the public open-data page: the national figures, the table by département, the files."""
    return render(
        request,
        "mutualisation/donnees/donnees_ouvertes.html",
        {
            "chiffres": selectors.chiffres_nationaux(),
            "chiffres_departements": selectors.chiffres_par_departement(),
            "colonnes_collectifs": selectors.COLONNES_COLLECTIFS,
            "colonnes_fiches": selectors.COLONNES_FICHES,
        },
    )


@login_not_required
@require_GET
def collectifs_agrees_csv(request: HttpRequest) -> StreamingHttpResponse:
    """SPEC §7: the agreed collectifs by département and year, CSV."""
    lignes = (c.valeurs() for c in selectors.collectifs_agrees_ouverts())
    return reponse_csv(
        "collectifs-agrees.csv",
        selectors.COLONNES_COLLECTIFS,
        lignes,
        separateur=",",
        bom=False,
        formater=texte_ouvert,
    )


@login_not_required
@require_GET
def collectifs_agrees_json(request: HttpRequest) -> HttpResponse:
    """SPEC §7: the agreed collectifs by département and year, JSON."""
    lignes = (c.valeurs() for c in selectors.collectifs_agrees_ouverts())
    return _reponse_json("collectifs-agrees.json", selectors.COLONNES_COLLECTIFS, lignes)


@login_not_required
@require_GET
def fiches_publiees_csv(request: HttpRequest) -> StreamingHttpResponse:
    """SPEC §7: the published practice sheets, CSV (themes joined by « ; »)."""
    lignes = (f.valeurs() for f in selectors.fiches_publiees_ouvertes())
    return reponse_csv(
        "fiches-publiees.csv", selectors.COLONNES_FICHES, lignes, separateur=",", bom=False, formater=texte_ouvert
    )


@login_not_required
@require_GET
def fiches_publiees_json(request: HttpRequest) -> HttpResponse:
    """SPEC §7: the published practice sheets, JSON (themes as a list)."""
    lignes = (
        (f.titre, f.code_departement, f.departement, f.annee, f.themes, f.territoire, f.url)
        for f in selectors.fiches_publiees_ouvertes()
    )
    return _reponse_json("fiches-publiees.json", selectors.COLONNES_FICHES, lignes)
