"""The payments list (/fonds/versements/, `fonds.filtres.ListeVersements`): the paid tranches of the conventions the
user reads (instructeurs: their départements; national staff: all), with the attestation's number; search, filters
(budget year, département), sort, pagination, exports (CSV, XLSX), permissions, a pinned query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fonds import tasks
from fonds.models import Convention, Tranche, Versement
from fonds.services import convention_signer, versement_enregistrer
from tests.fonds.test_liste_conventions import _fonds, _projet
from tests.listes import cellules, compter, contenu, exporter, lire_csv, lire_xlsx, page_de, verifier_refus
from tests.vues import Page

pytestmark = pytest.mark.django_db

URL = reverse("fonds:versements")


def _payer(instructeur, convention: Convention, reference: str, jours: int = 0, emettre: bool = True) -> Versement:
    """Sign the convention and pay its first tranche today, dated `jours` days ago (a bank date entered late), and
    issue the attestation (stub PDF)."""
    aujourd_hui = timezone.localdate()
    convention_signer(
        acteur=instructeur,
        convention=convention,
        signee_le=aujourd_hui,
        signataire_beneficiaire="La bénéficiaire",
        signataire_departement="Le président du Département",
    )
    tranche = Tranche.objects.get(convention=convention, rang=1)
    versement = versement_enregistrer(
        acteur=instructeur,
        tranche=tranche,
        date_versement=aujourd_hui,
        montant=tranche.montant,
        reference_bancaire=reference,
    )
    Versement.objects.filter(pk=versement.pk).update(date_versement=aujourd_hui - datetime.timedelta(days=jours))
    if emettre:
        tasks.emettre_attestation_versement.call(versement.pk)
    return versement


@pytest.fixture
def jeu(distribution):
    fonds = _fonds(distribution)
    instructeur = distribution.instructeur_42
    conventions = {
        "universite": _projet(fonds, "Université Jean Monnet", ("4000", "3000")),
        "mairie": _projet(fonds, "Mairie de Firminy", ("9000", "9000")),
        "institut": _projet(fonds, "Institut de travail social", ("1000", "500")),
    }
    versements = {
        "universite": _payer(instructeur, conventions["universite"], "VIR-0001", jours=2),
        "mairie": _payer(instructeur, conventions["mairie"], "VIR-0002", jours=1, emettre=False),
    }
    return conventions, versements


def _noms(client, **parametres) -> list[str]:
    return cellules(client.get(URL, parametres), 2)


def test_colonnes_et_liens(jeu, distribution, client):
    conventions, _ = jeu
    client.force_login(distribution.instructeur_42)
    reponse = client.get(URL)
    page = Page(reponse)
    assert Page.texte(page.un("h1")) == "Versements"
    lignes = [[Page.texte(c) for c in ligne.query_all("th, td")] for ligne in page.tous("tbody tr")]
    attestation = Page.texte(page.tous("tbody tr")[1].query("td a")).removesuffix(" (PDF)")
    assert attestation.startswith("AVE-42-")
    jour = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%-d/%m/%Y")
    # The latest payment first; the convention without payment is not listed.
    assert lignes[0] == [
        jour,
        conventions["mairie"].reference,
        "Mairie de Firminy",
        "1 (2028)",
        "9 000,00 €",
        "En cours d’émission",
    ]
    assert lignes[1][1:5] == [conventions["universite"].reference, "Université Jean Monnet", "1 (2028)", "4 000,00 €"]
    lien = page.tous("tbody tr")[1].query("td a")
    assert Page.attribut(lien, "href") == reverse(
        "fonds:convention_document", args=[conventions["universite"].pk, attestation]
    )


def test_recherche_filtres_tri(jeu, distribution, client):
    conventions, _ = jeu
    client.force_login(distribution.instructeur_42)
    assert _noms(client, q="monnet") == ["Université Jean Monnet"]
    assert _noms(client, q="VIR-0002") == ["Mairie de Firminy"]
    assert _noms(client, q=conventions["universite"].reference) == ["Université Jean Monnet"]
    assert _noms(client, q="AVE-42") == ["Université Jean Monnet"]
    assert _noms(client, annee="2028") == ["Mairie de Firminy", "Université Jean Monnet"]
    # No choice for a year without payment: the value is ignored, with its message next to the field.
    assert _noms(client, annee="2029") == ["Mairie de Firminy", "Université Jean Monnet"]
    assert "Sélectionnez un choix valide" in Page(client.get(URL, {"annee": "2029"})).erreur_du_champ("annee")
    assert _noms(client, departement="42") == ["Mairie de Firminy", "Université Jean Monnet"]
    assert _noms(client, tri="date") == ["Université Jean Monnet", "Mairie de Firminy"]
    assert _noms(client, tri="montant") == ["Université Jean Monnet", "Mairie de Firminy"]
    assert _noms(client, tri="-beneficiaire") == ["Université Jean Monnet", "Mairie de Firminy"]


def test_exports_cellule_par_cellule(jeu, distribution, client):
    conventions, _ = jeu
    client.force_login(distribution.instructeur_42)
    entetes = [
        "Date du versement",
        "Convention",
        "Bénéficiaire",
        "Département",
        "Tranche",
        "Année budgétaire",
        "Montant (€)",
        "Attestation de versement",
    ]
    hier = timezone.localdate() - datetime.timedelta(days=1)
    assert exporter(client, URL, "csv", q="firminy") == [
        entetes,
        [
            hier.strftime("%d/%m/%Y"),
            conventions["mairie"].reference,
            "Mairie de Firminy",
            "Loire (42)",
            "1",
            "2028",
            "9000,00",
            "",
        ],
    ]
    lignes = exporter(client, URL, "xlsx", q="monnet")
    assert lignes[0] == entetes
    assert lignes[1][:7] == [
        datetime.datetime.combine(hier - datetime.timedelta(days=1), datetime.time()),
        conventions["universite"].reference,
        "Université Jean Monnet",
        "Loire (42)",
        1,
        2028,
        4000,
    ]
    assert lignes[1][7].startswith("AVE-42-")


def test_pagination(distribution, client):
    fonds = _fonds(distribution)
    for rang in range(55):
        _payer(
            distribution.instructeur_42,
            _projet(fonds, f"Bénéficiaire {rang:02d}", ("100", "100")),
            f"V{rang}",
            emettre=False,
        )
    client.force_login(distribution.instructeur_42)
    page = Page(client.get(URL, {"tri": "beneficiaire", "page": 2}))
    assert len(page.tous("tbody tr")) == 5
    assert Page.attribut(page.un("a[href$='export=xlsx']"), "href") == "?tri=beneficiaire&export=xlsx"
    assert len(exporter(client, URL, "xlsx", tri="beneficiaire")) == 56


def test_permissions(jeu, distribution, client):
    verifier_refus(client, distribution, URL)
    client.force_login(distribution.instructeur_autre)
    assert _noms(client) == []
    assert len(exporter(client, URL, "csv")) == 1
    client.force_login(distribution.national)
    assert _noms(client) == ["Mairie de Firminy", "Université Jean Monnet"]


# Session, user, the user's roles (the instructeur row, read again by the header), the départements and years of the
# scope (one query), the page of payments with its total and the attestations' numbers: five. An export: every
# filtered row in one query instead of the page.
REQUETES = {"page": 5, "csv": 5, "xlsx": 5}


@pytest.mark.parametrize("format_", list(REQUETES))
@pytest.mark.parametrize("nombre", [3, 60])
def test_requetes_constantes(nombre, format_, distribution, client, django_assert_num_queries):
    fonds = _fonds(distribution)
    for rang in range(nombre):
        _payer(
            distribution.instructeur_42,
            _projet(fonds, f"Bénéficiaire {rang:02d}", ("100", "100")),
            f"V{rang}",
            emettre=rang < 3,
        )
    client.force_login(distribution.instructeur_42)
    parametres = {"q": "Bénéficiaire", "annee": "2028", "departement": "42", "tri": "-montant"}
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
