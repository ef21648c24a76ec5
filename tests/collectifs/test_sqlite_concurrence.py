"""SQLite, the `make run` default, under concurrent filings: writers wait their turn instead of failing with
« database is locked » (immediate transactions and a busy timeout, config.settings.base)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

RACINE = Path(__file__).resolve().parents[2]


def _lancer(base: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{base}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    return subprocess.run(
        [sys.executable, *arguments], cwd=RACINE, env=env, capture_output=True, text=True, timeout=300, check=True
    )


@pytest.fixture(scope="module")
def base_fichier(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("sqlite") / "concurrence.sqlite3"
    _lancer(base, "manage.py", "migrate", "--noinput")
    return base


def test_options_sqlite_du_projet():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("Options propres à SQLite.")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]


def test_huit_depots_simultanes_sans_erreur_sur_un_fichier_sqlite(base_fichier):
    sortie = _lancer(base_fichier, "-m", "tests.collectifs.charge_sqlite", "--depots", "8")
    resultat = json.loads(sortie.stdout.strip().splitlines()[-1])
    assert resultat["erreurs"] == []
    assert resultat["numeros"] == [f"REC-42-2027-{n:05d}" for n in range(1, 9)]
