"""The yearly check-ins through the API (R11, R7): every endpoint × every role (anonymous, référents A and B,
instructeurs of the Loire and the Rhône, national staff, a funder, the collectif's accompagnateur, the employer of its
originating institution), the proxy entry refused without consent, the validation releasing tranche 2, and the
list's query count pinned at two sizes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from fonds.enums import EtatBilan, EtatTranche, NiveauParticipation
from fonds.models import BilanAnnuel
from tests.fonds.test_vues_bilans import ROLES_BILANS, MondeBilans, construire, deposer

pytestmark = pytest.mark.django_db

R = "/api/v1/bilans/"


@pytest.fixture
def monde(distribution) -> MondeBilans:
    return construire(distribution)


def _client(monde: MondeBilans, role: str) -> APIClient:
    client = APIClient()
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_authenticate(utilisateur)
    return client


def _saisie(m: MondeBilans, **extra: Any) -> dict[str, Any]:
    return {
        "recit": "Une année de rencontres.",
        "niveau_participation": NiveauParticipation.CO_DECISION,
        "nombre_rencontres": 10,
        "valeurs": [{"indicateur": i.pk, "texte": "Observé."} for i in m.indicateurs],
        **extra,
    }


def _consentement(m: MondeBilans) -> dict[str, Any]:
    return _saisie(
        m,
        consentement={
            "pour_le_compte_de": "Le collectif, réunion du 3 mars",
            "mode": "oral",
            "recueilli_le": timezone.localdate().isoformat(),
        },
    )


def _ligne(
    *,
    anonyme: int = 401,
    referent_a: int,
    referent_b: int = 404,
    instructeur_42: int,
    instructeur_autre: int = 404,
    national: int,
    financeur: int = 404,
    accompagnateur: int,
    employeur: int = 404,
) -> dict[str, int]:
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "financeur": financeur,
        "accompagnateur": accompagnateur,
        "employeur": employeur,
    }


def _detail(m: MondeBilans, suffixe: str = "") -> str:
    return f"{R}{m.bilan.pk}/{suffixe}"


# (name, method, url, body, before, expected per role, effect: true exactly when the write happened)
CAS: list[tuple[str, str, Callable[..., str], Any, Any, dict[str, int], Callable[[MondeBilans], bool] | None]] = [
    (
        "detail",
        "get",
        _detail,
        None,
        None,
        _ligne(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        None,
    ),
    (
        "enregistrer",
        "post",
        lambda m: _detail(m, "enregistrer/"),
        _saisie,
        None,
        _ligne(referent_a=200, instructeur_42=403, national=403, accompagnateur=400),
        lambda m: m.bilan.enregistre_le is not None,
    ),
    (
        "enregistrer_pour_le_compte",
        "post",
        lambda m: _detail(m, "enregistrer/"),
        _consentement,
        None,
        _ligne(referent_a=200, instructeur_42=403, national=403, accompagnateur=200),
        lambda m: m.bilan.enregistre_le is not None,
    ),
    (
        "deposer",
        "post",
        lambda m: _detail(m, "deposer/"),
        _saisie,
        None,
        _ligne(referent_a=200, instructeur_42=403, national=403, accompagnateur=400),
        lambda m: m.bilan.etat == EtatBilan.DEPOSE,
    ),
    (
        "valider",
        "post",
        lambda m: _detail(m, "valider/"),
        None,
        deposer,
        _ligne(referent_a=403, instructeur_42=200, national=403, accompagnateur=403),
        lambda m: m.tranche(2).etat == EtatTranche.EXIGIBLE,
    ),
    (
        "renvoyer",
        "post",
        lambda m: _detail(m, "renvoyer/"),
        {"message": "Ajoutez les difficultés."},
        deposer,
        _ligne(referent_a=403, instructeur_42=200, national=403, accompagnateur=403),
        lambda m: m.bilan.etat == EtatBilan.A_COMPLETER,
    ),
]


def _params() -> list[Any]:
    for cas in CAS:
        assert set(cas[5]) == set(ROLES_BILANS), cas[0]
    return [pytest.param(cas, role, id=f"{cas[0]}-{role}") for cas in CAS for role in ROLES_BILANS]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde):
    _nom, methode, url, corps, avant, attendus, effet = cas
    if avant is not None:
        avant(monde)
    donnees = corps(monde) if callable(corps) else corps
    reponse = getattr(_client(monde, role), methode)(url(monde), donnees, format="json")
    assert reponse.status_code == attendus[role], (role, reponse.content[:300])
    if effet is not None:
        assert effet(monde) is (attendus[role] == 200), role
    if reponse.status_code == 200:
        assert reponse.json()["id"] == monde.bilan.pk


def test_la_liste_est_limitee_au_perimetre(monde):
    attendus = {"referent_a": 3, "referent_b": 0, "instructeur_42": 3, "national": 3, "financeur": 0}
    for role, nombre in {**attendus, "accompagnateur": 3, "instructeur_autre": 0, "employeur": 0}.items():
        reponse = _client(monde, role).get(R)
        assert reponse.status_code == 200
        corps = reponse.json()
        lignes = corps["results"] if isinstance(corps, dict) else corps
        assert len(lignes) == nombre, role
    assert _client(monde, "anonyme").get(R).status_code == 401


def test_saisie_pour_le_compte_sans_consentement_nomme_le_champ(monde):
    reponse = _client(monde, "accompagnateur").post(_detail(monde, "deposer/"), _saisie(monde), format="json")
    assert reponse.status_code == 400
    assert "pour le compte du collectif" in reponse.json()["consentement"][0]
    assert monde.bilan.etat == EtatBilan.ATTENDU


def test_saisie_pour_le_compte_avec_consentement_dit_pour_qui(monde):
    reponse = _client(monde, "accompagnateur").post(_detail(monde, "deposer/"), _consentement(monde), format="json")
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["etat"] == EtatBilan.DEPOSE
    assert corps["pour_le_compte_de"] == "Le collectif, réunion du 3 mars"
    assert corps["saisi_par"] == str(monde.accompagnateur)


def test_un_depot_incomplet_nomme_les_manques_et_ne_garde_rien(monde):
    reponse = _client(monde, "referent_a").post(
        _detail(monde, "deposer/"), _saisie(monde, recit="", niveau_participation=""), format="json"
    )
    assert reponse.status_code == 400
    assert set(reponse.json()) >= {"recit", "niveau_participation"}
    assert monde.bilan.enregistre_le is None


def test_valider_un_bilan_non_depose_est_une_erreur_400(monde):
    reponse = _client(monde, "instructeur_42").post(_detail(monde, "valider/"), format="json")
    assert reponse.status_code == 400
    assert "seul un bilan déposé" in reponse.json()["non_field_errors"][0]


def test_un_compte_negatif_est_refuse_par_champ(monde):
    reponse = _client(monde, "referent_a").post(
        _detail(monde, "enregistrer/"), _saisie(monde, nombre_participants=-3), format="json"
    )
    assert reponse.status_code == 400
    assert "nombre_participants" in reponse.json()


# The page's count, the check-ins with their convention, collectif and actors (one query, the scope as subqueries),
# their values with their indicators (one query): the same with one indicator or three.
REQUETES_LISTE = 3


@pytest.mark.parametrize("nombre", [1, 3])
def test_requetes_de_la_liste(nombre, distribution, django_assert_num_queries):
    monde = construire(distribution, indicateurs=nombre)
    deposer(monde)  # its values are listed
    client = _client(monde, "instructeur_42")
    client.get(R)
    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(R)
    assert len(reponse.json()["results"] if isinstance(reponse.json(), dict) else reponse.json()) == 3
    assert BilanAnnuel.objects.count() == 3
