"""The declarations list (/instruction/, `collectifs.filtres.ListeDeclarations`): it opens on the files in progress
(a decided file of an earlier campaign does not mix with the current ones), searches the collectif's name and the
filing number, filters by progress, state, campaign, year and département (choices limited to the user's scope),
sorts, paginates, exports what is shown (CSV, XLSX), is the staff's only, with a pinned query count."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from documents.enums import TypeDocument
from documents.models import Document
from territoires.models import Departement
from tests import listes_nationales as ln
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.instances.factories import CampagneFactory
from tests.listes import cellules, compter, contenu, exporter, lire_csv, lire_xlsx, verifier_refus
from tests.vues import Page

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
URL = reverse("collectifs:instruction")
DEPOT = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)


def _locale(*morceaux: int) -> datetime.datetime:
    """A local time as the XLSX holds it (no time zone)."""
    return datetime.datetime(*morceaux, tzinfo=PARIS).replace(tzinfo=None)


def _deposee(nom: str, campagne, etat: str = EtatDeclaration.DEPOSEE, jours: int = 0, departement: str = "42"):
    collectif = CollectifFactory(nom=nom, departement=Departement.objects.get(code=departement))
    declaration = DeclarationFactory(collectif=collectif, campagne=campagne, etat=etat, deposee_le=DEPOT)
    Declaration.objects.filter(pk=declaration.pk).update(deposee_le=DEPOT + datetime.timedelta(days=jours))
    return declaration


def _recepisse(declaration: Declaration, numero: str, sequence: int) -> None:
    Document.objects.create(
        numero=numero,
        type=TypeDocument.RECEPISSE,
        departement="42",
        annee=2027,
        sequence=sequence,
        fichier=f"recepisses/{numero}.pdf",
        sha256="0" * 64,
        taille=1,
        titre="Récépissé de déclaration",
        content_type=ContentType.objects.get_for_model(Declaration),
        object_id=declaration.pk,
    )


@pytest.fixture
def jeu(distribution):
    """In the Loire: three files of the 2027 campaign in progress, one agreed file of 2026; in the Rhône: one."""
    c2027 = distribution.campagne
    c2026 = CampagneFactory(annee=2026, close=True)
    rhone = CampagneFactory(annee=2027, departement=Departement.objects.get(code="69"))
    d = {
        "jardin": _deposee("Jardin partagé", c2027, EtatDeclaration.EN_INSTRUCTION, jours=2),
        "cuisine": _deposee("Cuisine du quartier", c2027, jours=1),
        "velo": _deposee("Atelier vélo", c2027, EtatDeclaration.A_COMPLETER, jours=3),
        "ancienne": _deposee("Collectif agréé en 2026", c2026, EtatDeclaration.AGREEE, jours=-300),
        "rhone": _deposee("Collectif du Rhône", rhone, departement="69"),
    }
    _recepisse(d["cuisine"], "REC-42-2027-0007", 7)
    return d


def _noms(client, **parametres) -> list[str]:
    return cellules(client.get(URL, parametres), 1)


def test_s_ouvre_sur_les_declarations_en_cours(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    reponse = client.get(URL)
    page = Page(reponse)
    assert Page.texte(page.un("h1")) == "Déclarations"
    assert "<title>Déclarations" in reponse.content.decode()
    # Oldest filing first, the 2026 agreed file is not mixed in, nor the Rhône's.
    assert _noms(client) == ["Cuisine du quartier", "Jardin partagé", "Atelier vélo"]
    assert page.valeur("avancement") == "en_cours"
    assert Page.texte(page.un("#nombre-resultats")) == "3 résultats"
    assert _noms(client, avancement="") == [
        "Collectif agréé en 2026",
        "Cuisine du quartier",
        "Jardin partagé",
        "Atelier vélo",
    ]
    assert _noms(client, avancement="decidees") == ["Collectif agréé en 2026"]


def test_recherche_par_nom_et_par_numero(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    assert _noms(client, q="jardin") == ["Jardin partagé"]
    assert _noms(client, q="REC-42-2027-0007") == ["Cuisine du quartier"]
    assert cellules(client.get(URL, {"q": "0007"}), 0) == ["REC-42-2027-0007"]
    assert _noms(client, q="rhône") == []  # another département: never more than the user sees
    reponse = client.get(URL, {"q": "introuvable"})
    assert "Aucune déclaration ne correspond à cette recherche ou à ces filtres." in reponse.content.decode()


def test_chaque_filtre(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    assert _noms(client, etat="a_completer") == ["Atelier vélo"]
    assert _noms(client, avancement="", campagne=jeu["ancienne"].campagne_id) == ["Collectif agréé en 2026"]
    assert _noms(client, avancement="", annee="2026") == ["Collectif agréé en 2026"]
    assert _noms(client, departement="42") == ["Cuisine du quartier", "Jardin partagé", "Atelier vélo"]
    client.force_login(distribution.national)
    assert _noms(client, departement="69") == ["Collectif du Rhône"]
    assert len(_noms(client)) == 4


def test_les_choix_des_filtres_sont_ceux_du_perimetre(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(URL))
    campagnes = [Page.texte(o) for o in page.tous('select[name="campagne"] option')]
    assert campagnes == ["Toutes les campagnes", "2027 — Loire (42)", "2026 — Loire (42)"]
    assert [Page.texte(o) for o in page.tous('select[name="departement"] option')] == [
        "Tous les départements",
        "Loire (42)",
    ]
    # A campaign of another département is not a valid choice: message next to the field, other filters applied.
    reponse = client.get(URL, {"campagne": jeu["rhone"].campagne_id, "q": "jardin"})
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in Page(reponse).erreur_du_champ("campagne")
    assert cellules(reponse, 1) == ["Jardin partagé"]


def test_tri(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    assert _noms(client, tri="collectif") == ["Atelier vélo", "Cuisine du quartier", "Jardin partagé"]
    assert _noms(client, tri="-collectif") == ["Jardin partagé", "Cuisine du quartier", "Atelier vélo"]
    assert _noms(client, tri="-depot") == ["Atelier vélo", "Jardin partagé", "Cuisine du quartier"]
    # By state, in the order of the lifecycle: déposée, en instruction, à compléter.
    assert _noms(client, tri="etat") == ["Cuisine du quartier", "Jardin partagé", "Atelier vélo"]
    page = Page(client.get(URL, {"tri": "-collectif"}))
    trie = page.un('th[aria-sort="descending"]')
    assert Page.texte(trie).startswith("Collectif")
    assert Page.attribut(trie.query("a"), "href") == "?tri=collectif"


def test_pagination_et_exports_de_toutes_les_pages(distribution, client):
    ln.declarations(ln.departements(1), 60)
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(URL, {"tri": "-collectif", "page": 2}))
    assert len(page.tous("tbody tr")) == 10
    assert Page.texte(page.tous("tbody tr td")[1]) == "Collectif 009 du 42"
    liens = {Page.texte(a): Page.attribut(a, "href") for a in page.tous(".fr-pagination__link[href]")}
    assert liens["Page précédente"] == "?tri=-collectif&page=1"
    export = {Page.texte(a): Page.attribut(a, "href") for a in page.tous("a[href*='export=']")}
    assert export == {"Exporter (CSV)": "?tri=-collectif&export=csv", "Exporter (XLSX)": "?tri=-collectif&export=xlsx"}
    lignes = exporter(client, URL, "csv", tri="-collectif")
    assert len(lignes) == 61
    assert [ligne[1] for ligne in lignes[1:3]] == ["Collectif 059 du 42", "Collectif 058 du 42"]
    # « 05 »: collectifs 005 and 050 to 059.
    assert len(exporter(client, URL, "xlsx", tri="-collectif", q="05")) == 12


def test_exports_cellule_par_cellule(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    lignes = exporter(client, URL, "csv", etat="deposee")
    assert lignes == [
        ["Numéro", "Collectif", "Département", "Campagne", "Déposée le", "État"],
        ["REC-42-2027-0007", "Cuisine du quartier", "Loire (42)", "2027", "02/03/2027 10:00", "Déposée"],
    ]
    lignes = exporter(client, URL, "xlsx", q="vélo")
    assert lignes == [
        ["Numéro", "Collectif", "Département", "Campagne", "Déposée le", "État"],
        [None, "Atelier vélo", "Loire (42)", 2027, _locale(2027, 3, 4, 10, 0), "À compléter"],
    ]


def test_permissions(jeu, distribution, client):
    verifier_refus(client, distribution, URL)
    client.force_login(distribution.instructeur_autre)
    assert _noms(client) == ["Collectif du Rhône"]
    assert [ligne[1] for ligne in exporter(client, URL, "csv")[1:]] == ["Collectif du Rhône"]


# Session, user, the user's roles (the instructeur row, read again by the header), the campaigns of the user's scope
# (the choices of the filters), the page of declarations with its total: five queries. An export: the same minus
# the page, plus every filtered row in one query.
REQUETES = {"page": 5, "csv": 5, "xlsx": 5}


@pytest.mark.parametrize("format_", list(REQUETES))
@pytest.mark.parametrize("nombre", [3, 60])
def test_requetes_constantes(nombre, format_, distribution, client, django_assert_num_queries):
    ln.declarations(ln.departements(1), nombre)
    client.force_login(distribution.instructeur_42)
    parametres = {"q": "Collectif", "etat": "deposee", "tri": "-collectif"}
    if format_ != "page":
        parametres["export"] = format_
    contenu(client.get(URL, parametres))
    corps = compter(client, URL, parametres, django_assert_num_queries, REQUETES[format_])
    if format_ == "csv":
        assert len(lire_csv(corps)) == nombre + 1
    elif format_ == "xlsx":
        assert len(lire_xlsx(corps)) == nombre + 1
    else:
        assert corps.decode().count("<tr>") == min(nombre, 50) + 1
