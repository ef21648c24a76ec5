"""Production settings and the deploy/ folder: `check --deploy` clean, WhiteNoise and a shared cache, every
environment variable in the example file, systemd units that run existing commands with hardening, gunicorn's
configuration as documented."""

from __future__ import annotations

import configparser
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

RACINE = Path(settings.BASE_DIR)
DEPLOY = RACINE / "deploy"
UNITES = DEPLOY / "systemd"
PYTHON = sys.executable


def _env_production(**extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "collectifs.exemple.gouv.fr",
        "DATABASE_URL": "postgres://collectifs_app@/collectifs?host=/var/run/postgresql",
        "JOURNAL_CLE_CONDENSE": secrets.token_urlsafe(32),
        "FONDS_ATTRIBUANT_NOM": "Fonds d'innovation sociale",
        "FONDS_ATTRIBUANT_SIRET": "13000000300017",
        **extra,
    }


def _lancer(*commande: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        commande, cwd=RACINE, env=_env_production(**extra), capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_sans_avertissement():
    resultat = _lancer(PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert resultat.returncode == 0, resultat.stderr + resultat.stdout
    assert "no issues" in resultat.stdout


def test_la_production_sert_les_statiques_par_whitenoise_et_partage_son_cache():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'middleware': s.MIDDLEWARE, 'storages': s.STORAGES, 'caches': s.CACHES, "
        "'debug': s.DEBUG, 'proxies': s.PROXIES_DE_CONFIANCE, "
        "'num_proxies': s.REST_FRAMEWORK['NUM_PROXIES'], 'accel': s.DOCUMENTS_X_ACCEL_REDIRECT}))"
    )
    resultat = _lancer(
        PYTHON, "-c", script, PROXIES_DE_CONFIANCE="1", DOCUMENTS_X_ACCEL_REDIRECT="/_documents_proteges/"
    )
    assert resultat.returncode == 0, resultat.stderr
    lu = json.loads(resultat.stdout)

    assert lu["middleware"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert lu["storages"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert lu["caches"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert lu["debug"] is False
    assert (lu["proxies"], lu["num_proxies"]) == (1, 1)
    assert lu["accel"] == "/_documents_proteges/"


def _variables_lues() -> set[str]:
    """Every environment variable the settings and gunicorn's configuration read (not the benchmark's settings,
    config/settings/banc.py: `make bench` only, never a server)."""
    noms: set[str] = set()
    reglages = sorted(p for p in (RACINE / "config" / "settings").glob("*.py") if p.name != "banc.py")
    for fichier in [*reglages, DEPLOY / "gunicorn.conf.py"]:
        texte = fichier.read_text()
        noms |= set(re.findall(r"env_(?:str|int|bool|list)\(\s*\"([A-Z0-9_]+)\"", texte))
        noms |= set(re.findall(r"os\.environ\.get\(\"([A-Z0-9_]+)\"", texte))
    return noms


def test_le_fichier_d_environnement_d_exemple_liste_chaque_variable_sans_secret():
    lignes = [ligne for ligne in (DEPLOY / "collectifs.env.exemple").read_text().splitlines() if "=" in ligne]
    exemple = dict(ligne.split("=", 1) for ligne in lignes if not ligne.startswith("#"))

    manquantes = _variables_lues() - set(exemple)
    assert not manquantes, f"absentes de deploy/collectifs.env.exemple : {sorted(manquantes)}"
    assert {"DATABASE_URL_MIGRATIONS", "DJANGO_SETTINGS_MODULE"} <= set(exemple)
    for secret in ["DJANGO_SECRET_KEY", "JOURNAL_CLE_CONDENSE", "OIDC_RP_CLIENT_SECRET", "EMAIL_HOST_PASSWORD"]:
        assert exemple[secret] == "", f"{secret} : pas de valeur dans l'exemple"


def _unite(chemin: Path) -> configparser.ConfigParser:
    lecteur = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    lecteur.optionxform = str  # type: ignore[assignment,method-assign]
    lecteur.read(chemin)
    return lecteur


def _lignes_exec(chemin: Path) -> list[str]:
    return [ligne.split("=", 1)[1] for ligne in chemin.read_text().splitlines() if ligne.startswith("ExecStart=")]


@pytest.mark.parametrize("nom", sorted(p.name for p in UNITES.glob("*.service")))
def test_chaque_service_lance_une_commande_existante_avec_le_durcissement(nom):
    chemin = UNITES / nom
    service = _unite(chemin)["Service"]
    commandes = get_commands()

    for ligne in _lignes_exec(chemin):
        if " manage.py " in ligne:
            commande = ligne.split(" manage.py ", 1)[1].split()[0]
            assert commande in commandes, f"{nom} : manage.py {commande} n'existe pas"
        else:
            executable = ligne.lstrip("-").split()[0].replace("/opt/collectifs-ds/", "")
            assert executable == ".venv/bin/gunicorn" or (RACINE / executable).is_file(), ligne
    for ligne in _lignes_exec(chemin):
        if "DATABASE_URL=" in ligne:  # only the migrations' unit changes the role, to the owner's
            assert nom == "collectifs-migrer.service"
            assert ligne.startswith("/usr/bin/env DATABASE_URL=${DATABASE_URL_MIGRATIONS} ")
    assert service["EnvironmentFile"] == "/etc/collectifs-ds/collectifs.env"
    assert service["User"] == "collectifs"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/collectifs-ds"


def test_les_minuteurs_lancent_les_bons_services():
    attendus = {
        "collectifs-minute": ["workflow_timers", "documents_seances --recuperer"],
        "collectifs-condense": ["journal_condenser"],
        "collectifs-purge": ["purger_donnees"],
        "collectifs-travaux": ["travaux_relancer --relancer"],
        "collectifs-heure": ["documents_fonds --relancer"],
    }
    for nom, commandes in attendus.items():
        minuteur = _unite(UNITES / f"{nom}.timer")["Timer"]
        assert minuteur["Unit"] == f"{nom}.service"
        assert minuteur["OnCalendar"]
        lignes = _lignes_exec(UNITES / f"{nom}.service")
        assert [ligne.split(" manage.py ", 1)[1] for ligne in lignes] == commandes
    worker = _lignes_exec(UNITES / "collectifs-worker.service")
    assert worker == ["/opt/collectifs-ds/.venv/bin/python manage.py db_worker --queue-name '*'"]


def test_chaque_unite_est_decrite_dans_le_guide_d_exploitation():
    guide = (RACINE / "docs" / "exploitation.md").read_text()
    minuteurs = sorted(UNITES.glob("*.timer"))

    for minuteur in minuteurs:
        assert (UNITES / _unite(minuteur)["Timer"]["Unit"]).is_file(), minuteur.name
    for unite in [*sorted(UNITES.glob("*.service")), *minuteurs]:
        nom = unite.name if unite.suffix == ".timer" or not unite.with_suffix(".timer").exists() else unite.stem
        assert nom in guide, f"{nom} absent de docs/exploitation.md"


def test_gunicorn_ecoute_sur_un_socket_et_ne_journalise_pas_les_parametres_d_url():
    resultat = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--print-config"],
        cwd=RACINE, env=_env_production(GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="45"),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert resultat.returncode == 0, resultat.stderr
    lu = {
        cle.strip(): valeur.strip()
        for cle, _, valeur in (ligne.partition("=") for ligne in resultat.stdout.splitlines())
    }

    assert lu["bind"] == "['unix:/run/collectifs/gunicorn.sock']"
    assert (lu["workers"], lu["timeout"]) == ("3", "45")
    assert lu["wsgi_app"] == "config.wsgi:application"
    assert "%(U)s" in lu["access_log_format"]
    assert not {"%(r)s", "%(q)s", "%(u)s"} & set(re.findall(r"%\([a-z]\)s", lu["access_log_format"]))


def test_nginx_fixe_x_forwarded_for_et_protege_les_documents():
    texte = (DEPLOY / "nginx" / "collectifs.conf").read_text()

    assert "proxy_set_header X-Forwarded-For $remote_addr;" in texte
    assert "$proxy_add_x_forwarded_for" not in texte  # never appended to what the client sent
    interne = texte.split("location /_documents_proteges/ {", 1)[1].split("}", 1)[0]
    assert "internal;" in interne
    assert "client_max_body_size" in texte
