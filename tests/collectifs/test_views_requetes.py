"""Pinned query counts of the collectifs list pages, the same at 3 and at 40 rows (SPEC §9)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from collectifs.enums import College, EtatDeclaration
from collectifs.models import Declaration
from tests.collectifs.factories import CollectifFactory, OrganisationFactory
from tests.vues import brouillon, membre

TAILLES = [3, 40]

# session, user, the declarations (with collectif, département, campaign), the header's roles
# (référent? instructeur?), and the campaigns of the user's scope (the choices of the list's filters): the same
# whatever the number of rows.
REQUETES_INSTRUCTION = {"instructeur_42": 5, "national": 5}
# session, user, the draft, the référents (prefetched), members (with organisation), the campaign of filing,
# the current members' colleges, and the header's roles; the step list's states (collectifs.etapes: the filing
# conditions, +4: the campaign, the other filings, the colleges, the institutions); « Besoin d'aide ? » (the
# département's instance, then its instructeurs when it gave no contact, +2).
REQUETES_ETAPE_MEMBRES = 15


def _declarations_deposees(distribution, nombre: int) -> None:
    for rang in range(nombre):
        collectif = CollectifFactory(nom=f"Collectif numéro {rang:02d} de la Loire")
        Declaration.objects.create(
            collectif=collectif,
            campagne=distribution.campagne,
            etat=EtatDeclaration.DEPOSEE,
            deposee_le=timezone.now(),
        )
    # Drafts never appear in the instruction list.
    brouillon(distribution.collectif_b)


@pytest.mark.parametrize("role", ["instructeur_42", "national"])
@pytest.mark.parametrize("nombre", TAILLES)
def test_instruction(nombre, role, distribution, client, django_assert_num_queries):
    _declarations_deposees(distribution, nombre)
    client.force_login(distribution.utilisateur(role))
    with django_assert_num_queries(REQUETES_INSTRUCTION[role]):
        reponse = client.get(reverse("collectifs:instruction"))
    page = reponse.content.decode()
    assert page.count("Collectif numéro ") == nombre
    assert f"Collectif numéro {nombre - 1:02d} de la Loire" in page
    assert distribution.collectif_b.nom not in page


@pytest.mark.parametrize("nombre", TAILLES)
def test_etape_membres(nombre, distribution, client, django_assert_num_queries):
    collectif = distribution.collectif_a
    declaration = brouillon(collectif)
    colleges = [College.ELU_RESPONSABLE, College.PROFESSIONNEL, College.HABITANT]
    for rang in range(nombre):
        membre(
            collectif,
            colleges[rang % 3],
            f"Prénom{rang:02d}",
            f"Nom{rang:02d}",
            organisation=OrganisationFactory(nom=f"Structure {rang:02d}") if rang % 2 else None,
            fonction="Habitante" if rang % 3 == 2 else "",
        )
    client.force_login(distribution.referent_a)
    with django_assert_num_queries(REQUETES_ETAPE_MEMBRES):
        reponse = client.get(reverse("collectifs:etape_membres", args=[declaration.pk]))
    page = reponse.content.decode()
    assert page.count(">Modifier<span") == nombre
    assert f"Prénom{nombre - 1:02d} Nom{nombre - 1:02d}" in page
    assert f"Structure {nombre - 1 if (nombre - 1) % 2 else nombre - 2:02d}" in page
