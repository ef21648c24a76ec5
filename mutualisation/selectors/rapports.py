"""Reads of the national report (R15): who sees it, the consolidation of the transmitted syntheses (a pure
function of their frozen figures, so that a re-run gives the same figures), and what the page, the PDF and the
open-data files show.

`RapportNational.chiffres` (version 1):

    {
      "version": 1,
      "annee": 2027,
      "departements": {"total": 101, "avec_synthese": int, "manquants": int},
      "totaux": {<the SECTIONS of a synthesis, every leaf summed: counts as int, amounts as « 1234.50 »>},
      "par_departement": [{"code", "nom", "transmise": bool, "synthese": id | null,
                           <INDICATEURS key>: int | "1234.50" | null (missing)}, …],   # every département, by code
      "comparaison": {"annee": 2026, "disponible": bool,
                      "lignes": [{"cle", "libelle", "precedent", "actuel", "ecart"}, …]}
    }

`RapportNational.departements_manquants`: [{"code", "nom"}, …], the départements without a transmitted synthesis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from comptes.models import Acteur
from core.graphiques import Graphique, Serie, graphique_barres
from fonds.enums import NiveauParticipation
from fonds.services.grand_livre import euros
from mutualisation.carte import Carte, carte_departements
from mutualisation.enums import EtatSynthese
from mutualisation.models import RapportNational, SyntheseDepartementale
from mutualisation.permissions import syntheses as permissions
from mutualisation.selectors.syntheses import SECTIONS, montant
from territoires.models import Departement

VERSION_RAPPORT = 1
# The syntheses a national report consolidates: transmitted, or already consolidated by an earlier run.
ETATS_CONSOLIDABLES = (EtatSynthese.TRANSMISE, EtatSynthese.CONSOLIDEE)


@dataclass(frozen=True)
class Indicateur:
    """A key figure of the report: where it is in a synthesis's figures, its label, and whether it is money."""

    cle: str
    chemin: tuple[str, ...]
    libelle: str
    monetaire: bool = False


INDICATEURS = (
    Indicateur("declarations", ("declarations", "total"), "Déclarations déposées"),
    Indicateur("agreees", ("places", "agreees"), "Collectifs agréés"),
    Indicateur("quota", ("places", "quota"), "Places ouvertes"),
    Indicateur("engage", ("argent", "engage"), "Montant engagé (€)", monetaire=True),
    Indicateur("verse", ("argent", "verse"), "Montant versé (€)", monetaire=True),
    Indicateur("bilans_valides", ("bilans", "valides"), "Bilans annuels validés"),
    Indicateur("fiches_publiees", ("fiches", "publiees"), "Fiches pratiques publiées"),
    Indicateur("rencontres", ("rencontres", "tenues"), "Rencontres départementales tenues"),
    Indicateur("mises_a_disposition", ("mises_a_disposition", "personnes"), "Personnes mises à disposition"),
)


def rapports_visibles(user: Acteur) -> QuerySet[RapportNational]:
    """R15: national staff read the national reports; nobody else (404)."""
    if not permissions.can_voir_rapports(user):
        return RapportNational.objects.none()
    return RapportNational.objects.select_related("travail", "document", "genere_par", "travail__lance_par")


# --- Consolidation -------------------------------------------------------------------------------------------------


def additionner(total: dict[str, Any], ajout: dict[str, Any]) -> dict[str, Any]:
    """Sum two figure trees leaf by leaf (the union of their keys): integers add, amounts (Decimal strings) add
    exactly to the cent, nested dictionaries recurse. `total` is updated and returned."""
    for cle, valeur in ajout.items():
        if isinstance(valeur, dict):
            total[cle] = additionner(dict(total.get(cle, {})), valeur)
        elif isinstance(valeur, bool):
            continue
        elif isinstance(valeur, int):
            total[cle] = int(total.get(cle, 0)) + valeur
        elif isinstance(valeur, str):
            total[cle] = montant(Decimal(str(total.get(cle, "0"))) + Decimal(valeur))
    return total


def valeur(chiffres: dict[str, Any], indicateur: Indicateur) -> Any:
    noeud: Any = chiffres
    for partie in indicateur.chemin:
        noeud = noeud.get(partie) if isinstance(noeud, dict) else None
    if noeud is None:
        return montant(Decimal("0")) if indicateur.monetaire else 0
    return noeud


def _ecart(indicateur: Indicateur, precedent: Any, actuel: Any) -> Any:
    if precedent is None:
        return None
    if indicateur.monetaire:
        return montant(Decimal(actuel) - Decimal(precedent))
    return int(actuel) - int(precedent)


def consolider(
    annee: int,
    syntheses: Iterable[SyntheseDepartementale],
    departements: Iterable[Departement],
    precedent: dict[str, Any] | None,
    pas: Callable[[int, Departement], None] | None = None,
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """R15: the national figures of `annee` from the frozen figures of its transmitted syntheses: totals (equal to
    the sum of the syntheses, to the cent), one row per département (missing ones marked), the missing départements,
    and the comparison with the previous year's report (`precedent`: its chiffres, or None). Deterministic: the
    same syntheses give the same figures. `pas(rang, departement)` is called after each département (progress)."""
    par_code = {s.departement_id: s for s in syntheses}
    totaux: dict[str, Any] = {}
    lignes: list[dict[str, Any]] = []
    manquants: list[dict[str, str]] = []
    departements = list(departements)
    for rang, departement in enumerate(departements, start=1):
        synthese = par_code.get(departement.code)
        ligne: dict[str, Any] = {
            "code": departement.code,
            "nom": departement.nom,
            "transmise": synthese is not None,
            "synthese": synthese.pk if synthese is not None else None,
        }
        if synthese is None:
            manquants.append({"code": departement.code, "nom": departement.nom})
            ligne.update(dict.fromkeys((i.cle for i in INDICATEURS), None))
        else:
            additionner(totaux, {section: synthese.chiffres.get(section, {}) for section in SECTIONS})
            ligne.update({i.cle: valeur(synthese.chiffres, i) for i in INDICATEURS})
        lignes.append(ligne)
        if pas is not None:
            pas(rang, departement)
    totaux_precedents = (precedent or {}).get("totaux")
    comparaison = {
        "annee": annee - 1,
        "disponible": totaux_precedents is not None,
        "lignes": [
            {
                "cle": i.cle,
                "libelle": i.libelle,
                "precedent": valeur(totaux_precedents, i) if totaux_precedents is not None else None,
                "actuel": valeur(totaux, i),
                "ecart": _ecart(
                    i, valeur(totaux_precedents, i) if totaux_precedents is not None else None, valeur(totaux, i)
                ),
            }
            for i in INDICATEURS
        ],
    }
    chiffres = {
        "version": VERSION_RAPPORT,
        "annee": annee,
        "departements": {
            "total": len(departements),
            "avec_synthese": len(departements) - len(manquants),
            "manquants": len(manquants),
        },
        "totaux": totaux,
        "par_departement": lignes,
        "comparaison": comparaison,
    }
    return chiffres, manquants


def syntheses_a_consolider(annee: int) -> list[SyntheseDepartementale]:
    """The transmitted (or already consolidated) syntheses of the year, by département (one query)."""
    return list(
        SyntheseDepartementale.objects.filter(annee=annee, etat__in=ETATS_CONSOLIDABLES)
        .select_related("departement")
        .order_by("departement_id")
    )


# --- What the page, the PDF and the open data show --------------------------------------------------------------


def formater(indicateur: Indicateur, brute: Any) -> str:
    if brute is None:
        return "—"
    if indicateur.monetaire:
        return euros(Decimal(brute))
    return f"{int(brute):,}".replace(",", "\u202f")


def lignes_totaux(chiffres: dict[str, Any]) -> list[tuple[str, str]]:
    totaux = chiffres.get("totaux", {})
    return [(i.libelle, formater(i, valeur(totaux, i))) for i in INDICATEURS]


def lignes_comparaison(chiffres: dict[str, Any]) -> list[dict[str, str]]:
    par_cle = {i.cle: i for i in INDICATEURS}
    resultat = []
    for ligne in chiffres.get("comparaison", {}).get("lignes", []):
        indicateur = par_cle[ligne["cle"]]
        ecart = ligne["ecart"]
        signe = "+" if ecart is not None and Decimal(str(ecart)) > 0 else ""
        resultat.append(
            {
                "libelle": ligne["libelle"],
                "precedent": formater(indicateur, ligne["precedent"]),
                "actuel": formater(indicateur, ligne["actuel"]),
                "ecart": "—" if ecart is None else signe + formater(indicateur, ecart),
            }
        )
    return resultat


def tableau_departements(chiffres: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The per-département table (a table, not 101 charts: it keeps the PDF fast and readable)."""
    entetes = ["Département", "Synthèse", *(i.libelle for i in INDICATEURS)]
    lignes = [
        [
            f"{ligne['nom']} ({ligne['code']})",
            "transmise" if ligne["transmise"] else "manquante",
            *(formater(i, ligne[i.cle]) for i in INDICATEURS),
        ]
        for ligne in chiffres.get("par_departement", [])
    ]
    return entetes, lignes


def carte_rapport(chiffres: dict[str, Any], prefixe: str = "rnc") -> Carte:
    """R15: the map of the départements: collectifs agreed in each département with a transmitted synthesis; the
    missing ones are hatched and named « synthèse manquante »."""
    valeurs = {
        ligne["code"]: (int(ligne["agreees"]) if ligne["transmise"] else None)
        for ligne in chiffres.get("par_departement", [])
    }
    return carte_departements(
        identifiant=f"{prefixe}-carte",
        titre=f"Collectifs agréés par département en {chiffres.get('annee', '')}",
        description=(
            "Carte en tuiles des départements (une tuile par département, outre-mer en encarts) : plus la tuile est "
            "foncée, plus le département compte de collectifs agréés ; les tuiles hachurées n'ont pas transmis de "
            "synthèse. Le tableau qui suit donne les mêmes données."
        ),
        libelle_valeur="Collectifs agréés",
        valeurs=valeurs,
        noms={ligne["code"]: ligne["nom"] for ligne in chiffres.get("par_departement", [])},
    )


def graphiques_rapport(chiffres: dict[str, Any], prefixe: str = "rnc") -> list[Graphique]:
    """R15: the national charts: départements with or without a transmitted synthesis, money committed and paid
    against the previous year, and the participation levels reached (validated check-ins)."""
    if not chiffres:
        return []
    totaux = chiffres.get("totaux", {})
    d = chiffres["departements"]
    comparaison = {ligne["cle"]: ligne for ligne in chiffres["comparaison"]["lignes"]}
    annee = chiffres["annee"]
    graphiques = [
        graphique_barres(
            identifiant=f"{prefixe}-couverture",
            titre="Départements ayant transmis leur synthèse",
            description="Nombre de départements dont la synthèse départementale a été transmise, et manquants.",
            libelle_categories="Synthèse",
            categories=["Transmise", "Manquante"],
            series=[Serie("Départements", [d["avec_synthese"], d["manquants"]])],
        ),
    ]
    if chiffres["comparaison"]["disponible"]:
        categories = ["Montant engagé", "Montant versé"]
        graphiques.append(
            graphique_barres(
                identifiant=f"{prefixe}-argent",
                titre=f"Montants engagés et versés, {annee - 1} et {annee}",
                description="Tranches de l'année budgétaire, en euros, comparées à l'année précédente.",
                libelle_categories="Montant",
                categories=categories,
                series=[
                    Serie(
                        str(annee - 1),
                        [Decimal(comparaison[c]["precedent"]) for c in ("engage", "verse")],
                        formater=lambda v: euros(Decimal(v)),
                    ),
                    Serie(
                        str(annee),
                        [Decimal(comparaison[c]["actuel"]) for c in ("engage", "verse")],
                        formater=lambda v: euros(Decimal(v)),
                    ),
                ],
            )
        )
    else:
        argent = totaux.get("argent", {})
        graphiques.append(
            graphique_barres(
                identifiant=f"{prefixe}-argent",
                titre=f"Montants engagés et versés en {annee}",
                description="Tranches de l'année budgétaire, en euros (pas de rapport l'année précédente).",
                libelle_categories="Montant",
                categories=["Montant engagé", "Montant versé"],
                series=[
                    Serie(
                        "Euros",
                        [Decimal(argent.get("engage", "0")), Decimal(argent.get("verse", "0"))],
                        formater=lambda v: euros(Decimal(v)),
                    )
                ],
            )
        )
    niveaux = totaux.get("bilans", {}).get("niveaux", {})
    if niveaux:
        libelles = dict(NiveauParticipation.choices)
        graphiques.append(
            graphique_barres(
                identifiant=f"{prefixe}-participation",
                titre="Niveaux de participation atteints",
                description="Bilans annuels validés de l'année, tous départements, par niveau de participation.",
                libelle_categories="Niveau",
                categories=[libelles.get(n, n) for n in niveaux],
                series=[Serie("Bilans", list(niveaux.values()))],
            )
        )
    return graphiques


# --- Open data ----------------------------------------------------------------------------------------------------

COLONNES_OUVERTES = ["annee", "code_departement", "departement", "synthese_transmise", *(i.cle for i in INDICATEURS)]


def donnees_ouvertes(rapport: RapportNational) -> list[dict[str, Any]]:
    """R15, SPEC §7: the consolidated figures per département, aggregates only (no personal data): one row per
    département, amounts as « 1234.50 », empty when the synthesis is missing."""
    lignes = []
    for ligne in rapport.chiffres.get("par_departement", []):
        lignes.append(
            {
                "annee": rapport.annee,
                "code_departement": ligne["code"],
                "departement": ligne["nom"],
                "synthese_transmise": ligne["transmise"],
                **{i.cle: ligne[i.cle] for i in INDICATEURS},
            }
        )
    return lignes
