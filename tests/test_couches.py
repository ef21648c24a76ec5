"""The layers contract of `make lint` covers every app of the project (import-linter only checks the packages
it is told about: a new app left out of the contract could import upward unnoticed)."""

from __future__ import annotations

import tomllib

from django.apps import apps
from django.conf import settings


def _contrat() -> tuple[list[str], list[str]]:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as fichier:
        config = tomllib.load(fichier)["tool"]["importlinter"]
    (contrat,) = [c for c in config["contracts"] if c["type"] == "layers"]
    couches = [nom.strip() for couche in contrat["layers"] for nom in couche.split("|")]
    return config["root_packages"], couches


def _apps_du_projet() -> set[str]:
    return {
        app.name
        for app in apps.get_app_configs()
        if app.path.startswith(str(settings.BASE_DIR)) and ".venv" not in app.path
    }


def test_chaque_application_du_projet_est_dans_une_couche():
    racines, couches = _contrat()
    oubliees = _apps_du_projet() - set(couches)
    assert not oubliees, f"Applications absentes du contrat de couches (pyproject.toml) : {sorted(oubliees)}"
    assert sorted(racines) == sorted(couches), "root_packages et les couches doivent nommer les mêmes paquets."


def test_les_couches_suivent_l_ordre_des_conventions():
    _, couches = _contrat()
    attendu = [
        "config",
        "demo",
        "workflow",
        "personnes",
        "mutualisation",
        "instances",
        "fonds",
        "collectifs",
        "campagnes",
        "documents",
        "journal",
        "comptes",
        "territoires",
        "core",
    ]
    assert couches == attendu
