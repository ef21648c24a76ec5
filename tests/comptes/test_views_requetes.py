"""Pinned query count of the dashboard, the same for a référent of 3 and of 40 collectifs (SPEC §9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.collectifs.factories import CollectifFactory
from tests.vues import brouillon, brouillon_pret, deposer

# session, user, the départements instructed (none here), the header's roles (référent? instructeur?), the
# collectifs (with département), their declarations (with campaign) in one prefetch, and the funder the account
# reads (none here), the employer it answers for (none here), and the collectifs it accompanies (R10, none here).
REQUETES_TABLEAU_DE_BORD = 10


@pytest.mark.parametrize("nombre", [3, 40])
def test_tableau_de_bord(nombre, distribution, client, django_assert_num_queries):
    referent = distribution.referent_a
    # Collectif A: filed, then a new draft. The others: a draft each.
    deposer(brouillon_pret(distribution.collectif_a))
    brouillon(distribution.collectif_a)
    for rang in range(nombre - 1):
        brouillon(CollectifFactory(referent=referent, nom=f"Collectif numéro {rang:02d}"))
    client.force_login(referent)
    with django_assert_num_queries(REQUETES_TABLEAU_DE_BORD):
        reponse = client.get(reverse("tableau_de_bord"))
    page = reponse.content.decode()
    assert page.count('<h3 class="fr-card__title">') == nombre
    assert page.count("Continuer la déclaration<span") == nombre
    assert f"Collectif numéro {nombre - 2:02d}" in page
    assert distribution.collectif_a.nom in page
