"""The practice sheets through the API (R14): the back office /api/v1/fiches/ (scoped list, create, save, the
actions proposer / retourner / publier / retenir) for every role, and the lists' query counts at two sizes; the
public /api/v1/pratiques/ is read-only and shows public sheets only (see also test_catalogue.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from tests.mutualisation.parcours_fiches import MondeFiches, construire, fiche_dans_l_etat
from tests.mutualisation.test_fiches import ROLES_FICHES

pytestmark = pytest.mark.django_db

R = "/api/v1/fiches/"


@pytest.fixture
def monde(distribution) -> MondeFiches:
    return construire(distribution)


def _client(monde: MondeFiches, role: str) -> APIClient:
    client = APIClient()
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_authenticate(utilisateur)
    return client


# What each role sees in the back-office list (titles).
PUBLIQUES = {"Publiée A", "Retenue A"}
VISIBLES = {
    "referent_a": {"Brouillon A", "Proposée A", *PUBLIQUES},
    "accompagnateur": {"Brouillon A", "Proposée A", *PUBLIQUES},
    "referent_b": {"Brouillon B", *PUBLIQUES},
    "instructeur_42": {"Proposée A", *PUBLIQUES},
    "instructeur_autre": PUBLIQUES,
    "national": {"Proposée A", *PUBLIQUES},
}


@pytest.mark.parametrize("role", ROLES_FICHES)
def test_liste_cadree(monde, role):
    reponse = _client(monde, role).get(R)
    if role == "anonyme":
        assert reponse.status_code in (401, 403)
        return
    assert reponse.status_code == 200
    assert {r["titre"] for r in reponse.json()["results"]} == VISIBLES[role]


def _actions(m: MondeFiches) -> dict[str, tuple[str, dict[str, Any], str, str]]:
    """action → (url, body, source state, target state)."""
    return {
        "proposer": (f"{R}{m.fiches[EtatFiche.BROUILLON].pk}/proposer/", {}, EtatFiche.BROUILLON, EtatFiche.PROPOSEE),
        "retourner": (
            f"{R}{m.fiches[EtatFiche.PROPOSEE].pk}/retourner/",
            {"message": "Précisez les étapes."},
            EtatFiche.PROPOSEE,
            EtatFiche.BROUILLON,
        ),
        "publier": (f"{R}{m.fiches[EtatFiche.PROPOSEE].pk}/publier/", {}, EtatFiche.PROPOSEE, EtatFiche.PUBLIEE),
        "retenir": (f"{R}{m.fiches[EtatFiche.PUBLIEE].pk}/retenir/", {}, EtatFiche.PUBLIEE, EtatFiche.RETENUE),
    }


# Expected status per action and role: 404 when the sheet is hidden from the role, 403 when visible but not allowed.
ATTENDU = {
    "proposer": {"referent_a": 200, "accompagnateur": 200, "referent_b": 404, "instructeur_42": 404,
                 "instructeur_autre": 404, "national": 404},
    "retourner": {"referent_a": 403, "accompagnateur": 403, "referent_b": 404, "instructeur_42": 200,
                  "instructeur_autre": 404, "national": 403},
    "publier": {"referent_a": 403, "accompagnateur": 403, "referent_b": 404, "instructeur_42": 200,
                "instructeur_autre": 404, "national": 403},
    "retenir": {"referent_a": 403, "accompagnateur": 403, "referent_b": 403, "instructeur_42": 403,
                "instructeur_autre": 403, "national": 200},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES_FICHES)
@pytest.mark.parametrize("action", list(ATTENDU))
def test_actions_par_role(monde, action, role):
    url, corps, source, cible = _actions(monde)[action]
    fiche_id = int(url.split("/")[4])
    reponse = _client(monde, role).post(url, corps, format="json")
    attendu = 401 if role == "anonyme" else ATTENDU[action][role]
    assert reponse.status_code in ((401, 403) if role == "anonyme" else (attendu,)), (action, role, reponse.content)
    etat = FichePratique.objects.get(pk=fiche_id).etat
    assert etat == (cible if attendu == 200 else source)
    if attendu == 200:
        assert reponse.json()["etat"] == cible


def test_creer_enregistrer_et_proposer_incomplet(monde):
    client = _client(monde, "referent_a")
    cree = client.post(R, {"collectif": monde.collectif_a.pk, "titre": "Par l'API", "themes": []}, format="json")
    assert cree.status_code == 201, cree.content
    pk = cree.json()["id"]
    incomplet = client.post(f"{R}{pk}/proposer/", {}, format="json")
    assert incomplet.status_code == 400
    assert set(incomplet.json()) == {"contexte", "demarche", "themes"}
    enregistre = client.post(
        f"{R}{pk}/enregistrer/",
        {"titre": "Par l'API", "contexte": "Un quartier.", "demarche": "Pas à pas.", "themes": ["mobilite"]},
        format="json",
    )
    assert enregistre.status_code == 200 and enregistre.json()["themes"] == ["mobilite"]
    assert client.post(f"{R}{pk}/proposer/", {}, format="json").json()["etat"] == EtatFiche.PROPOSEE
    # The other collectif's référent cannot create a sheet for collectif A; the accompagnateur needs a consent.
    refus = _client(monde, "referent_b").post(R, {"collectif": monde.collectif_a.pk, "titre": "Intrus"}, format="json")
    assert refus.status_code == 400 and "collectif" in refus.json()
    sans_accord = _client(monde, "accompagnateur").post(
        R, {"collectif": monde.collectif_a.pk, "titre": "Pour le compte"}, format="json"
    )
    assert sans_accord.status_code == 400 and "consentement" in sans_accord.json()


@pytest.mark.parametrize("nombre", [1, 6])
@pytest.mark.parametrize("url", [R, "/api/v1/pratiques/"])
def test_requetes_des_listes(nombre, url, distribution, django_assert_num_queries):
    d = distribution
    for rang in range(nombre):
        fiche_dans_l_etat(
            EtatFiche.PUBLIEE, d.collectif_a, d.referent_a, d.instructeur_42, d.national, titre=f"F{rang}"
        )
    client = APIClient()
    client.force_authenticate(d.instructeur_42)
    # The count, the page, the themes of the page: the same whatever the number of sheets.
    with django_assert_num_queries(3):
        reponse = client.get(url)
    assert reponse.json()["count"] == nombre
