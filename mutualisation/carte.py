"""The map of the départements (R15, and any page that shows a figure by département): a tile map, one square tile per
département keyed by its COG code, the overseas départements as insets. The geometry is data shipped in the repo
(`mutualisation/data/departements_tuiles.json`, own work, Licence Ouverte 2.0; see `mutualisation/data/README.md`):
no network, no GIS library. A tile map is honest about what it is: it shows every département with the same
weight, not their shapes or areas.

Drawn by matplotlib like every chart (core.graphiques): SVG whose text stays text, a title and a description
(role="img"), the same SVG in the page and the PDF, and the same data as a table (`Carte.lignes`)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from core.graphiques import svg_accessible, svg_memorise

GEOMETRIE = Path(__file__).resolve().parent / "data" / "departements_tuiles.json"
# Five classes, light to dark (DSFR « bleu France » tints); the two darkest carry white text (contrast ≥ 4.5:1).
CLASSES = ("#ececfe", "#cacafb", "#8585f6", "#4b4bd0", "#000091")
TEXTE_CLAIR = ("#4b4bd0", "#000091")
MANQUANT = "#ffffff"
GRIS = "#666666"


@cache
def geometrie() -> dict[str, Any]:
    """The tiles: {"metropole": {code: [x, y]}, "outre_mer": {code: [x, y]}, …} (read once)."""
    with GEOMETRIE.open(encoding="utf-8") as fichier:
        donnees: dict[str, Any] = json.load(fichier)
    return donnees


def tuiles() -> dict[str, tuple[float, float]]:
    """Every département's tile, keyed by COG code (the 101)."""
    donnees = geometrie()
    return {code: (xy[0], xy[1]) for partie in ("metropole", "outre_mer") for code, xy in donnees[partie].items()}


def _entier(valeur: int) -> str:
    return f"{valeur:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Carte:
    """A map and its data: `svg` (safe to inline) and the rows of its table (code, name, formatted value)."""

    identifiant: str
    titre: str
    description: str
    libelle_valeur: str
    lignes: list[tuple[str, str, str]]
    svg: SafeString = field(repr=False)

    @property
    def entetes(self) -> list[str]:
        return ["Code", "Département", self.libelle_valeur]


def _classe(valeur: int, maximum: int) -> int:
    if maximum <= 0 or valeur <= 0:
        return 0
    return min(len(CLASSES) - 1, 1 + (valeur - 1) * (len(CLASSES) - 1) // maximum)


def _bornes_classes(maximum: int) -> list[tuple[int, str]]:
    """The legend: for each class used, the range of values it holds."""
    bornes: list[tuple[int, str]] = [(0, "0")]
    if maximum <= 0:
        return bornes
    rangs: dict[int, list[int]] = {}
    for v in range(1, maximum + 1):
        rangs.setdefault(_classe(v, maximum), []).append(v)
    for rang, valeurs in sorted(rangs.items()):
        bas, haut = valeurs[0], valeurs[-1]
        bornes.append((rang, _entier(bas) if bas == haut else f"{_entier(bas)} à {_entier(haut)}"))
    return bornes


def _dessiner(identifiant: str, valeurs: Mapping[str, int | None], libelle: str, manquant: str) -> str:
    positions = tuiles()
    outre_mer = set(geometrie()["outre_mer"])
    maximum = max((v for v in valeurs.values() if v is not None), default=0)
    largeur = max(x for x, _ in positions.values()) + 1
    hauteur = max(y for _, y in positions.values()) + 1
    with mpl.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": identifiant,
            "font.family": "sans-serif",
            "text.parse_math": False,
            "hatch.color": GRIS,
        }
    ):
        figure = Figure(figsize=(6.4, 6.4 * hauteur / largeur), layout="constrained")
        ax = figure.subplots()
        for code, (x, y) in sorted(positions.items()):
            valeur = valeurs.get(code)
            if valeur is None:
                couleur, texte, hachures = MANQUANT, GRIS, "////"
            else:
                couleur = CLASSES[_classe(valeur, maximum)]
                texte, hachures = ("#ffffff" if couleur in TEXTE_CLAIR else "#161616"), None
            ax.add_patch(
                Rectangle(
                    (x + 0.04, y + 0.04),
                    0.92,
                    0.92,
                    facecolor=couleur,
                    edgecolor=GRIS if code in outre_mer or valeur is None else "#ffffff",
                    linewidth=0.6,
                    linestyle="--" if code in outre_mer else "-",
                    hatch=hachures,
                )
            )
            ax.text(x + 0.5, y + 0.52, code, ha="center", va="center", fontsize=7, color=texte)
        ax.text(0, 9.05, "Outre-mer", fontsize=7, color="#161616", va="bottom")
        ax.set_xlim(-0.1, largeur + 0.1)
        ax.set_ylim(hauteur + 0.1, -0.1)  # y grows downwards, as in the data
        ax.set_aspect("equal")
        ax.axis("off")
        legende = [
            Patch(facecolor=CLASSES[rang], edgecolor=GRIS, linewidth=0.5, label=texte)
            for rang, texte in _bornes_classes(maximum)
        ]
        legende.append(Patch(facecolor=MANQUANT, edgecolor=GRIS, hatch="////", label=manquant))
        ax.legend(
            handles=legende,
            title=libelle,
            loc="upper left",
            bbox_to_anchor=(0.0, 1.0),
            fontsize=7,
            title_fontsize=7,
            frameon=False,
        )
        tampon = io.StringIO()
        figure.savefig(tampon, format="svg", metadata={"Date": None, "Creator": None})
    return tampon.getvalue()


def carte_departements(
    *,
    identifiant: str,
    titre: str,
    description: str,
    libelle_valeur: str,
    valeurs: Mapping[str, int | None],
    noms: Mapping[str, str],
    formater: Callable[[int], str] = _entier,
    libelle_manquant: str = "Synthèse manquante",
) -> Carte:
    """A tile map of the départements shaded by an integer value per COG code (None: no data, hatched), with its
    table. `identifiant` is a short HTML id, unique in the page (it prefixes the SVG's ids)."""
    entrees = ["carte", identifiant, sorted(valeurs.items()), libelle_valeur, libelle_manquant]
    dessin = svg_memorise(entrees, lambda: _dessiner(identifiant, valeurs, libelle_valeur, libelle_manquant))
    svg = svg_accessible(dessin, identifiant, titre, description)
    lignes = [
        (code, noms.get(code, code), libelle_manquant.lower() if valeurs.get(code) is None else formater(valeurs[code]))  # type: ignore[arg-type]
        for code in sorted(valeurs)
    ]
    return Carte(
        identifiant=identifiant,
        titre=titre,
        description=description,
        libelle_valeur=libelle_valeur,
        lignes=lignes,
        svg=mark_safe(svg),  # noqa: S308 - matplotlib's output, with our escaped title and description
    )
