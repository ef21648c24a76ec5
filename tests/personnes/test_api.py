"""R20 through the API (/api/v1/personnes/): a person's data as JSON or ZIP, and national staff's anonymisation.
Every endpoint for every role (401 anonymous, 404 hidden, 403 forbidden on a visible person, 200 allowed), the
JSON equal to the `donnees.json` of the pages' ZIP, French messages per field, the name gone from the member's
row after an anonymisation, and a constant number of queries."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from collectifs.models import Membre
from journal.models import Anonymisation
from personnes.selectors import personne_du_membre, pseudonyme_code, sans_accents
from tests.collectifs.factories import MembreFactory
from tests.conftest import client_pour
from tests.personnes.monde import construire

pytestmark = pytest.mark.django_db

P = "/api/v1/personnes/"
MOTIF = "Demande écrite reçue le 3 mars."


@pytest.fixture
def monde(distribution, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # documents' files are written on commit
        return construire(distribution)


@pytest.fixture
def api():
    return APIClient()


def _en(api, user):
    if user is not None:
        api.force_login(user)
    return api


def _json_du_zip(contenu: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        assert sorted(archive.namelist()) == ["donnees.json", "resume.pdf"]
        return json.loads(archive.read("donnees.json"))


# --- Who may read or anonymise ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("anonyme", 401),
        ("referent_a", 200),
        ("referent_b", 200),
        ("instructeur_42", 200),
        ("national", 200),
    ],
)
def test_chacun_lit_ses_propres_donnees(api, monde, role, attendu):
    user = monde.seances.utilisateur(role)
    reponse = _en(api, user).get(f"{P}moi/donnees/")
    assert reponse.status_code == attendu
    if attendu == 200:
        assert reponse.json()["identite"]["email"] == user.email
        assert reponse["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("anonyme", 401),
        ("referent_a", 200),
        ("referent_b", 404),  # collectif A is hidden from them
        ("instructeur_42", 403),  # sees collectif A, may not export its members
        ("instructeur_autre", 404),
        ("accompagnateur", 403),  # sees collectif A, is not its référent
        ("national", 200),
    ],
)
def test_qui_lit_les_donnees_d_un_membre_sans_compte(api, monde, role, attendu):
    reponse = _en(api, monde.seances.utilisateur(role)).get(f"{P}membres/{monde.theo.pk}/donnees/")
    assert reponse.status_code == attendu
    if attendu == 200:
        assert reponse.json()["identite"]["nom"] == "Dupré"
    elif attendu != 401:
        assert "Dupré" not in reponse.content.decode()


def test_un_membre_qui_a_un_compte_ne_se_lit_pas_comme_membre(api, monde):
    for user in (monde.odile, monde.seances.national):
        assert _en(api, user).get(f"{P}membres/{monde.odile_membre.pk}/donnees/").status_code == 404
    assert _en(api, monde.odile).get(f"{P}membres/999999/donnees/").status_code == 404


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("anonyme", 401),
        ("referent_a", 200),  # Odile herself
        ("referent_b", 404),
        ("instructeur_42", 404),
        ("instructeur_autre", 404),
        ("national", 200),
    ],
)
def test_qui_lit_les_donnees_d_un_compte(api, monde, role, attendu):
    reponse = _en(api, monde.seances.utilisateur(role)).get(f"{P}comptes/{monde.odile.pk}/donnees/")
    assert reponse.status_code == attendu
    if attendu == 200:
        assert reponse.json()["identite"]["email"] == monde.odile.email


@pytest.mark.parametrize("cible", ["membres", "comptes"])
@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("anonyme", 401),
        ("referent_a", 403),
        ("referent_b", 403),
        ("instructeur_42", 403),
        ("instructeur_autre", 403),
        ("national", 200),
    ],
)
def test_seule_l_equipe_nationale_anonymise(api, monde, django_capture_on_commit_callbacks, cible, role, attendu):
    pk = monde.theo.pk if cible == "membres" else monde.odile.pk
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _en(api, monde.seances.utilisateur(role)).post(
            f"{P}{cible}/{pk}/anonymiser/", {"motif": MOTIF}, format="json"
        )
    assert reponse.status_code == attendu
    assert Anonymisation.objects.count() == (1 if attendu == 200 else 0)
    if attendu == 403:
        assert reponse.json()["detail"] == "Cette action est réservée à l'équipe nationale."


def test_l_anonymisation_d_un_inconnu_ou_d_un_membre_avec_compte_est_404(api, monde):
    _en(api, monde.seances.national)
    for url in (f"{P}membres/{monde.odile_membre.pk}/anonymiser/", f"{P}membres/999999/anonymiser/"):
        assert api.post(url, {"motif": MOTIF}, format="json").status_code == 404
    assert api.post(f"{P}comptes/999999/anonymiser/", {"motif": MOTIF}, format="json").status_code == 404
    assert Anonymisation.objects.count() == 0


# --- What is answered ---------------------------------------------------------------------------------------------


@pytest.mark.pdf  # documents rendered for real, so that the `documents` section names some
def test_le_json_est_celui_de_l_export_des_pages(api, client, monde):
    pages = client_pour(client, monde.odile)
    zip_compte = _json_du_zip(pages.get(reverse("personnes:mes_donnees_zip")).content)
    zip_membre = _json_du_zip(
        pages.get(reverse("personnes:membre_zip", args=[monde.theo.collectif_id, monde.theo.pk])).content
    )
    assert zip_compte["documents"] and zip_membre["documents"]

    # By token: a session login would change her last login, part of her data.
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=monde.odile).key}")
    assert api.get(f"{P}moi/donnees/").json() == zip_compte
    assert api.get(f"{P}comptes/{monde.odile.pk}/donnees/").json() == zip_compte
    assert api.get(f"{P}membres/{monde.theo.pk}/donnees/").json() == zip_membre
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=monde.seances.national).key}")
    assert api.get(f"{P}comptes/{monde.odile.pk}/donnees/").json() == zip_compte
    assert api.get(f"{P}membres/{monde.theo.pk}/donnees/").json() == zip_membre


def test_l_archive_zip_sur_demande(api, monde):
    _en(api, monde.odile)
    attendu = api.get(f"{P}moi/donnees/").json()
    for reponse in (
        api.get(f"{P}moi/donnees/", {"format": "zip"}),
        api.get(f"{P}membres/{monde.theo.pk}/donnees/", HTTP_ACCEPT="application/zip"),
    ):
        assert reponse.status_code == 200
        assert reponse["Content-Type"] == "application/zip"
        assert reponse["Content-Disposition"].startswith('attachment; filename="')
        assert reponse["Cache-Control"] == "no-store"
    assert _json_du_zip(api.get(f"{P}moi/donnees/", {"format": "zip"}).content) == attendu
    # Refused people stay refused, whatever the format asked for.
    _en(api, monde.seances.referent_b)
    assert api.get(f"{P}membres/{monde.theo.pk}/donnees/", {"format": "zip"}).status_code == 404


# --- Anonymisation through the API --------------------------------------------------------------------------------


def test_l_anonymisation_ne_laisse_le_nom_nulle_part_dans_la_ligne_du_membre(
    api, monde, django_capture_on_commit_callbacks
):
    code = pseudonyme_code(personne_du_membre(monde.theo))
    _en(api, monde.seances.national)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = api.post(f"{P}membres/{monde.theo.pk}/anonymiser/", {"motif": MOTIF}, format="json")

    assert reponse.status_code == 200
    assert reponse.json() == {"pseudonyme": f"Personne {code}"}
    ligne = Membre.objects.filter(pk=monde.theo.pk).values().get()
    texte = sans_accents(" ".join(str(v) for v in ligne.values())).lower()
    assert "theo" not in texte and "dupre" not in texte and "06 12 34 56 78" not in texte
    assert (ligne["prenom"], ligne["nom"], ligne["email"], ligne["telephone"]) == ("Personne", code, "", "")
    assert Anonymisation.objects.get().motif == MOTIF
    # The collectif's members, as its référente reads them through the API, no longer name him.
    membres = _en(api, monde.odile).get(f"/api/v1/collectifs/{monde.theo.collectif_id}/membres/")
    assert membres.status_code == 200
    noms = [(m["prenom"], m["nom"]) for m in membres.json()["results"]]
    assert ("Personne", code) in noms and "Dupré" not in membres.content.decode()


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"motif": "   "}, "Indiquez le motif de l'anonymisation"),
        ({}, "Ce champ est obligatoire."),
        ({"motif": "Demande de theo DUPRE par courrier"}, "Le motif ne doit citer ni le nom"),
        ({"motif": "x" * 2001}, "Le motif tient en 2000 caractères au plus."),
    ],
)
def test_un_motif_refuse_est_explique_en_francais(api, monde, donnees, message):
    reponse = _en(api, monde.seances.national).post(f"{P}membres/{monde.theo.pk}/anonymiser/", donnees, format="json")
    assert reponse.status_code == 400
    assert message in reponse.json()["motif"][0]
    assert Anonymisation.objects.count() == 0


def test_une_personne_anonymisee_ne_l_est_pas_deux_fois(api, monde, django_capture_on_commit_callbacks):
    _en(api, monde.seances.national)
    url = f"{P}membres/{monde.theo.pk}/anonymiser/"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(url, {"motif": MOTIF}, format="json").status_code == 200
    reponse = api.post(url, {"motif": MOTIF}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"non_field_errors": ["Cette personne est déjà anonymisée."]}
    assert Anonymisation.objects.count() == 1


# --- Queries ------------------------------------------------------------------------------------------------------


def test_nombre_de_requetes_constant(api, monde, django_assert_num_queries):
    """The same number of queries whatever the person's history (documents are read from storage, not SQL)."""
    _en(api, monde.odile)
    moi, membre = f"{P}moi/donnees/", f"{P}membres/{monde.theo.pk}/donnees/"
    api.get(moi)  # the content types are cached after the first read
    with django_assert_num_queries(18) as petit_moi:
        assert api.get(moi).status_code == 200
    with django_assert_num_queries(10) as petit_membre:
        assert api.get(membre).status_code == 200
    # More of everything: other memberships with her e-mail, more members in Théo's collectif.
    for _ in range(3):
        MembreFactory(email=monde.odile.email)
        MembreFactory(collectif=monde.theo.collectif)
    with django_assert_num_queries(len(petit_moi.captured_queries)):
        reponse = api.get(moi)
    assert len(reponse.json()["adhesions_collectifs"]) == 4
    with django_assert_num_queries(len(petit_membre.captured_queries)):
        assert api.get(membre).status_code == 200
