"""Server-rendered charts: horizontal bar charts drawn by matplotlib as SVG whose text stays text
(``svg.fonttype="none"``), with a title, a description and the same data as an HTML table (RGAA: a chart is never
the only way to read its data). The SVG is self-contained and inlined as is in a page or a PDF template.

No JavaScript, no pyplot (its global state is not thread-safe): each chart is its own ``Figure``."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

import matplotlib as mpl
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure

Valeur = int | Decimal

# DSFR colours: « bleu France » and « rouge Marianne » (enough contrast on white, RGAA 3.2 / 1.4.11).
COULEURS = ("#000091", "#c9191e", "#18753c")
LONGUEUR_LIBELLE = 40  # characters of a category shown on the axis; the table gives it in full


def _entier(valeur: Valeur) -> str:
    return f"{valeur:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Serie:
    """One measure per category (a number of collectifs, an amount in euros), drawn in its own panel."""

    libelle: str
    valeurs: Sequence[Valeur]
    formater: Callable[[Valeur], str] = _entier


@dataclass(frozen=True)
class Graphique:
    """A chart and its data: ``svg`` (safe to inline) and the rows of its table (category, formatted values)."""

    identifiant: str
    titre: str
    description: str
    libelle_categories: str
    categories: list[str]
    series: list[Serie]
    svg: SafeString = field(repr=False)

    @property
    def entetes(self) -> list[str]:
        return [self.libelle_categories, *(s.libelle for s in self.series)]

    @property
    def lignes(self) -> list[tuple[str, list[str]]]:
        return [
            (categorie, [serie.formater(serie.valeurs[rang]) for serie in self.series])
            for rang, categorie in enumerate(self.categories)
        ]


# How long a drawn SVG stays in the shared cache. Its key is its content (the drawing's inputs): it never goes stale.
DUREE_CACHE_SVG = 30 * 24 * 3600


def svg_memorise(entrees: object, dessiner: Callable[[], str]) -> str:
    """The SVG that `dessiner()` draws from `entrees` (everything the drawing depends on, JSON-serialisable),
    drawn once and kept in the shared cache (the database or Redis in production): matplotlib takes 0.1 to 2 s a
    chart, and the national report's page drew its map and three charts on every visit."""
    empreinte = hashlib.sha256(json.dumps(entrees, sort_keys=True, default=str).encode()).hexdigest()
    cle = f"svg:{empreinte}"
    svg = cache.get(cle)
    if not isinstance(svg, str):
        svg = dessiner()
        cache.set(cle, svg, DUREE_CACHE_SVG)
    return svg


def _abreger(texte: str) -> str:
    return texte if len(texte) <= LONGUEUR_LIBELLE else texte[: LONGUEUR_LIBELLE - 1].rstrip() + "…"


def _dessiner(identifiant: str, categories: list[str], series: list[Serie]) -> str:
    # Text stays text; ids are stable for a given chart; no mathtext: « $ » in a name is just a character.
    with mpl.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": identifiant, "font.family": "sans-serif", "text.parse_math": False}
    ):
        hauteur = 0.9 + 0.38 * max(len(categories), 1)
        figure = Figure(figsize=(3.2 + 3.0 * len(series), hauteur), layout="constrained")
        axes = figure.subplots(1, len(series), sharey=True, squeeze=False)[0]
        positions = list(range(len(categories)))
        for rang, (ax, serie) in enumerate(zip(axes, series, strict=True)):
            # Plotting needs floats; the exact amounts are in the table (Decimal, formatted by the serie).
            barres = ax.barh(positions, [float(v) for v in serie.valeurs], color=COULEURS[rang % len(COULEURS)])
            ax.bar_label(barres, labels=[serie.formater(v) for v in serie.valeurs], padding=3, fontsize=8)
            ax.set_title(serie.libelle, fontsize=9, loc="left")
            ax.set_yticks(positions, labels=[_abreger(c) for c in categories], fontsize=8)
            ax.set_xticks([])  # the values are written on the bars
            ax.margins(x=0.35)
            for cote in ("top", "right", "bottom"):
                ax.spines[cote].set_visible(False)
        axes[0].invert_yaxis()  # the first category on top (the axes share it)
        tampon = io.StringIO()
        figure.savefig(tampon, format="svg", metadata={"Date": None, "Creator": None})
    return tampon.getvalue()


def svg_accessible(svg: str, identifiant: str, titre: str, description: str) -> str:
    """Make matplotlib's SVG document fit inline in a page: no XML prologue, every id prefixed by the chart's own
    (two charts on one page never share an id), its style scoped to itself, and an accessible name: role="img"
    with a <title> and a <desc> as first children."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{identifiant}-\1"', svg)
    svg = svg.replace("url(#", f"url(#{identifiant}-").replace('href="#', f'href="#{identifiant}-')
    svg = svg.replace("*{", f"#{identifiant} *{{")
    ouverture = re.match(r"<svg\b[^>]*>", svg)
    assert ouverture is not None
    balise = ouverture.group(0)
    nouvelle = (
        balise[:-1]
        + f' id="{identifiant}" role="img" aria-labelledby="{identifiant}-titre {identifiant}-desc"'
        + ' class="graphique" style="max-width: 100%; height: auto">'
        + f'<title id="{identifiant}-titre">{escape(titre)}</title>'
        + f'<desc id="{identifiant}-desc">{escape(description)}</desc>'
    )
    return nouvelle + svg[len(balise) :]


def graphique_barres(
    *,
    identifiant: str,
    titre: str,
    description: str,
    libelle_categories: str,
    categories: Sequence[str],
    series: Sequence[Serie],
) -> Graphique:
    """A horizontal bar chart, one panel per serie sharing the categories (in the given order, top to bottom).

    ``identifiant`` is a short HTML id (letters, digits, hyphens), unique in the page: it prefixes the SVG's ids."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", identifiant):
        raise ValueError(f"Identifiant de graphique invalide : {identifiant!r}")
    if not series or any(len(s.valeurs) != len(categories) for s in series):
        raise ValueError("Chaque série donne une valeur par catégorie.")
    entrees = [
        "barres",
        identifiant,
        list(categories),
        [
            [serie.libelle, [str(v) for v in serie.valeurs], [serie.formater(v) for v in serie.valeurs]]
            for serie in series
        ],
    ]
    dessin = svg_memorise(entrees, lambda: _dessiner(identifiant, list(categories), list(series)))
    svg = svg_accessible(dessin, identifiant, titre, description)
    return Graphique(
        identifiant=identifiant,
        titre=titre,
        description=description,
        libelle_categories=libelle_categories,
        categories=list(categories),
        series=list(series),
        svg=mark_safe(svg),  # noqa: S308 - built here: matplotlib's output, and our escaped title and description
    )
