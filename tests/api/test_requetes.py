"""API lists run a constant number of SQL queries whatever the number of rows (SPEC §9)."""

from __future__ import annotations

import datetime

import pytest

from collectifs.enums import College
from territoires.models import Departement
from tests.api.conftest import deposee, recepisse_de_test
from tests.collectifs.factories import (
    CollectifFactory,
    DeclarationFactory,
    MembreFactory,
    OrganisationFactory,
)
from tests.instances.factories import CampagneFactory

R = "/api/v1/"
TAILLES = [3, 40]


def _collectifs(d, n):
    for _ in range(n - 1):  # référent A already has collectif A
        collectif = CollectifFactory(referent=d.referent_a, institutions=[OrganisationFactory(), OrganisationFactory()])
        DeclarationFactory(collectif=collectif, campagne=d.campagne)
    return R + "collectifs/", d.referent_a


def _campagnes(d, n):
    departements = list(Departement.objects.exclude(code="42").order_by("code")[:n])
    for departement in departements[: n - 1]:
        CampagneFactory(departement=departement, annee=2027)
    return R + "campagnes/", d.national


def _membres(d, n):
    colleges = list(College.values)
    for i in range(n):
        MembreFactory(
            collectif=d.collectif_a,
            college=colleges[i % 3],
            organisation=OrganisationFactory() if i % 2 else None,
            date_fin=datetime.date(2030, 1, 1) if i % 5 == 0 else None,
        )
    return R + f"collectifs/{d.collectif_a.pk}/membres/", d.referent_a


def _declarations(d, n):
    for i in range(n):
        declaration = deposee(CollectifFactory(), d.campagne)
        recepisse_de_test(declaration, sequence=100 + i)
        declaration.indicateurs.create(libelle="Paroles d'habitant·es")
    return R + "declarations/", d.instructeur_42


def _campagnes_instructeur(d, n):
    for annee in range(2028, 2028 + n - 1):  # plus the open 2027 campaign
        CampagneFactory(annee=annee)
    return R + "campagnes/", d.instructeur_42


# (name, builder, queries): session + user, then what the list itself needs
# (count + page, then one query per prefetched relation; the instructeur row for campaigns).
LISTES = [
    ("campagnes-national", _campagnes, 4),
    ("campagnes-instructeur", _campagnes_instructeur, 5),
    ("collectifs", _collectifs, 7),  # institutions and quartiers prioritaires prefetched
    ("membres", _membres, 5),
    ("declarations", _declarations, 6),
]


@pytest.mark.parametrize("taille", TAILLES)
@pytest.mark.parametrize(("nom", "construire", "requetes"), LISTES, ids=[cas[0] for cas in LISTES])
def test_nombre_de_requetes_constant(api, distribution, django_assert_num_queries, nom, construire, requetes, taille):
    url, user = construire(distribution, taille)
    client = api.en(user)
    with django_assert_num_queries(requetes):
        reponse = client.get(url)
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] == len(corps["results"]) == taille


def test_nombre_de_requetes_des_departements(api, distribution, django_assert_num_queries):
    """Reference data, not paginated: session + user + the list."""
    client = api.en(distribution.referent_a)
    with django_assert_num_queries(3):
        reponse = client.get(R + "departements/")
    assert len(reponse.json()) == 101
