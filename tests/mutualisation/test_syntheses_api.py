"""The syntheses and national reports through the API (R15): every endpoint × every role, the writes done by the
right roles only, the job's progress, and the lists' query counts pinned at two sizes."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from mutualisation.enums import EtatSynthese
from mutualisation.models import RapportNational, SyntheseDepartementale
from tests.mutualisation.test_syntheses_vues import BROUILLON, ROLES_SYNTHESES, TRANSMISE, MondeSyntheses, construire

pytestmark = pytest.mark.django_db

S, R = "/api/v1/syntheses/", "/api/v1/rapports/"


@pytest.fixture
def monde(distribution) -> MondeSyntheses:
    return construire(distribution)


def _client(monde: MondeSyntheses, role: str) -> APIClient:
    client = APIClient()
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_authenticate(utilisateur)
    return client


def _ligne(**statuts: int) -> dict[str, int]:
    """Anonymous 401; référents and the Rhône's instructeur 404 unless said otherwise."""
    base = {"anonyme": 401, "referent_a": 404, "referent_b": 404, "instructeur_autre": 404}
    base.update(statuts)
    assert set(base) == set(ROLES_SYNTHESES)
    return base


LECTEURS = {"instructeur_42": 200, "national": 200, "membre": 200, "president": 200}
NATIONAL = {"instructeur_42": 404, "national": 200, "membre": 404, "president": 404}

CAS: list[tuple[str, str, Any, Any, dict[str, int]]] = [
    ("synthese", "get", lambda m: f"{S}{m.brouillon.pk}/", None, _ligne(**LECTEURS)),
    (
        "generer",
        "post",
        lambda m: f"{S}generer/",
        {"departement": "42", "annee": BROUILLON},
        _ligne(
            referent_a=403,
            referent_b=403,
            instructeur_autre=403,
            instructeur_42=200,
            national=403,
            membre=403,
            president=403,
        ),
    ),
    (
        "rediger",
        "post",
        lambda m: f"{S}{m.brouillon.pk}/rediger/",
        {"texte_instance": "Notre année."},
        _ligne(instructeur_42=200, national=403, membre=403, president=200),
    ),
    (
        "transmettre_sans_texte",
        "post",
        lambda m: f"{S}{m.brouillon.pk}/transmettre/",
        None,
        _ligne(instructeur_42=400, national=403, membre=403, president=400),
    ),
    ("rapport", "get", lambda m: f"{R}{TRANSMISE}/", None, _ligne(**NATIONAL)),
    ("progression", "get", lambda m: f"{R}{TRANSMISE}/progression/", None, _ligne(**NATIONAL)),
    (
        "lancer",
        "post",
        lambda m: f"{R}lancer/",
        {"annee": BROUILLON},
        _ligne(
            referent_a=403,
            referent_b=403,
            instructeur_autre=403,
            instructeur_42=403,
            national=202,
            membre=403,
            president=403,
        ),
    ),
]


@pytest.mark.parametrize(
    ("nom", "methode", "url", "donnees", "statuts", "role"),
    [pytest.param(*cas, role, id=f"{cas[0]}-{role}") for cas in CAS for role in ROLES_SYNTHESES],
)
def test_matrice(nom, methode, url, donnees, statuts, role, monde):
    reponse = getattr(_client(monde, role), methode)(url(monde), donnees, format="json")
    assert reponse.status_code == statuts[role], (role, reponse.content[:300])
    if nom == "rediger":
        texte = SyntheseDepartementale.objects.get(pk=monde.brouillon.pk).texte_instance
        assert (texte == "Notre année.") is (reponse.status_code == 200)
    if nom == "lancer":
        assert RapportNational.objects.filter(annee=BROUILLON).exists() is (reponse.status_code == 202)
    if nom == "transmettre_sans_texte" and reponse.status_code == 400:
        assert reponse.json() == {
            "texte_instance": ["Ajoutez le texte de l'instance avant de transmettre la synthèse."]
        }


@pytest.mark.parametrize("role", ROLES_SYNTHESES)
def test_listes_selon_le_role(role, monde):
    client = _client(monde, role)
    syntheses = client.get(S)
    rapports = client.get(R)
    if role == "anonyme":
        assert syntheses.status_code == rapports.status_code == 401
        return
    attendues = 2 if role in LECTEURS else 0
    assert syntheses.status_code == 200 and syntheses.json()["count"] == attendues
    assert rapports.json()["count"] == (1 if role == "national" else 0)


def test_transmettre_puis_lire_les_chiffres_figes(monde):
    client = _client(monde, "president")
    assert (
        client.post(f"{S}{monde.brouillon.pk}/rediger/", {"texte_instance": "Texte."}, format="json").status_code == 200
    )
    reponse = client.post(f"{S}{monde.brouillon.pk}/transmettre/", format="json")
    assert reponse.status_code == 200
    assert reponse.json()["etat"] == EtatSynthese.TRANSMISE
    assert reponse.json()["chiffres"]["argent"]["engage"] == "20000.00"
    filtre = _client(monde, "national").get(S, {"etat": "transmise", "annee": BROUILLON}).json()
    assert [s["id"] for s in filtre["results"]] == [monde.brouillon.pk]


def test_progression_et_rapport(monde):
    client = _client(monde, "national")
    progression = client.get(f"{R}{TRANSMISE}/progression/").json()
    assert progression["etat"] == "termine" and progression["pourcentage"] == 100 and progression["actif"] is False
    rapport = client.get(f"{R}{TRANSMISE}/").json()
    assert rapport["chiffres"]["departements"]["avec_synthese"] == 1
    assert len(rapport["departements_manquants"]) == 100
    assert rapport["document"] == f"RNC-FR-{TRANSMISE}-00001"
    deja = client.post(f"{R}lancer/", {"annee": BROUILLON}, format="json")
    assert deja.status_code == 202
    encore = client.post(f"{R}lancer/", {"annee": BROUILLON}, format="json")
    assert encore.status_code == 400 and "déjà en cours" in str(encore.json())


# The départements the user instructs, those of their instance, the count, the page: whatever the number of rows.
REQUETES_LISTE_SYNTHESES = 4
# The count and the page (reports with their job and document): whatever the number of rows.
REQUETES_LISTE_RAPPORTS = 2


@pytest.mark.parametrize("autres", [0, 6])
def test_requetes_des_listes(autres, distribution, django_assert_num_queries):
    monde = construire(distribution, autres=autres)
    client = _client(monde, "instructeur_42")
    client.get(S)
    with django_assert_num_queries(REQUETES_LISTE_SYNTHESES):
        assert client.get(S).json()["count"] == 2 + autres
    client = _client(monde, "national")
    client.get(R)
    with django_assert_num_queries(REQUETES_LISTE_RAPPORTS):
        assert client.get(R).json()["count"] == 1 + autres
