"""The staff's collectifs list (/collectifs/, `collectifs.filtres.ListeCollectifs`): the collectifs the user sees
(instructeurs: their départements' that filed; national staff: all), with their communes, current members, latest
declaration and convention; search, filters, sort, pagination, exports (CSV, XLSX), permissions and a pinned query
count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration
from fonds.models import Convention, Fonds
from territoires.models import Departement
from tests import listes_nationales as ln
from tests.collectifs.factories import CollectifFactory, DeclarationFactory, MembreFactory
from tests.instances.factories import CampagneFactory
from tests.listes import cellules, compter, contenu, exporter, lire_csv, lire_xlsx, page_de, verifier_refus
from tests.vues import Page

pytestmark = pytest.mark.django_db

URL = reverse("collectifs:collectifs")
DEPOT = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _collectif(nom: str, campagne, etat: str | None, *, membres: int = 0, codes: str = "42218", dep: str = "42"):
    collectif = CollectifFactory(nom=nom, codes_communes=codes, departement=Departement.objects.get(code=dep))
    for _ in range(membres):
        MembreFactory(collectif=collectif)
    if etat is not None:
        DeclarationFactory(collectif=collectif, campagne=campagne, etat=etat, deposee_le=DEPOT)
    return collectif


@pytest.fixture
def jeu(distribution):
    campagne = distribution.campagne
    rhone = CampagneFactory(annee=2027, departement=Departement.objects.get(code="69"))
    c = {
        "jardin": _collectif("Jardin partagé", campagne, EtatDeclaration.AGREEE, membres=5, codes="42218,42095"),
        "cuisine": _collectif("Cuisine du quartier", campagne, EtatDeclaration.EN_INSTRUCTION, membres=2),
        "brouillon": _collectif("Collectif en brouillon", campagne, EtatDeclaration.BROUILLON),
        "rhone": _collectif("Collectif du Rhône", rhone, EtatDeclaration.DEPOSEE, dep="69", codes="69123"),
    }
    declaration = Declaration.objects.get(collectif=c["jardin"])
    Convention.objects.create(
        fonds=Fonds.objects.create(nom="Fonds des listes"),
        departement_id="42",
        declaration=declaration,
        campagne=campagne,
        beneficiaire="Jardin partagé",
        objet="Jardin",
        date_debut=datetime.date(2028, 1, 1),
        date_fin=datetime.date(2030, 12, 31),
    )
    return c


def _noms(client, **parametres) -> list[str]:
    return cellules(client.get(URL, parametres), 0)


def test_colonnes_et_perimetre(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    reponse = client.get(URL)
    page = Page(reponse)
    assert Page.texte(page.un("h1")) == "Collectifs"
    lignes = [[Page.texte(c) for c in ligne.query_all("th, td")] for ligne in page.tous("tbody tr")]
    # Collectifs without a filed declaration and those of other départements are not shown to the instructeur.
    assert lignes == [
        ["Cuisine du quartier", "Loire (42)", "42218", "2", "En instruction", "—"],
        ["Jardin partagé", "Loire (42)", "42218,42095", "5", "Agréée", "Active"],
    ]
    lien = page.tous("tbody th a")[1]
    declaration = Declaration.objects.get(collectif=jeu["jardin"])
    assert Page.attribut(lien, "href") == reverse("instances:declaration_detail", args=[declaration.pk])
    client.force_login(distribution.national)
    assert "Collectif du Rhône" in _noms(client)


def test_recherche_filtres_et_tri(jeu, distribution, client):
    client.force_login(distribution.national)
    assert _noms(client, q="jardin") == ["Jardin partagé"]
    assert _noms(client, q="42095") == ["Jardin partagé"]
    assert _noms(client, departement="69") == ["Collectif du Rhône"]
    assert _noms(client, etat="en_instruction") == ["Cuisine du quartier"]
    assert _noms(client, convention="avec") == ["Jardin partagé"]
    assert "Jardin partagé" not in _noms(client, convention="sans")
    assert _noms(client, tri="-membres", departement="42")[:2] == ["Jardin partagé", "Cuisine du quartier"]
    assert _noms(client, tri="-nom", departement="42")[0] == "Jardin partagé"
    # By the latest declaration's state, in lifecycle order: déposée, en instruction, agréée.
    assert _noms(client, tri="declaration")[:3] == [
        "Collectif du Rhône",
        "Cuisine du quartier",
        "Jardin partagé",
    ]
    reponse = client.get(URL, {"etat": "inconnu"})
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in Page(reponse).erreur_du_champ("etat")


def test_exports_cellule_par_cellule(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    entetes = ["Collectif", "Département", "Communes (codes INSEE)", "Membres", "Dernière déclaration", "Convention"]
    assert exporter(client, URL, "csv") == [
        entetes,
        ["Cuisine du quartier", "Loire (42)", "42218", "2", "En instruction", ""],
        ["Jardin partagé", "Loire (42)", "42218,42095", "5", "Agréée", "Active"],
    ]
    assert exporter(client, URL, "xlsx", q="jardin") == [
        entetes,
        ["Jardin partagé", "Loire (42)", "42218,42095", 5, "Agréée", "Active"],
    ]


def test_pagination(distribution, client):
    ln.declarations(ln.departements(1), 60)
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(URL, {"tri": "-nom", "page": 2}))
    assert len(page.tous("tbody tr")) == 10
    assert Page.texte(page.tous("tbody th")[0]) == "Collectif 009 du 42"
    assert Page.attribut(page.un("a[href$='export=xlsx']"), "href") == "?tri=-nom&export=xlsx"
    assert len(exporter(client, URL, "xlsx", tri="-nom")) == 61


def test_permissions(jeu, distribution, client):
    verifier_refus(client, distribution, URL)
    client.force_login(distribution.instructeur_autre)
    assert _noms(client) == ["Collectif du Rhône"]
    assert [ligne[0] for ligne in exporter(client, URL, "csv")] == ["Collectif", "Collectif du Rhône"]


# Session, user, the user's roles (the instructeur row, read again by the header), the campaigns of the scope (the
# département filter's choices), the page of collectifs with their counts and states: five. An export: the same,
# the rows in one query.
REQUETES = {"page": 5, "csv": 5, "xlsx": 5}


@pytest.mark.parametrize("format_", list(REQUETES))
@pytest.mark.parametrize("nombre", [3, 60])
def test_requetes_constantes(nombre, format_, distribution, client, django_assert_num_queries):
    ln.declarations(ln.departements(1), nombre)
    for collectif in Collectif.objects.all()[:3]:
        MembreFactory(collectif=collectif)
    client.force_login(distribution.instructeur_42)
    parametres = {"q": "Collectif", "departement": "42", "tri": "-membres"}
    if format_ != "page":
        parametres["export"] = format_
    contenu(client.get(URL, parametres))
    corps = compter(client, URL, parametres, django_assert_num_queries, REQUETES[format_])
    if format_ == "csv":
        assert len(lire_csv(corps)) == nombre + 1
    elif format_ == "xlsx":
        assert len(lire_xlsx(corps)) == nombre + 1
    else:
        assert len(page_de(corps).tous("tbody tr")) == min(nombre, 50)
