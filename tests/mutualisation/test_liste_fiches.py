"""The staff lists of the practice sheets (`mutualisation.filtres`): a département's sheets and the national list of
published sheets. Search by title; filters by state, theme, year; sort; pagination; exports (CSV, XLSX) of what is
shown; permissions; a pinned query count for the page and each export."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from tests.collectifs.factories import CollectifFactory
from tests.listes import cellules, compter, contenu, exporter, lire_csv, lire_xlsx, page_de, verifier_refus
from tests.mutualisation.parcours_fiches import fiche_dans_l_etat
from tests.vues import Page

pytestmark = pytest.mark.django_db

URL_DEPARTEMENT = reverse("mutualisation:fiches_departement", args=["42"])
URL_NATIONALE = reverse("mutualisation:fiches_nationales")


@pytest.fixture
def fiches(distribution):
    d = distribution

    def fiche(etat: str, titre: str, annee: int, themes: tuple[str, ...]) -> FichePratique:
        collectif = CollectifFactory(nom=f"Collectif de « {titre} »", referent=d.referent_a)
        return fiche_dans_l_etat(
            etat, collectif, d.referent_a, d.instructeur_42, d.national, titre=titre, annee=annee, themes=themes
        )

    return {
        "cuisine": fiche(EtatFiche.PROPOSEE, "Une cuisine partagée", 2026, ("alimentation",)),
        "velo": fiche(EtatFiche.PUBLIEE, "Un atelier vélo", 2025, ("mobilite",)),
        "jardin": fiche(EtatFiche.RETENUE, "Un jardin partagé", 2026, ("alimentation", "cadre-de-vie")),
        "brouillon": fiche(EtatFiche.BROUILLON, "Un brouillon", 2026, ("alimentation",)),
    }


def _titres(client, url: str, **parametres) -> list[str]:
    return cellules(client.get(url, parametres), 0)


def test_liste_du_departement_recherche_filtres_tri(fiches, distribution, client):
    client.force_login(distribution.instructeur_42)
    # The proposed sheet first (to examine), then the others, the latest first; never the draft.
    assert _titres(client, URL_DEPARTEMENT) == ["Une cuisine partagée", "Un jardin partagé", "Un atelier vélo"]
    assert _titres(client, URL_DEPARTEMENT, q="partagé") == ["Une cuisine partagée", "Un jardin partagé"]
    assert _titres(client, URL_DEPARTEMENT, etat="publiee") == ["Un atelier vélo"]
    assert _titres(client, URL_DEPARTEMENT, theme="cadre-de-vie") == ["Un jardin partagé"]
    assert _titres(client, URL_DEPARTEMENT, annee="2025") == ["Un atelier vélo"]
    assert _titres(client, URL_DEPARTEMENT, tri="titre") == [
        "Un atelier vélo",
        "Un jardin partagé",
        "Une cuisine partagée",
    ]
    assert _titres(client, URL_DEPARTEMENT, tri="-annee")[-1] == "Un atelier vélo"
    assert _titres(client, URL_DEPARTEMENT, tri="etat") == [
        "Une cuisine partagée",
        "Un atelier vélo",
        "Un jardin partagé",
    ]
    # A state this list does not show: message next to the field.
    reponse = client.get(URL_DEPARTEMENT, {"etat": "brouillon"})
    assert "Sélectionnez un choix valide" in Page(reponse).erreur_du_champ("etat")
    assert "Un brouillon" not in reponse.content.decode()
    page = Page(client.get(URL_DEPARTEMENT))
    assert [Page.texte(o) for o in page.tous('select[name="annee"] option')] == ["Toutes les années", "2026", "2025"]
    assert "Alimentation" in [Page.texte(o) for o in page.tous('select[name="theme"] option')]


def test_liste_nationale(fiches, distribution, client):
    client.force_login(distribution.national)
    # Published sheets to retain first, then the retained ones.
    assert _titres(client, URL_NATIONALE) == ["Un atelier vélo", "Un jardin partagé"]
    assert _titres(client, URL_NATIONALE, etat="retenue") == ["Un jardin partagé"]
    assert _titres(client, URL_NATIONALE, q="vélo") == ["Un atelier vélo"]
    assert _titres(client, URL_NATIONALE, theme="alimentation") == ["Un jardin partagé"]
    assert _titres(client, URL_NATIONALE, annee="2026") == ["Un jardin partagé"]
    assert _titres(client, URL_NATIONALE, tri="-titre") == ["Un jardin partagé", "Un atelier vélo"]
    page = Page(client.get(URL_NATIONALE))
    assert [Page.texte(o) for o in page.tous('select[name="etat"] option')] == ["Tous les états", "Publiée", "Retenue"]


def test_exports_cellule_par_cellule(fiches, distribution, client):
    client.force_login(distribution.instructeur_42)
    entetes = ["Titre", "Collectif", "Département", "Année", "État", "Proposée le", "Publiée le", "Lauréate d'un prix"]
    cuisine = fiches["cuisine"]
    propose = timezone.localtime(cuisine.proposee_le)
    assert exporter(client, URL_DEPARTEMENT, "csv", etat="proposee") == [
        entetes,
        [
            "Une cuisine partagée",
            "Collectif de « Une cuisine partagée »",
            "Loire (42)",
            "2026",
            "Proposée",
            propose.strftime("%d/%m/%Y %H:%M"),
            "",
            "non",
        ],
    ]
    client.force_login(distribution.national)
    lignes = exporter(client, URL_NATIONALE, "xlsx", q="vélo")
    publie = timezone.localtime(fiches["velo"].publiee_le).replace(tzinfo=None, second=0, microsecond=0)
    assert lignes[0] == entetes
    assert lignes[1][:5] == ["Un atelier vélo", "Collectif de « Un atelier vélo »", "Loire (42)", 2025, "Publiée"]
    assert lignes[1][6].replace(second=0, microsecond=0) == publie
    assert lignes[1][7] == "non"
    assert len(lignes) == 2


def _en_nombre(distribution, nombre: int, etat: str = EtatFiche.PROPOSEE) -> None:
    collectif = CollectifFactory(nom="Collectif aux nombreuses fiches", referent=distribution.referent_a)
    maintenant = timezone.now()
    FichePratique.objects.bulk_create(
        FichePratique(
            collectif=collectif,
            departement_id="42",
            annee=2026,
            titre=f"Fiche {rang:02d}",
            etat=etat,
            proposee_le=maintenant - datetime.timedelta(minutes=rang),
            publiee_le=maintenant - datetime.timedelta(minutes=rang) if etat != EtatFiche.PROPOSEE else None,
            cree_par=distribution.referent_a,
        )
        for rang in range(nombre)
    )


def test_pagination(distribution, client):
    _en_nombre(distribution, 60)
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(URL_DEPARTEMENT, {"tri": "titre", "page": 2}))
    assert [Page.texte(th) for th in page.tous("tbody th")][:2] == ["Fiche 50", "Fiche 51"]
    assert Page.attribut(page.un("a[href$='export=csv']"), "href") == "?tri=titre&export=csv"
    assert len(exporter(client, URL_DEPARTEMENT, "csv", tri="titre")) == 61


def test_permissions(fiches, distribution, client):
    verifier_refus(client, distribution, URL_DEPARTEMENT, URL_NATIONALE)
    client.force_login(distribution.instructeur_autre)
    assert client.get(URL_DEPARTEMENT, {"export": "csv"}).status_code == 403
    client.force_login(distribution.instructeur_42)
    assert client.get(URL_NATIONALE, {"export": "xlsx"}).status_code == 403


# The département's list: see tests/mutualisation/test_fiches_vues.py (the page of sheets with its total and the
# laureate subquery, then the choices of the filters: the themes, the years of the list's sheets). The national
# list does not read a département nor an instructeur row. An export reads every filtered row in one query instead
# of the page; the header's roles are not read for a download.
REQUETES = {
    ("departement", "page"): 8,
    ("departement", "csv"): 8,
    ("departement", "xlsx"): 8,
    ("nationale", "page"): 6,
    ("nationale", "csv"): 5,
    ("nationale", "xlsx"): 5,
}


@pytest.mark.parametrize(("liste", "format_"), list(REQUETES))
@pytest.mark.parametrize("nombre", [3, 60])
def test_requetes_constantes(nombre, liste, format_, distribution, client, django_assert_num_queries):
    _en_nombre(distribution, nombre, EtatFiche.PROPOSEE if liste == "departement" else EtatFiche.PUBLIEE)
    client.force_login(distribution.instructeur_42 if liste == "departement" else distribution.national)
    url = URL_DEPARTEMENT if liste == "departement" else URL_NATIONALE
    parametres = {"q": "Fiche", "annee": "2026", "tri": "-titre"}
    if format_ != "page":
        parametres["export"] = format_
    contenu(client.get(url, parametres))
    corps = compter(client, url, parametres, django_assert_num_queries, REQUETES[(liste, format_)])
    if format_ == "csv":
        assert len(lire_csv(corps)) == nombre + 1
    elif format_ == "xlsx":
        assert len(lire_xlsx(corps)) == nombre + 1
    else:
        assert len(page_de(corps).tous("tbody tr")) == min(nombre, 50)
