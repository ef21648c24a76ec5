"""Writes of the territoires app: importing the official list of the quartiers prioritaires de la politique de la
ville (QPV, published by the ANCT), the reference data R17's equity dashboard breaks the funding down by."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from territoires.models import LONGUEUR_NOM_QUARTIER, Departement, QuartierPrioritaire

# The columns of the ANCT's CSV that the import reads (the file has more: region, EPCI… they are ignored).
COLONNE_CODE, COLONNE_NOM, COLONNE_COMMUNE, COLONNE_DEPARTEMENT = "code_qp", "lib_qp", "insee_com", "insee_dep"
COLONNES_REQUISES = (COLONNE_CODE, COLONNE_NOM, COLONNE_COMMUNE)

# The official codes: « QN04201M » (2024 list), « QP042005 » (2015 list). Letters and digits, a few characters.
FORME_CODE = re.compile(r"^Q[A-Z][0-9A-Z]{4,10}$")
FORME_INSEE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
# A spreadsheet-protected value, as the ANCT exports the INSEE codes: ="42218" (the quotes left after CSV parsing).
PROTEGE = re.compile(r'^="?(.*?)"?$')
ERREURS_AFFICHEES = 10
# A few Loire quartiers for the demo and the tests; their codes are NOT the official ones (see data/README.md).
FICHIER_QUARTIERS_DEMO = Path(__file__).resolve().parent / "data" / "quartiers_prioritaires_demo.csv"


@dataclass(frozen=True)
class LigneQuartier:
    """One quartier as read from the file, cleaned."""

    numero: int  # line number in the file (the header is line 1)
    code: str
    nom: str
    code_insee: str
    departement: str


@dataclass(frozen=True)
class BilanImport:
    """What an import did (or would do, in a simulation)."""

    crees: int
    mis_a_jour: int
    inchanges: int
    simulation: bool

    @property
    def message(self) -> str:
        texte = (
            f"Quartiers prioritaires : {self.crees} créé{'s' if self.crees > 1 else ''}, "
            f"{self.mis_a_jour} mis à jour, {self.inchanges} inchangé{'s' if self.inchanges > 1 else ''}."
        )
        return f"{texte} Simulation : rien n'a été enregistré." if self.simulation else texte


def _texte(chemin: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252, as spreadsheets often save it."""
    donnees = chemin.read_bytes()
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            return donnees.decode(encodage)
        except UnicodeDecodeError:
            continue
    raise ValidationError("Le fichier n'est pas un CSV lisible : enregistrez-le en UTF-8.")


def _valeur(brute: str | None) -> str:
    valeur = (brute or "").strip()
    if protege := PROTEGE.match(valeur):
        valeur = protege.group(1)
    return valeur.strip()


def _departement_de_la_commune(code_insee: str) -> str:
    """The COG département of an INSEE commune code: three characters overseas (971…), else two (2A, 2B)."""
    return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]


def lire_quartiers_prioritaires(texte: str) -> list[LigneQuartier]:
    """Parse the ANCT's list (`code_qp;lib_qp;…;insee_com;…`, « ; » or « , » separated). A quartier spanning
    several communes lists them all in `insee_com`: the first is its main commune. Raises a ValidationError in
    French for a missing column or invalid lines (all of them at once, up to ten shown)."""
    lignes = texte.splitlines()
    entete = lignes[0] if lignes else ""
    separateur = ";" if entete.count(";") >= entete.count(",") else ","
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=separateur)
    colonnes = {(nom or "").strip().lower(): nom for nom in lecteur.fieldnames or []}
    manquantes = [c for c in COLONNES_REQUISES if c not in colonnes]
    if manquantes:
        pluriel = "s" if len(manquantes) > 1 else ""
        raise ValidationError(
            f"Colonne{pluriel} manquante{pluriel} dans le fichier : {', '.join(manquantes)}. Le fichier doit "
            f"avoir une ligne d'en-tête avec les colonnes {', '.join(COLONNES_REQUISES)} (séparées par « ; » ou "
            "« , »), comme la liste officielle de l'ANCT."
        )
    quartiers: list[LigneQuartier] = []
    erreurs: list[str] = []
    vus: dict[str, int] = {}
    for numero, ligne in enumerate(lecteur, start=2):
        if not any((v or "").strip() for v in ligne.values() if isinstance(v, str)):
            continue  # a blank line
        code = _valeur(ligne.get(colonnes[COLONNE_CODE])).upper()
        nom = " ".join(_valeur(ligne.get(colonnes[COLONNE_NOM])).split())
        communes = [c.upper() for c in re.split(r"[\s;,]+", _valeur(ligne.get(colonnes[COLONNE_COMMUNE]))) if c]
        code_insee = communes[0] if communes else ""
        departement = _valeur(ligne.get(colonnes[COLONNE_DEPARTEMENT])) if COLONNE_DEPARTEMENT in colonnes else ""
        departement = departement.upper() or _departement_de_la_commune(code_insee)
        if not FORME_CODE.match(code):
            erreurs.append(f"ligne {numero} : code de quartier « {code} » invalide (attendu par ex. QN04201M).")
        elif code in vus:
            erreurs.append(f"ligne {numero} : le quartier {code} figure déjà ligne {vus[code]}.")
        if not nom:
            erreurs.append(f"ligne {numero} : le nom du quartier manque.")
        elif len(nom) > LONGUEUR_NOM_QUARTIER:
            erreurs.append(f"ligne {numero} : le nom du quartier dépasse {LONGUEUR_NOM_QUARTIER} caractères.")
        if not FORME_INSEE.match(code_insee):
            erreurs.append(f"ligne {numero} : code INSEE de commune « {code_insee} » invalide (5 caractères).")
        vus.setdefault(code, numero)
        quartiers.append(LigneQuartier(numero, code, nom, code_insee, departement))
    if erreurs:
        reste = len(erreurs) - ERREURS_AFFICHEES
        suite = [f"… et {reste} autre{'s' if reste > 1 else ''} erreur{'s' if reste > 1 else ''}."] if reste > 0 else []
        raise ValidationError(["Le fichier n'a pas été importé.", *erreurs[:ERREURS_AFFICHEES], *suite])
    return quartiers


@transaction.atomic
def quartiers_prioritaires_importer(*, chemin: Path, simulation: bool = False) -> BilanImport:
    """Create or update the QPVs of the ANCT's list, matched on their official code (R17's reference data). Nothing
    is deleted: a quartier that leaves the list stays, since collectifs may name it. All or nothing: a missing
    column, an invalid line or an unknown département refuses the whole file. `simulation` writes nothing."""
    quartiers = lire_quartiers_prioritaires(_texte(chemin))
    departements = {d.code: d for d in Departement.objects.filter(code__in={q.departement for q in quartiers})}
    inconnus = [q for q in quartiers if q.departement not in departements]
    if inconnus:
        raise ValidationError(
            [
                "Le fichier n'a pas été importé.",
                *(
                    f"ligne {q.numero} : département « {q.departement} » inconnu pour le quartier {q.code}."
                    for q in inconnus[:ERREURS_AFFICHEES]
                ),
            ]
        )
    existants = {q.code: q for q in QuartierPrioritaire.objects.filter(code__in=[q.code for q in quartiers])}
    nouveaux: list[QuartierPrioritaire] = []
    modifies: list[QuartierPrioritaire] = []
    for ligne in quartiers:
        valeurs = {"nom": ligne.nom, "code_insee": ligne.code_insee, "departement_id": ligne.departement}
        existant = existants.get(ligne.code)
        if existant is None:
            nouveaux.append(QuartierPrioritaire(code=ligne.code, **valeurs))
        elif any(getattr(existant, champ) != valeur for champ, valeur in valeurs.items()):
            for champ, valeur in valeurs.items():
                setattr(existant, champ, valeur)
            modifies.append(existant)
    if not simulation:
        QuartierPrioritaire.objects.bulk_create(nouveaux, batch_size=500)
        QuartierPrioritaire.objects.bulk_update(modifies, ["nom", "code_insee", "departement"], batch_size=500)
    return BilanImport(
        crees=len(nouveaux),
        mis_a_jour=len(modifies),
        inchanges=len(quartiers) - len(nouveaux) - len(modifies),
        simulation=simulation,
    )
