"""Two référents adding the same association (same RNA) or institution (same SIRET) at the same moment share one
organisation (the load test of issue 13 created it twice, and every later lookup failed with a 500)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from collectifs.models import Organisation
from collectifs.services.collectif import DonneesOrganisation, organisation_obtenir

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOMBRE = 8


@pytest.fixture(autouse=True)
def _postgres_seulement():
    if connection.vendor != "postgresql":
        pytest.skip("La concurrence réelle se teste sur PostgreSQL.")


@pytest.mark.parametrize(
    "donnees",
    [
        DonneesOrganisation(nom="Amicale laïque de Montreynaud", rna="W423001234"),
        DonneesOrganisation(nom="Lycée Simone Weil", siret="19421095100423"),
    ],
)
def test_ajouts_simultanes_une_seule_organisation(donnees):
    barriere = threading.Barrier(NOMBRE)
    obtenues: list[int] = []
    erreurs: list[BaseException] = []
    verrou = threading.Lock()

    def ajouter():
        try:
            barriere.wait(timeout=30)
            organisation = organisation_obtenir(collectif=None, donnees=donnees)
            with verrou:
                obtenues.append(organisation.pk)
        except BaseException as erreur:
            with verrou:
                erreurs.append(erreur)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=ajouter) for _ in range(NOMBRE)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=120)

    assert erreurs == []
    [seule] = Organisation.objects.all()
    assert obtenues == [seule.pk] * NOMBRE
