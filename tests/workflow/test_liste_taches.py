"""The task list (/taches/, `workflow.filtres.ListeTaches`): search by collectif, filters (who holds the task, the
declaration's state, département, campaign), sort by deadline or filing date inside each section, pagination,
exports of the filtered tasks (CSV, XLSX), the instructeurs' only, with a pinned query count."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from tests import listes_nationales as ln
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.instances.factories import CampagneFactory
from tests.listes import compter, contenu, exporter, lire_csv, lire_xlsx, page_de, verifier_refus
from tests.vues import Page
from workflow import flows

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
URL = reverse("workflow:taches")
DEPOT = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)


def _locale(*morceaux: int) -> datetime.datetime:
    """A local time as the XLSX holds it (no time zone)."""
    return datetime.datetime(*morceaux, tzinfo=PARIS).replace(tzinfo=None)


def _tache(nom: str, campagne: Campagne, jours: int, etat: str = EtatDeclaration.DEPOSEE) -> Declaration:
    declaration = DeclarationFactory(
        collectif=CollectifFactory(nom=nom),
        campagne=campagne,
        etat=etat,
        deposee_le=DEPOT + datetime.timedelta(days=jours),
    )
    flows.processus_demarrer(declaration.pk)
    return declaration


@pytest.fixture
def jeu(distribution):
    """Three tasks in the 2027 campaign (60 days to instruct), one in the 2026 campaign (10 days): filed last, it
    is due first. The instructeur holds the « Jardin » task."""
    Campagne.objects.filter(pk=distribution.campagne.pk).update(delai_instruction_jours=60)
    courte = CampagneFactory(annee=2026, close=True, delai_instruction_jours=10)
    d = {
        "cuisine": _tache("Cuisine du quartier", distribution.campagne, 0),
        "jardin": _tache("Jardin partagé", distribution.campagne, 1, EtatDeclaration.EN_INSTRUCTION),
        "velo": _tache("Atelier vélo", distribution.campagne, 2),
        "urgent": _tache("Dossier urgent", courte, 5),
    }
    flows.tache_attribuer_si_libre(d["jardin"].pk, distribution.instructeur_42)
    return d


def _noms(client, **parametres) -> list[str]:
    page = Page(client.get(URL, parametres))
    return [Page.texte(ligne.query("th")) for ligne in page.tous("tbody tr")]


def test_recherche_et_filtres(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    # The user's task first, then the queue (oldest filing first).
    assert _noms(client) == ["Jardin partagé", "Cuisine du quartier", "Atelier vélo", "Dossier urgent"]
    assert _noms(client, q="vélo") == ["Atelier vélo"]
    assert _noms(client, prise_en_charge="moi") == ["Jardin partagé"]
    assert _noms(client, prise_en_charge="libre") == ["Cuisine du quartier", "Atelier vélo", "Dossier urgent"]
    assert _noms(client, prise_en_charge="collegues") == []
    assert _noms(client, etat="en_instruction") == ["Jardin partagé"]
    assert _noms(client, campagne=jeu["urgent"].campagne_id) == ["Dossier urgent"]
    assert _noms(client, departement="42", q="cuisine") == ["Cuisine du quartier"]
    page = Page(client.get(URL, {"prise_en_charge": "libre"}))
    # Each section's size is counted on the filtered tasks.
    assert Page.texte(page.un("#titre-file")) == "À prendre en charge (3)"
    assert Page.texte(page.un("#titre-mes-taches")) == "Prises en charge par vous (0)"
    assert Page.texte(page.un("#nombre-resultats")) == "3 résultats"
    reponse = client.get(URL, {"q": "introuvable"})
    assert "Aucune tâche ne correspond à cette recherche ou à ces filtres." in reponse.content.decode()


def test_valeur_invalide_message_a_cote_du_champ(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    reponse = client.get(URL, {"prise_en_charge": "tout-le-monde", "q": "vélo"})
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in Page(reponse).erreur_du_champ("prise_en_charge")
    assert _noms(client, prise_en_charge="tout-le-monde", q="vélo") == ["Atelier vélo"]


def test_tri_par_echeance_et_par_depot(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    # The 2026 file, due 10 days after its filing, comes before those due 60 days after theirs.
    assert _noms(client, tri="echeance") == ["Jardin partagé", "Dossier urgent", "Cuisine du quartier", "Atelier vélo"]
    assert _noms(client, tri="-echeance") == ["Jardin partagé", "Atelier vélo", "Cuisine du quartier", "Dossier urgent"]
    assert _noms(client, tri="-depot") == ["Jardin partagé", "Dossier urgent", "Atelier vélo", "Cuisine du quartier"]
    page = Page(client.get(URL, {"tri": "echeance"}))
    assert all(Page.texte(th).startswith("Échéance d'instruction") for th in page.tous('th[aria-sort="ascending"]'))
    assert len(page.tous('th[aria-sort="ascending"]')) == 2  # the user's section and the queue


def test_exports_cellule_par_cellule(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    entetes = [
        "Collectif",
        "Département",
        "Déposée le",
        "Échéance d'instruction",
        "État de la déclaration",
        "Prise en charge par",
    ]
    lignes = exporter(client, URL, "csv", tri="echeance")
    assert lignes[0] == entetes
    assert [ligne[0] for ligne in lignes[1:]] == [
        "Jardin partagé",
        "Dossier urgent",
        "Cuisine du quartier",
        "Atelier vélo",
    ]
    assert lignes[2] == ["Dossier urgent", "Loire (42)", "06/03/2027 09:00", "16/03/2027 09:00", "Déposée", ""]
    assert lignes[1][5] == str(distribution.instructeur_42)
    lignes = exporter(client, URL, "xlsx", q="cuisine")
    assert lignes == [
        entetes,
        [
            "Cuisine du quartier",
            "Loire (42)",
            _locale(2027, 3, 1, 9, 0),
            _locale(2027, 4, 30, 10, 0),
            "Déposée",
            None,
        ],
    ]


def test_pagination(distribution, client):
    ln.declarations(ln.departements(1), 60, processus=True)
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(URL, {"q": "Collectif", "page": 2}))
    assert len(page.tous("#tableau-file tbody tr")) == 10
    liens = {Page.texte(a): Page.attribut(a, "href") for a in page.tous(".fr-pagination__link[href]")}
    assert liens["Première page"] == "?q=Collectif&page=1"
    assert Page.attribut(page.un("a[href$='export=csv']"), "href") == "?q=Collectif&export=csv"
    assert len(exporter(client, URL, "csv", q="Collectif")) == 61


def test_permissions(jeu, distribution, client):
    verifier_refus(client, distribution, URL)
    client.force_login(distribution.national)  # the task list is the instructeurs'
    assert client.get(URL).status_code == 403
    client.force_login(distribution.instructeur_autre)
    assert _noms(client) == []
    assert len(exporter(client, URL, "csv")) == 1
    page = Page(client.get(URL))
    assert [Page.texte(o) for o in page.tous('select[name="departement"] option')] == ["Tous les départements"]


# Session, user, the instructeur row (the guard, cached for the header), the user's campaigns (the filters'
# choices), the page of tasks with the sizes of the sections, the late yearly check-ins (R11): six. An export: the
# same without the check-ins and the page, plus the filtered tasks in one query.
REQUETES = {"page": 6, "csv": 5, "xlsx": 5}


@pytest.mark.parametrize("format_", list(REQUETES))
@pytest.mark.parametrize("nombre", [3, 60])
def test_requetes_constantes(nombre, format_, distribution, client, django_assert_num_queries):
    ln.declarations(ln.departements(1), nombre, processus=True)
    client.force_login(distribution.instructeur_42)
    parametres = {"q": "Collectif", "prise_en_charge": "libre", "tri": "-echeance"}
    if format_ != "page":
        parametres["export"] = format_
    contenu(client.get(URL, parametres))
    corps = compter(client, URL, parametres, django_assert_num_queries, REQUETES[format_])
    if format_ == "csv":
        assert len(lire_csv(corps)) == nombre + 1
    elif format_ == "xlsx":
        assert len(lire_xlsx(corps)) == nombre + 1
    else:
        assert len(page_de(corps).tous("#tableau-file tbody tr")) == min(nombre, 50)
