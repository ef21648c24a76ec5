"""The conventions list (/fonds/conventions/, `fonds.filtres.ListeConventions`): search by beneficiary, collectif
or number; filters by state, département (new), starting year and kind of beneficiary; sort; pagination; exports
(CSV, XLSX) of what is shown; the staff's only; a pinned query count for the page and each export."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from fonds.enums import EtatConvention, NatureBeneficiaire
from fonds.models import Convention
from fonds.services import DonneesProjet, projet_financer
from tests.fonds.parcours import E, LoireFinancee, loire_financee
from tests.listes import compter, contenu, exporter, lire_csv, lire_xlsx, page_de, verifier_refus
from tests.vues import Page

pytestmark = pytest.mark.django_db

URL = reverse("fonds:conventions")
ANNEE = 2028


ENVELOPPE = E("400000")


def _fonds(distribution, montant: Decimal = ENVELOPPE) -> LoireFinancee:
    return loire_financee(
        instructeur=distribution.instructeur_42,
        national=distribution.national,
        enveloppes={ANNEE: montant, ANNEE + 1: montant, ANNEE + 2: montant},
    )


def _projet(
    fonds: LoireFinancee,
    beneficiaire: str,
    montants: tuple[str, str] = ("4000", "3000"),
    nature: str = NatureBeneficiaire.PROJET_ETUDIANT,
) -> Convention:
    return projet_financer(
        acteur=fonds.instructeur,
        fonds=fonds.fonds,
        departement_code="42",
        donnees=DonneesProjet(
            nature_beneficiaire=nature,
            beneficiaire=beneficiaire,
            objet="Un projet de la liste",
            date_debut=datetime.date(ANNEE, 1, 1),
            date_fin=datetime.date(ANNEE + 1, 12, 31),
            tranches=[(ANNEE, E(montants[0])), (ANNEE + 1, E(montants[1]))],
        ),
    )


@pytest.fixture
def jeu(distribution):
    fonds = _fonds(distribution)
    c = {
        "universite": _projet(fonds, "Université Jean Monnet"),
        "ecole": _projet(fonds, "Institut de travail social", ("1000", "500"), NatureBeneficiaire.FORMATION_ACTION),
        "mairie": _projet(fonds, "Mairie de Firminy", ("9000", "9000"), NatureBeneficiaire.DEMARCHE_PARTICIPATIVE),
    }
    Convention.objects.filter(pk=c["ecole"].pk).update(date_debut=datetime.date(ANNEE + 1, 1, 1))
    Convention.objects.filter(pk=c["mairie"].pk).update(etat=EtatConvention.SUSPENDUE)
    return c


def _beneficiaires(reponse) -> list[str]:
    """The beneficiary of each row (without the kind of beneficiary shown under it)."""
    return [
        (next(iter(ligne.query_all("td"))).etree_element.text or "").strip() for ligne in Page(reponse).tous("tbody tr")
    ]


def _noms(client, **parametres) -> list[str]:
    return _beneficiaires(client.get(URL, parametres))


def test_recherche_filtres_tri(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    # The latest created first.
    assert _noms(client) == ["Mairie de Firminy", "Institut de travail social", "Université Jean Monnet"]
    assert _noms(client, q="monnet") == ["Université Jean Monnet"]
    assert _noms(client, q=jeu["ecole"].reference) == ["Institut de travail social"]
    assert _noms(client, q=str(jeu["mairie"].pk)) == ["Mairie de Firminy"]
    assert _noms(client, etat="suspendue") == ["Mairie de Firminy"]
    assert _noms(client, annee=str(ANNEE + 1)) == ["Institut de travail social"]
    assert _noms(client, nature="formation_action") == ["Institut de travail social"]
    assert _noms(client, departement="42", tri="beneficiaire") == [
        "Institut de travail social",
        "Mairie de Firminy",
        "Université Jean Monnet",
    ]
    assert _noms(client, tri="-montant") == [
        "Mairie de Firminy",
        "Université Jean Monnet",
        "Institut de travail social",
    ]
    # By state in lifecycle order (active, then suspended), ties by creation.
    assert _noms(client, tri="etat") == ["Université Jean Monnet", "Institut de travail social", "Mairie de Firminy"]


def test_le_filtre_departement_de_l_equipe_nationale(jeu, distribution, client):
    client.force_login(distribution.national)
    page = Page(client.get(URL))
    assert [Page.texte(o) for o in page.tous('select[name="departement"] option')] == [
        "Tous les départements",
        "Loire (42)",
    ]
    assert len(_noms(client, departement="42")) == 3
    reponse = client.get(URL, {"departement": "69", "q": "monnet"})
    assert "Sélectionnez un choix valide" in Page(reponse).erreur_du_champ("departement")
    assert _beneficiaires(reponse) == ["Université Jean Monnet"]


def test_exports_cellule_par_cellule(jeu, distribution, client):
    client.force_login(distribution.instructeur_42)
    entetes = [
        "Numéro",
        "Bénéficiaire",
        "Nature du bénéficiaire",
        "Département",
        "État",
        "Signée le",
        "Début",
        "Fin",
        "Montant total (€)",
    ]
    universite = jeu["universite"]
    assert exporter(client, URL, "csv", q="monnet") == [
        entetes,
        [
            universite.reference,
            "Université Jean Monnet",
            "Projet étudiant",
            "Loire (42)",
            "Active",
            "",
            "01/01/2028",
            "31/12/2029",
            "7000,00",
        ],
    ]
    assert exporter(client, URL, "xlsx", etat="suspendue") == [
        entetes,
        [
            jeu["mairie"].reference,
            "Mairie de Firminy",
            "Démarche participative innovante",
            "Loire (42)",
            "Suspendue",
            None,
            datetime.datetime(2028, 1, 1, 0, 0),  # noqa: DTZ001 (an XLSX date has no time zone)
            datetime.datetime(2029, 12, 31, 0, 0),  # noqa: DTZ001
            18000,
        ],
    ]


def test_pagination(distribution, client):
    fonds = _fonds(distribution)
    for rang in range(55):
        _projet(fonds, f"Bénéficiaire numéro {rang:02d}", ("100", "100"))
    client.force_login(distribution.instructeur_42)
    reponse = client.get(URL, {"tri": "beneficiaire", "page": 2})
    page = Page(reponse)
    assert _beneficiaires(reponse)[0] == "Bénéficiaire numéro 50"
    assert len(page.tous("tbody tr")) == 5
    assert Page.attribut(page.un("a[href$='export=csv']"), "href") == "?tri=beneficiaire&export=csv"
    assert len(exporter(client, URL, "csv", tri="beneficiaire")) == 56


def test_permissions(jeu, distribution, client):
    verifier_refus(client, distribution, URL)
    client.force_login(distribution.instructeur_autre)
    assert _noms(client) == []
    assert len(exporter(client, URL, "csv")) == 1  # the header row only


# Session, user, the user's roles (the instructeur row, read again by the header), the départements and years of
# the scope (the filters' choices, one query), the page of conventions with its total and amounts, their tranches
# (prefetched): six. An export: the same without the tranches, every filtered row in one query: five.
REQUETES = {"page": 6, "csv": 5, "xlsx": 5}


@pytest.mark.parametrize("format_", list(REQUETES))
@pytest.mark.parametrize("nombre", [3, 60])
def test_requetes_constantes(nombre, format_, distribution, client, django_assert_num_queries):
    fonds = _fonds(distribution)
    for rang in range(nombre):
        _projet(fonds, f"Bénéficiaire numéro {rang:02d}", ("100", "100"))
    client.force_login(distribution.instructeur_42)
    parametres = {"q": "numéro", "etat": "active", "departement": "42", "tri": "-montant"}
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
