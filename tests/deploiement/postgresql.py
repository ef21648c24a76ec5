"""Helpers of the PostgreSQL deployment tests: the test database's connection parameters and the client tools."""

from __future__ import annotations

import glob
import shutil
import subprocess
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import connection


def outil_postgresql(nom: str) -> str:
    """A PostgreSQL client binary: the newest /usr/lib/postgresql/*/bin one, else the PATH's."""
    candidats = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{nom}"), key=lambda c: int(c.split("/")[4]))
    chemin = candidats[-1] if candidats else shutil.which(nom)
    if chemin is None:
        pytest.skip(f"{nom} introuvable")
    return chemin


def parametres(**extra: Any) -> dict[str, Any]:
    """libpq's connection keywords for the test database (the socket may come from DATABASE_URL's `?host=`)."""
    reglages = connection.settings_dict
    options = reglages.get("OPTIONS", {})
    valeurs = {
        "dbname": reglages["NAME"],
        "host": reglages["HOST"] or options.get("host", ""),
        "port": reglages["PORT"] or options.get("port", ""),
        "user": reglages["USER"],
        "password": reglages["PASSWORD"],
    }
    valeurs |= extra
    return {cle: str(valeur) for cle, valeur in valeurs.items() if valeur not in ("", None)}


def url(base: str | None = None) -> str:
    """A libpq URL of the test server (as the test role), for the scripts: postgres://user@/base?host=/socket."""
    valeurs = parametres(dbname=base) if base else parametres()
    cles = {cle: valeurs[cle] for cle in ("host", "port", "password") if cle in valeurs}
    return f"postgres://{quote(valeurs['user'])}@/{valeurs['dbname']}?{urlencode(cles)}"


def psql(*arguments: str, base: str | None = None) -> subprocess.CompletedProcess[str]:
    """psql as the test database's (superuser) role, stopping at the first error."""
    return subprocess.run(
        [outil_postgresql("psql"), "--no-psqlrc", "-q", "-v", "ON_ERROR_STOP=1", "-d", url(base), *arguments],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def exiger_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (make test-postgres)")
