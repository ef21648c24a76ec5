"""Pinned query count of the campaign list, the same at 3 and at 40 campaigns (SPEC §9)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory

# session, user, instructeur (access check), the campaigns with their département and filed count, and the
# header's roles (référent?).
REQUETES_CAMPAGNES = 4


@pytest.mark.parametrize("role", ["instructeur_42", "national"])
@pytest.mark.parametrize("nombre", [3, 40])
def test_campagnes(nombre, role, distribution, client, django_assert_num_queries):
    loire = Departement.objects.get(code="42")
    aujourd_hui = datetime.date.today()  # noqa: DTZ011
    campagnes = Campagne.objects.bulk_create(
        Campagne(
            departement=loire,
            annee=2030 + rang,
            quota=3,
            enveloppe_annuelle="90000.00",
            montant_minimal_annuel="15000.00",
            date_ouverture=aujourd_hui,
            date_cloture=aujourd_hui + datetime.timedelta(days=60),
        )
        for rang in range(nombre - 1)  # plus the shared 2027 campaign
    )
    # Filed declarations are counted per campaign, in the same query.
    for campagne in campagnes[:2]:
        Declaration.objects.create(
            collectif=CollectifFactory(), campagne=campagne, etat=EtatDeclaration.DEPOSEE, deposee_le=timezone.now()
        )
    client.force_login(distribution.utilisateur(role))
    with django_assert_num_queries(REQUETES_CAMPAGNES):
        reponse = client.get(reverse("campagnes:campagnes"))
    page = reponse.content.decode()
    assert page.count(" — Loire (42)</a>") == nombre
    assert f"{2030 + nombre - 2} — Loire (42)" in page
