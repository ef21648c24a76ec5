"""Pinned query count of the dashboard, the same for a référent of 3 and of 40 collectifs (SPEC §9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.collectifs.factories import CollectifFactory
from tests.vues import brouillon, brouillon_pret, deposer

# session, user, the role detection (config.tableaux: the collectifs with their declarations in one prefetch, the
# départements instructed, the instance memberships, the accompaniments, the employer, the funder), the header's
# « instructeur ? » (the other roles are known), the open request for more (none: no query), and the blockers of
# the first five drafts (config.tableaux.BROUILLONS_DETAILLES), the same for 6 drafts as for 40.
REQUETES_TABLEAU_DE_BORD = 26


@pytest.mark.parametrize("nombre", [6, 40])
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
    assert page.count("Continuer<span") == nombre
    assert f"Collectif numéro {nombre - 2:02d}" in page
    assert distribution.collectif_a.nom in page
