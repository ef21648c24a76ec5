"""Concurrent filings on PostgreSQL: every récépissé gets its own number (SPEC §6)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from collectifs.services import declaration_deposer
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.instances.factories import CampagneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOMBRE = 12


@pytest.fixture(autouse=True)
def _postgres_seulement():
    if connection.vendor != "postgresql":
        pytest.skip("La concurrence réelle se teste sur PostgreSQL.")


def test_depots_simultanes_numeros_uniques_et_consecutifs():
    campagne = CampagneFactory(ouverte=True)
    declarations = []
    for rang in range(NOMBRE):
        referent = UserFactory()
        collectif = CollectifFactory(referent=referent, nom=f"Collectif concurrent {rang}")
        declarations.append((referent, DeclarationFactory(collectif=collectif, prete=True, campagne=campagne)))

    barriere = threading.Barrier(NOMBRE)
    numeros: list[str] = []
    erreurs: list[BaseException] = []
    verrou = threading.Lock()

    def deposer(referent, declaration):
        try:
            barriere.wait(timeout=30)
            document = declaration_deposer(acteur=referent, declaration=declaration)
            with verrou:
                numeros.append(document.numero)
        except BaseException as erreur:
            with verrou:
                erreurs.append(erreur)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=deposer, args=couple) for couple in declarations]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=120)

    assert erreurs == []
    assert sorted(numeros) == [f"REC-42-2027-{n:05d}" for n in range(1, NOMBRE + 1)]
