"""/instruction/, /taches/ and /campagnes/ show 50 rows a page (`?page=N`) with the DSFR pagination component;
a page past the end shows the last one, a page that is not a number gives 404; the query count does not grow
with the list nor with the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import listes_nationales as ln
from tests.vues import Page
from workflow import flows

# session, user, the page of rows with its total (one query), the header's roles; the task list also reads the
# late yearly check-ins (R11) of the instructeur's départements (one query). The declarations and the task lists
# read the user's campaigns once more, for the choices of their filters (campaign, year, département).
REQUETES = {"collectifs:instruction": 5, "workflow:taches": 6, "campagnes:campagnes": 4}


def _remplir(nom: str, departements, nombre: int) -> None:
    if nom == "campagnes:campagnes":
        ln.campagnes(departements, nombre)
    else:
        ln.declarations(departements, nombre, processus=nom == "workflow:taches")


def _lignes(page: Page) -> int:
    return len(page.tous("tbody tr"))


@pytest.mark.parametrize("nom", list(REQUETES))
@pytest.mark.parametrize(("nombre", "numero", "attendues"), [(60, 2, 10), (130, 2, 50), (130, 3, 30)])
def test_pages_et_requetes(nom, nombre, numero, attendues, distribution, client, django_assert_num_queries):
    _remplir(nom, ln.departements(1), nombre)
    client.force_login(distribution.instructeur_42)
    with django_assert_num_queries(REQUETES[nom]):
        reponse = client.get(reverse(nom), {"page": numero})
    page = Page(reponse)
    # /campagnes/ also lists the shared 2027 campaign of the Loire.
    supplement = 1 if nom == "campagnes:campagnes" else 0
    total = nombre + supplement
    pages = (total + 49) // 50
    assert _lignes(page) == (attendues + supplement if numero == pages else 50)
    assert f"Page {numero} sur {pages}" in reponse.content.decode()


@pytest.mark.parametrize("nom", list(REQUETES))
def test_composant_dsfr_accessible(nom, distribution, client):
    _remplir(nom, ln.departements(1), 120)
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(reverse(nom), {"page": 2}))
    nav = page.un("nav.fr-pagination")
    assert Page.attribut(nav, "aria-label").startswith("Pagination des ")
    courante = page.un('.fr-pagination__link[aria-current="page"]')
    assert Page.texte(courante) == "2"
    liens = {Page.texte(a): Page.attribut(a, "href") for a in page.tous(".fr-pagination__link[href]")}
    assert liens["Première page"] == "?page=1"
    assert liens["Page précédente"] == "?page=1"
    assert liens["Page suivante"] == "?page=3"
    assert liens["Dernière page"] == "?page=3"
    assert liens["3"] == "?page=3"
    # On the first page, the backward links are disabled, not removed.
    page = Page(client.get(reverse(nom)))
    desactives = [Page.texte(a) for a in page.tous('.fr-pagination__link[aria-disabled="true"]')]
    assert desactives == ["Première page", "Page précédente"]


@pytest.mark.parametrize("nom", list(REQUETES))
def test_une_seule_page_sans_pagination(nom, distribution, client):
    _remplir(nom, ln.departements(1), 5)
    client.force_login(distribution.instructeur_42)
    reponse = client.get(reverse(nom))
    assert reponse.status_code == 200
    assert "fr-pagination" not in reponse.content.decode()


@pytest.mark.parametrize("nom", list(REQUETES))
def test_page_invalide(nom, distribution, client):
    _remplir(nom, ln.departements(1), 60)
    client.force_login(distribution.instructeur_42)
    for valeur in ("abc", "0", "-1", "1.5", "9" * 30, "²"):
        assert client.get(reverse(nom), {"page": valeur}).status_code == 404, valeur
    # Past the end: the last page.
    reponse = client.get(reverse(nom), {"page": 99})
    assert reponse.status_code == 200
    assert "Page 2 sur 2" in reponse.content.decode()


def test_national_voit_tout_le_pays_page_par_page(distribution, client):
    ln.declarations(ln.departements(3), 60)
    client.force_login(distribution.national)
    reponse = client.get(reverse("collectifs:instruction"), {"page": 4})
    assert "Page 4 sur 4" in reponse.content.decode()
    assert _lignes(Page(reponse)) == 30


def test_taches_les_miennes_d_abord_et_les_nombres_de_chaque_partie(distribution, client):
    """The sections follow each other across pages; each heading gives the size of its whole section."""
    declarations = ln.declarations(ln.departements(1), 70, processus=True)
    for declaration in declarations[:3]:
        flows.tache_attribuer_si_libre(declaration.pk, distribution.instructeur_42)
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(reverse("workflow:taches")))
    assert Page.texte(page.un("#titre-mes-taches")) == "Prises en charge par vous (3)"
    assert Page.texte(page.un("#titre-file")) == "À prendre en charge (67)"
    assert len(page.tous("#tableau-mes-taches tbody tr")) == 3
    assert len(page.tous("#tableau-file tbody tr")) == 47
    page = Page(client.get(reverse("workflow:taches"), {"page": 2}))
    assert page.tous("#tableau-mes-taches") == []
    assert Page.texte(page.un("#titre-mes-taches")) == "Prises en charge par vous (3)"
    assert Page.texte(page.un('section[aria-labelledby="titre-mes-taches"] p')) == "Sur d'autres pages de la liste."
    assert len(page.tous("#tableau-file tbody tr")) == 20
