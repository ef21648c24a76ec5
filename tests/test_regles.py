"""The rules index (docs/regles.md) stays true to the code: every rule marked built is cited by the apps and by the
tests, nobody cites a rule the index does not know, every service it lists imports, every test module it lists
exists. No database needed: the apps are imported, never queried."""

from __future__ import annotations

import importlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

RACINE = Path(__file__).resolve().parent.parent
INDEX = RACINE / "docs" / "regles.md"
# The domain apps: every package of the layers contract (pyproject.toml) but the composition root and the demo.
with (RACINE / "pyproject.toml").open("rb") as _fichier:
    APPLICATIONS = tuple(
        sorted(set(tomllib.load(_fichier)["tool"]["importlinter"]["root_packages"]) - {"config", "demo"})
    )
REGLES = tuple(f"R{n}" for n in range(1, 21))
STATUTS = ("construite", "partielle", "pas encore")
CONSTRUITES = ("construite", "partielle")
CITATION = re.compile(r"\bR(\d+)\b")
TITRE = re.compile(r"^## (R\d+) — (.+)$")
LIGNE = re.compile(r"^- (Statut|Résumé|Services|Tests) : (.*)$")
LIGNE_TABLEAU = re.compile(r"^\| (R\d+) \| (.+?) \| (.+?) \|$")


@dataclass
class Regle:
    numero: str
    nom: str
    champs: dict[str, str] = field(default_factory=dict)

    def _liste(self, champ: str) -> list[str]:
        valeur = self.champs.get(champ, "").strip()
        if valeur in ("", "aucun"):
            return []
        return [nom.strip().strip("`") for nom in valeur.split(",") if nom.strip()]

    @property
    def statut(self) -> str:
        return self.champs.get("Statut", "").strip()

    @property
    def services(self) -> list[str]:
        return self._liste("Services")

    @property
    def tests(self) -> list[str]:
        return self._liste("Tests")


@cache
def _index() -> tuple[dict[str, Regle], dict[str, str]]:
    """The sections of docs/regles.md by rule number, and the status table at its top."""
    regles: dict[str, Regle] = {}
    tableau: dict[str, str] = {}
    courante: Regle | None = None
    for ligne in INDEX.read_text(encoding="utf-8").splitlines():
        if titre := TITRE.match(ligne):
            assert titre.group(1) not in regles, f"docs/regles.md : {titre.group(1)} a deux sections."
            courante = regles[titre.group(1)] = Regle(titre.group(1), titre.group(2))
        elif ligne.startswith("## "):
            courante = None
        elif (champ := LIGNE.match(ligne)) and courante is not None:
            courante.champs[champ.group(1)] = champ.group(2)
        elif rang := LIGNE_TABLEAU.match(ligne):
            tableau[rang.group(1)] = rang.group(3).strip()
    return regles, tableau


def _regles() -> dict[str, Regle]:
    return _index()[0]


def _construites() -> list[str]:
    """Rules marked « construite » or « partielle »: the ones the code and the tests must cite."""
    return [numero for numero, regle in _regles().items() if regle.statut in CONSTRUITES]


def _fichiers_des_applications() -> list[Path]:
    return [
        chemin
        for application in APPLICATIONS
        for chemin in sorted((RACINE / application).rglob("*.py"))
        if "migrations" not in chemin.relative_to(RACINE).parts
    ]


def _fichiers_de_test() -> list[Path]:
    return [chemin for chemin in sorted((RACINE / "tests").rglob("*.py")) if chemin != Path(__file__).resolve()]


@cache
def _citations(groupe: str) -> dict[str, set[str]]:
    """Rule number → the files (relative paths) that cite it as a whole word, for the apps or the tests."""
    fichiers = _fichiers_des_applications() if groupe == "applications" else _fichiers_de_test()
    citations: dict[str, set[str]] = {}
    for chemin in fichiers:
        for numero in CITATION.findall(chemin.read_text(encoding="utf-8")):
            citations.setdefault(f"R{int(numero)}", set()).add(str(chemin.relative_to(RACINE)))
    return citations


def _resoudre(chemin: str) -> Any:
    """Import the longest module prefix of a dotted path, then follow the rest as attributes."""
    morceaux = chemin.split(".")
    for coupure in range(len(morceaux) - 1, 0, -1):
        nom_module = ".".join(morceaux[:coupure])
        try:
            objet: Any = importlib.import_module(nom_module)
        except ModuleNotFoundError as erreur:
            if erreur.name is not None and not nom_module.startswith(erreur.name):
                raise  # the module exists but one of its own imports is missing
            continue
        for attribut in morceaux[coupure:]:
            objet = getattr(objet, attribut)
        return objet
    raise ModuleNotFoundError(chemin)


def _cite(texte: str | None, numero: str) -> bool:
    return bool(texte) and re.search(rf"\b{numero}\b", texte or "") is not None


# --- The index itself -------------------------------------------------------------------------------------------


def test_l_index_a_une_section_par_regle_de_r1_a_r20():
    regles = _regles()
    manquantes = [numero for numero in REGLES if numero not in regles]
    inconnues = [numero for numero in regles if numero not in REGLES]
    assert not manquantes, f"docs/regles.md : pas de section pour {', '.join(manquantes)}."
    assert not inconnues, f"docs/regles.md : sections pour des règles inconnues : {', '.join(inconnues)}."
    assert list(regles) == list(REGLES), "docs/regles.md : les sections doivent suivre l'ordre R1 à R20."


@pytest.mark.parametrize("numero", REGLES)
def test_chaque_regle_a_un_statut_un_resume_des_services_et_des_tests(numero):
    regle = _regles().get(numero)
    assert regle is not None, f"docs/regles.md : pas de section pour {numero}."
    for champ in ("Statut", "Résumé", "Services", "Tests"):
        assert regle.champs.get(champ, "").strip(), f"{numero} : la ligne « - {champ} : … » manque ou est vide."
    assert regle.statut in STATUTS, (
        f"{numero} : statut « {regle.statut} » inconnu ; attendu : {', '.join(f'« {s} »' for s in STATUTS)}."
    )


def test_le_tableau_des_statuts_suit_les_sections():
    regles, tableau = _index()
    assert sorted(tableau, key=lambda n: int(n[1:])) == list(REGLES), (
        "docs/regles.md : le tableau du début doit avoir une ligne par règle, de R1 à R20."
    )
    for numero, regle in regles.items():
        assert tableau.get(numero) == regle.statut, (
            f"{numero} : le tableau dit « {tableau.get(numero)} », la section dit « {regle.statut} »."
        )


@pytest.mark.parametrize("numero", REGLES)
def test_une_regle_construite_liste_ses_services_et_ses_tests(numero):
    regle = _regles()[numero]
    if regle.statut not in CONSTRUITES:
        assert not regle.services, f"{numero} est « pas encore » construite mais liste des services."
        return
    assert regle.services, f"{numero} est « {regle.statut} » mais ne liste aucun service qui l'applique."
    assert regle.tests, f"{numero} est « {regle.statut} » mais ne liste aucun module de test qui la prouve."


# --- (a) A built rule is cited by the apps and by the tests -----------------------------------------------------


@pytest.mark.parametrize("numero", _construites())
def test_une_regle_construite_est_citee_dans_le_code_des_applications(numero):
    regle = _regles()[numero]
    assert _citations("applications").get(numero), (
        f"{numero} est « {regle.statut} » dans docs/regles.md, mais aucun module de {', '.join(APPLICATIONS)} "
        f"(hors migrations) ne la cite : citez « {numero} » dans la docstring du service qui l'applique."
    )


@pytest.mark.parametrize("numero", _construites())
def test_une_regle_construite_est_citee_dans_les_tests(numero):
    regle = _regles()[numero]
    assert _citations("tests").get(numero), (
        f"{numero} est « {regle.statut} » dans docs/regles.md, mais aucun module de tests/ ne la cite : "
        f"citez « {numero} » dans le module de test qui la prouve."
    )


@pytest.mark.parametrize("numero", _construites())
def test_un_des_modules_de_test_listes_cite_la_regle(numero):
    regle = _regles()[numero]
    citants = _citations("tests").get(numero, set())
    assert citants & set(regle.tests), (
        f"{numero} : aucun des modules de test listés ({', '.join(regle.tests)}) ne cite « {numero} » ; "
        f"ceux qui la citent : {', '.join(sorted(citants)) or 'aucun'}."
    )


@pytest.mark.parametrize("numero", _construites())
def test_un_des_services_listes_cite_la_regle(numero):
    """The function's own docstring, or the docstring of the module that defines it."""
    regle = _regles()[numero]
    for chemin in regle.services:
        objet = _resoudre(chemin)
        module = importlib.import_module(getattr(objet, "__module__", None) or chemin.rsplit(".", 1)[0])
        if _cite(getattr(objet, "__doc__", None), numero) or _cite(module.__doc__, numero):
            return
    pytest.fail(
        f"{numero} : aucun des services listés ({', '.join(regle.services)}) ne cite « {numero} » "
        "dans sa docstring ni dans celle de son module."
    )


# --- (b) Nobody cites an unknown rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("groupe", ["applications", "tests"])
def test_le_code_et_les_tests_ne_citent_que_des_regles_connues(groupe):
    inconnues = {numero: fichiers for numero, fichiers in _citations(groupe).items() if numero not in _regles()}
    assert not inconnues, "Règles citées mais absentes de docs/regles.md : " + " ; ".join(
        f"{numero} dans {', '.join(sorted(fichiers))}" for numero, fichiers in sorted(inconnues.items())
    )


# --- (c) Every listed service imports; (d) every listed test module exists --------------------------------------


@pytest.mark.parametrize("numero", REGLES)
def test_les_services_listes_existent(numero):
    regle = _regles()[numero]
    introuvables = []
    for chemin in regle.services:
        try:
            _resoudre(chemin)
        except (ImportError, AttributeError) as erreur:
            introuvables.append(f"{chemin} ({erreur})")
    assert not introuvables, f"{numero} : services introuvables : {' ; '.join(introuvables)}."


@pytest.mark.parametrize("numero", REGLES)
def test_les_modules_de_test_listes_existent(numero):
    regle = _regles()[numero]
    absents = [chemin for chemin in regle.tests if not (RACINE / chemin).is_file()]
    assert not absents, f"{numero} : modules de test introuvables : {', '.join(absents)}."
    hors_tests = [chemin for chemin in regle.tests if not re.fullmatch(r"tests/(.+/)?test_[^/]+\.py", chemin)]
    assert not hors_tests, f"{numero} : ces chemins ne sont pas des modules de test : {', '.join(hors_tests)}."
