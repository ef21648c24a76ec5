"""The steps of the declaration form, and what each one still lacks before the declaration can be filed.

One function says it for every page: `etats_des_etapes` (the step list of the form, the récapitulatif's
« Déposer » button, the référent's dashboard). It builds on the filing conditions of `services.depot`
(R1, R2) and does not restate them: each failed condition is put on the step (and the field) where it is
fixed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campagnes.models import Campagne
from campagnes.selectors import campagne_de_depot
from collectifs import services
from collectifs.models import Declaration

# The steps of the form, in order: (code, title). `collectifs:etape_<code>` is the URL of each.
ETAPES: list[tuple[str, str]] = [
    ("collectif", "Le collectif"),
    ("membres", "Les membres"),
    ("projet", "Le projet"),
    ("indicateurs", "Les indicateurs"),
    ("charte", "La charte"),
    ("recapitulatif", "Récapitulatif et dépôt"),
]

# The step where nothing is typed: it holds the conditions that no step fixes (the campaign's window).
RECAPITULATIF = "recapitulatif"

# Where, on its step's page, each filing condition is fixed: the id of the field (or section) to go to.
ANCRE_DE_LA_CONDITION: dict[str, str] = {
    "membres": "composition",
    "adhesion_charte": "id_accepte",
    "dynamique_preexistante": "id_dynamique_preexistante",
    "additionnalite": "id_additionnalite",
    "institutions_origine": "id_institutions-0-nom",
    "codes_communes": "id_codes_communes",
}


@dataclass(frozen=True)
class EtatEtape:
    """One step of the form and what it still lacks for the declaration to be filed (empty: nothing)."""

    code: str
    libelle: str
    manques: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.manques


def campagne_applicable(declaration: Declaration) -> Campagne | None:
    """The campaign whose rules apply: the one filed in once filed, else the one a filing would go to."""
    if declaration.deposee_le is not None and declaration.campagne is not None:
        return declaration.campagne
    return campagne_de_depot(declaration.collectif.departement)


def conditions_a_regler(declaration: Declaration) -> dict[str, list[str]]:
    """R1/R2: what still prevents filing (a draft) or filing again (after a request for more, when the
    filing window no longer matters), keyed by condition. Empty: it can be filed."""
    if declaration.deposee_le is not None:
        return services.conditions_hors_calendrier(declaration)
    return services.conditions_de_depot(declaration, campagne_applicable(declaration))


def lignes_conditions(erreurs: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each failed condition with the step of the form where it is fixed and the field to go to."""
    return [
        {
            "messages": messages_,
            "etape": services.ETAPE_DE_LA_CONDITION.get(champ, RECAPITULATIF),
            "ancre": ANCRE_DE_LA_CONDITION.get(champ, ""),
        }
        for champ, messages_ in erreurs.items()
    ]


def etats_des_etapes(declaration: Declaration, erreurs: dict[str, list[str]] | None = None) -> list[EtatEtape]:
    """Every step of the form, in order, with what it still lacks before filing (R1, R2): « Complète » when
    nothing, « À compléter » otherwise. The last step (récapitulatif) lacks what no step fixes (the campaign).

    `erreurs`: the conditions already computed by the caller (`conditions_a_regler`, or the service's refusal),
    so that they are not read twice; computed here otherwise (a constant number of queries)."""
    if erreurs is None:
        erreurs = conditions_a_regler(declaration)
    par_etape: dict[str, list[str]] = {code: [] for code, _ in ETAPES}
    for ligne in lignes_conditions(erreurs):
        par_etape.get(ligne["etape"], par_etape[RECAPITULATIF]).extend(ligne["messages"])
    return [EtatEtape(code=code, libelle=libelle, manques=tuple(par_etape[code])) for code, libelle in ETAPES]


def declaration_prete(etats: list[EtatEtape]) -> bool:
    """Nothing is missing on any step: the declaration can be filed (or filed again) now."""
    return all(etat.complete for etat in etats)
