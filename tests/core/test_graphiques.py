"""core.graphiques: the SVG bar chart keeps its text as text, carries a title and a description, never repeats an
id across two charts of one page, escapes what it is given, and gives the same data as its table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import cache

from core import graphiques
from core.graphiques import Serie, graphique_barres

SVG = "{http://www.w3.org/2000/svg}"


def _lire(svg: str) -> ET.Element:
    """Parse our own chart's SVG (trusted: built by the code under test)."""
    return ET.fromstring(svg)  # noqa: S314


def _graphique(identifiant: str = "graphique-test", categories: list[str] | None = None):
    categories = categories if categories is not None else ["Mairie de Saint-Étienne", "CCAS de Firminy"]
    return graphique_barres(
        identifiant=identifiant,
        titre="Collectifs financés par institution",
        description="Deux panneaux : collectifs financés et montants.",
        libelle_categories="Institution d'origine",
        categories=categories,
        series=[
            Serie("Collectifs financés", [2, 1][: len(categories)]),
            Serie("Montant (€)", [Decimal("60000.50"), Decimal("30000")][: len(categories)], lambda v: f"{v} €"),
        ],
    )


def test_le_svg_a_un_titre_une_description_et_son_texte_en_texte():
    graphique = _graphique()
    racine = _lire(str(graphique.svg))
    assert racine.tag == f"{SVG}svg"
    assert racine.get("role") == "img"
    assert racine.get("aria-labelledby") == "graphique-test-titre graphique-test-desc"
    enfants = list(racine)
    assert enfants[0].tag == f"{SVG}title" and enfants[0].text == "Collectifs financés par institution"
    assert enfants[1].tag == f"{SVG}desc" and enfants[1].text == "Deux panneaux : collectifs financés et montants."
    textes = {"".join(t.itertext()).strip() for t in racine.iter(f"{SVG}text")}
    # svg.fonttype = none: labels, titles and values are <text>, not glyph paths.
    assert {"Mairie de Saint-Étienne", "CCAS de Firminy", "Collectifs financés", "Montant (€)"} <= textes
    assert {"2", "1", "60000.50 €", "30000 €"} <= textes
    assert "<?xml" not in graphique.svg and "<!DOCTYPE" not in graphique.svg


def test_les_donnees_du_tableau_sont_celles_du_graphique():
    graphique = _graphique()
    assert graphique.entetes == ["Institution d'origine", "Collectifs financés", "Montant (€)"]
    assert graphique.lignes == [
        ("Mairie de Saint-Étienne", ["2", "60000.50 €"]),
        ("CCAS de Firminy", ["1", "30000 €"]),
    ]


def test_deux_graphiques_d_une_page_ne_partagent_aucun_identifiant():
    ids = [re.findall(r'\bid="([^"]+)"', str(_graphique(nom).svg)) for nom in ("un", "deux")]
    assert ids[0] and ids[1]
    assert all(i.startswith("un") for i in ids[0]) and all(i.startswith("deux") for i in ids[1])
    assert not set(ids[0]) & set(ids[1])
    # References to ids (clip paths) follow the prefix.
    svg = str(_graphique("un").svg)
    assert all(ref.startswith("un-") for ref in re.findall(r"url\(#([^)]+)\)", svg))
    assert "#un *{" in svg  # matplotlib's style applies to this chart only


def test_le_texte_fourni_est_echappe_et_pas_interprete():
    graphique = _graphique(categories=["<script>alert(1)</script>", "Coût $x^2$ & Cie"])
    svg = str(graphique.svg)
    assert "<script>" not in svg
    racine = _lire(svg)
    textes = {"".join(t.itertext()).strip() for t in racine.iter(f"{SVG}text")}
    assert "Coût $x^2$ & Cie" in textes  # no mathtext


def test_le_rendu_est_stable():
    assert str(_graphique().svg) == str(_graphique().svg)


@pytest.mark.parametrize("identifiant", ["", "1abc", 'a"b', "a b"])
def test_identifiant_invalide(identifiant):
    with pytest.raises(ValueError, match="Identifiant"):
        _graphique(identifiant)


def test_une_valeur_par_categorie():
    with pytest.raises(ValueError, match="une valeur par catégorie"):
        graphique_barres(
            identifiant="g",
            titre="t",
            description="d",
            libelle_categories="c",
            categories=["a", "b"],
            series=[Serie("s", [1])],
        )


def test_un_graphique_deja_dessine_vient_du_cache(monkeypatch):
    """matplotlib draws a chart once for the same data (0.1 to 2 s a chart); other data, or another id in the page,
    is drawn again. The cache is the shared one (the database or Redis in production)."""
    cache.clear()
    dessins: list[str] = []
    dessiner = graphiques._dessiner

    def compte(identifiant, categories, series):
        dessins.append(identifiant)
        return dessiner(identifiant, categories, series)

    monkeypatch.setattr(graphiques, "_dessiner", compte)

    premier = _graphique()
    assert _graphique().svg == premier.svg and dessins == ["graphique-test"]
    _graphique(categories=["Mairie de Saint-Étienne"])
    _graphique(identifiant="autre-graphique")
    assert dessins == ["graphique-test", "graphique-test", "autre-graphique"]
