"""API fuzzing (issue 12, part 5): schemathesis drives every operation of the OpenAPI schema, on the demo data, as
two roles (a collectif's référente and the Loire's instructrice), with a fixed seed and a bounded number of
examples. Zero server errors, and every answer conforms to the schema: its status code is documented, its
content type too, and its body matches the documented schema.

Each operation runs its examples twice: once with the path ids drawn from the objects the role really sees
(read through the API's own lists), so that actions reach real objects in every state of the demo, and once with
generated ids (mostly 404). Mutations are allowed: the test's transaction rolls everything back.

`pytest -s tests/test_schemathesis.py` prints the figures per role."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from comptes.models import User
from demo.seeders.comptes import COMPTES

# Runs on both databases (`make test` runs SQLite, then PostgreSQL): PostgreSQL refuses what SQLite takes (a NUL
# byte in a text, see core.api_champs), so each finds its own server errors.
pytestmark = pytest.mark.django_db

# Examples per operation and generation mode (positive, negative): with the real ids, with generated ids.
EXEMPLES_REELS = 3
EXEMPLES_GENERES = 1
VALEURS_MAX = 3  # real path values tried per parameter
CONTROLES = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = {"referente": "référente d'un collectif", "instructrice_42": "instructrice de la Loire"}

# Where the real values of a path parameter come from: a list of the API and the field holding the value.
SOURCES = {
    "collectif_pk": ("/api/v1/collectifs/", "id"),
    "seance_pk": ("/api/v1/seances/", "id"),
    "instance_pk": ("/api/v1/administration/instances/", "id"),
    "departement_code": ("/api/v1/departements/", "code"),
}


@dataclass
class Bilan:
    """Figures of one role's run."""

    operations: int = 0
    requetes: int = 0
    erreurs_serveur: int = 0
    statuts: Counter[int] = field(default_factory=Counter)
    echecs: dict[str, str] = field(default_factory=dict)  # first failure per operation and check
    listes: dict[str, Any] = field(default_factory=dict)  # the lists read for the real path values


@contextmanager
def _connexion_conservee() -> Iterator[None]:
    """Like Django's test client: requests do not close the test's connection (its transaction holds the data)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _en_tetes(user: User) -> dict[str, str]:
    """The role's token, read before each call: fuzzing may regenerate or revoke it (/compte/jeton/)."""
    jeton, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {jeton.key}"}


def _lire(schema: Any, user: User, url: str, bilan: Bilan) -> list[dict[str, Any]]:
    """The objects of an API list as the role sees them (first page), read once per role."""
    if url not in bilan.listes:
        reponse = Client(schema.app).get(url, headers=_en_tetes(user), query_string={"limit": VALEURS_MAX})
        donnees = reponse.get_json() if reponse.status_code == 200 else []
        bilan.listes[url] = donnees["results"] if isinstance(donnees, dict) and "results" in donnees else donnees
    return bilan.listes[url]


def _valeurs_reelles(schema: Any, user: User, chemin: str, bilan: Bilan) -> list[dict[str, Any]]:
    """Path parameters of `chemin` taken from objects the role sees (parents first), at most VALEURS_MAX each."""
    noms = re.findall(r"{([^}]+)}", chemin)
    combinaisons: list[dict[str, Any]] = [{}]
    for position, nom in enumerate(noms):
        if nom in SOURCES:
            liste, cle = SOURCES[nom]
        else:
            # The collection is the path up to this parameter, with the parents already chosen.
            liste, cle = chemin[: chemin.index("{" + nom + "}")], nom
            if cle not in ("id", "code", "numero", "annee"):
                return []
        suivantes = []
        for parents in combinaisons:
            url = liste.format(**parents) if position else liste
            objets = _lire(schema, user, url, bilan)
            for objet in objets[:VALEURS_MAX]:
                if isinstance(objet, dict) and cle in objet:
                    suivantes.append({**parents, nom: objet[cle]})
        combinaisons = suivantes[:VALEURS_MAX]
    return combinaisons


def _fuzzer(schema: Any, operation: Any, user: User, bilan: Bilan) -> None:
    reelles = _valeurs_reelles(schema, user, operation.path, bilan) if "{" in operation.path else []
    sans_id = "{" not in operation.path
    strategies = [
        (mode, EXEMPLES_REELS if sans_id else EXEMPLES_GENERES, operation.as_strategy(generation_mode=mode))
        for mode in GenerationMode
    ]
    # With the real ids fixed, a negative case can only negate the query or the body (the headers and cookies are
    # the authentication schemes, replaced by the role's token): without them, Hypothesis would reject draw after
    # draw (about a third of the run's time) for no request.
    negatif = bool(operation.query or operation.body)
    modes = list(GenerationMode) if negatif else [GenerationMode.POSITIVE]
    for mode in modes if reelles else []:

        def avec_ids(valeurs: dict[str, Any], mode: GenerationMode = mode) -> Any:
            return operation.as_strategy(mode, path_parameters=valeurs)

        strategies.append((mode, EXEMPLES_REELS, st.sampled_from(reelles).flatmap(avec_ids)))
    for mode, exemples, strategie in strategies:

        @settings(
            max_examples=exemples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategie)
        def executer(case: Any) -> None:
            reponse = case.call(headers=_en_tetes(user))
            bilan.requetes += 1
            bilan.statuts[reponse.status_code] += 1
            if reponse.status_code >= 500:
                bilan.erreurs_serveur += 1
            try:
                case.validate_response(reponse, checks=CONTROLES)
            except FailureGroup as groupe:
                for echec in groupe.exceptions:
                    precision = (echec.message or "").split("\n")[0][:40]
                    cle = f"{operation.label} [{type(echec).__name__} {precision}]"
                    bilan.echecs.setdefault(cle, f"{echec.title}: {echec.message[:600]}\n    {case.as_curl_command()}")
            except AssertionError as echec:
                bilan.echecs.setdefault(f"{operation.label}", f"{echec}"[:800])

        try:
            executer()
        except Unsatisfiable:
            # Nothing to negate (no parameter, no body, or only the fixed real ids): no negative case exists.
            if mode is GenerationMode.POSITIVE:
                raise


@pytest.fixture
def schema_api(db):
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    with _connexion_conservee():
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.mark.parametrize("role", list(ROLES))
def test_fuzzing_de_l_api(schema_api, role, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # the 4xx the fuzzing provokes are expected
    user = User.objects.get(email=COMPTES[role][0])
    bilan = Bilan()
    debut = time.monotonic()
    for resultat in schema_api.get_all_operations():
        operation = resultat.ok()
        bilan.operations += 1
        _fuzzer(schema_api, operation, user, bilan)
    print(  # noqa: T201 -- the figures of the run, shown by `pytest -s` (and asked for in the issue's closing note)
        f"\nSchemathesis ({connection.vendor}), {ROLES[role]} : {bilan.operations} opérations, "
        f"{bilan.requetes} requêtes en {time.monotonic() - debut:.0f} s, "
        f"{bilan.erreurs_serveur} erreurs serveur (5xx), {len(bilan.echecs)} écarts au schéma ou erreurs ; "
        f"statuts : {dict(sorted(bilan.statuts.items()))}"
    )
    assert not bilan.echecs, "\n".join(f"- {cle} : {texte}" for cle, texte in sorted(bilan.echecs.items()))
