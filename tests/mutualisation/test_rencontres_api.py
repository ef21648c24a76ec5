"""The departmental meetings through the API (R13): every endpoint × every role, the list scoped to the user, and
the list's query count pinned at two sizes. The world is the pages' (tests/mutualisation/test_rencontres.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mutualisation.models import InvitationRencontre, Rencontre
from tests.mutualisation.test_rencontres import (
    ROLES_RENCONTRES,
    THEME_PASSEE,
    MondeRencontres,
    agreer,
    construire,
    deposer_piece,
    planifier,
)

pytestmark = pytest.mark.django_db

R = "/api/v1/rencontres/"


@pytest.fixture
def monde(distribution) -> MondeRencontres:
    return construire(distribution)


def _client(monde: Any, role: str) -> APIClient:
    client = APIClient()
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_authenticate(utilisateur)
    return client


def _ligne(
    *,
    anonyme: int = 401,
    referent_a: int,
    referent_b: int = 404,
    instructeur_42: int,
    instructeur_autre: int = 404,
    national: int,
    accompagnateur: int,
) -> dict[str, int]:
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "accompagnateur": accompagnateur,
    }


ECRITURE = _ligne(referent_a=403, instructeur_42=200, national=403, accompagnateur=403)


def _detail(suffixe: str = "") -> Callable[[MondeRencontres], str]:
    return lambda m: f"{R}{m.passee.pk}/{suffixe}"


def _recharger(m: MondeRencontres) -> Rencontre:
    return Rencontre.objects.get(pk=m.passee.pk)


# (name, method, url, body, expected per role, effect: true exactly when the write happened)
CAS: list[tuple[str, str, Callable[..., str], Any, dict[str, int], Callable[[MondeRencontres], bool] | None]] = [
    (
        "detail",
        "get",
        _detail(),
        None,
        _ligne(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        None,
    ),
    (
        "creer",
        "post",
        lambda m: R,
        lambda m: {
            "departement": "42",
            "date": "2030-03-15T18:30:00+01:00",
            "lieu": "Firminy",
            "theme": "Mobiliser les jeunes",
            "collectifs": [m.collectif_b.pk],
        },
        # Another département's instructeur and the collectifs may not plan in the Loire: 403 (no object to hide).
        _ligne(
            referent_a=403, referent_b=403, instructeur_42=201, instructeur_autre=403, national=403, accompagnateur=403
        ),
        lambda m: Rencontre.objects.filter(theme="Mobiliser les jeunes").exists(),
    ),
    (
        "modifier",
        "post",
        _detail("modifier/"),
        {"date": "2020-01-10T18:00:00+01:00", "lieu": "Centre social", "theme": "Nouveau thème"},
        ECRITURE,
        lambda m: _recharger(m).theme == "Nouveau thème",
    ),
    (
        "inviter",
        "post",
        _detail("inviter/"),
        lambda m: {"collectifs": [m.collectif_b.pk]},
        ECRITURE,
        lambda m: InvitationRencontre.objects.filter(rencontre=m.passee, collectif=m.collectif_b).exists(),
    ),
    (
        "presences",
        "post",
        _detail("presences/"),
        lambda m: {"presences": [{"collectif": m.collectif_a.pk, "present": True, "nombre_personnes": 5}]},
        ECRITURE,
        lambda m: InvitationRencontre.objects.get(rencontre=m.passee, collectif=m.collectif_a).nombre_personnes == 5,
    ),
    (
        "compte_rendu",
        "post",
        _detail("compte-rendu/"),
        {"compte_rendu": "Des notes."},
        ECRITURE,
        lambda m: _recharger(m).compte_rendu == "Des notes.",
    ),
    (
        "annuler",
        "post",
        _detail("annuler/"),
        {"motif": "Salle indisponible."},
        ECRITURE,
        lambda m: _recharger(m).annulee_le is not None,
    ),
]


@pytest.mark.parametrize(
    ("nom", "methode", "url", "corps", "attendu", "effet"),
    [pytest.param(*c, id=c[0]) for c in CAS],
)
@pytest.mark.parametrize("role", ROLES_RENCONTRES)
def test_matrice(nom, methode, url, corps, attendu, effet, role, distribution):
    monde = construire(distribution)
    donnees = corps(monde) if callable(corps) else corps
    reponse = getattr(_client(monde, role), methode)(url(monde), donnees, format="json")
    assert reponse.status_code == attendu[role], (nom, role, reponse.status_code, getattr(reponse, "data", None))
    if effet is not None:
        assert effet(monde) is (attendu[role] in (200, 201)), (nom, role)


@pytest.mark.parametrize(
    ("role", "themes"),
    [
        ("anonyme", None),
        ("referent_a", {THEME_PASSEE, "Les jardins partagés"}),
        ("referent_b", set()),
        ("instructeur_42", {THEME_PASSEE, "Les jardins partagés"}),
        ("instructeur_autre", set()),
        ("national", {THEME_PASSEE, "Les jardins partagés"}),
        ("accompagnateur", {THEME_PASSEE, "Les jardins partagés"}),
    ],
)
def test_liste_selon_le_role(role, themes, monde):
    reponse = _client(monde, role).get(R)
    if themes is None:
        assert reponse.status_code == 401
        return
    assert reponse.status_code == 200
    assert {r["theme"] for r in reponse.data["results"]} == themes


def test_le_detail_montre_presences_et_documents_sans_nom(monde):
    deposer_piece(monde)
    client = _client(monde, "instructeur_42")
    client.post(
        f"{R}{monde.passee.pk}/presences/",
        {"presences": [{"collectif": monde.collectif_a.pk, "present": True, "nombre_personnes": 4}]},
        format="json",
    )
    donnees = _client(monde, "referent_a").get(f"{R}{monde.passee.pk}/").data
    assert donnees["invitations"] == [
        {
            "collectif": monde.collectif_a.pk,
            "nom": "Collectif A de Montreynaud",
            "invitee_le": donnees["invitations"][0]["invitee_le"],
            "present": True,
            "nombre_personnes": 4,
        }
    ]
    assert donnees["pieces"][0]["url"] == f"/rencontres/{monde.passee.pk}/documents/{donnees['pieces'][0]['id']}/"


def test_presences_d_une_rencontre_a_venir_refusees(monde):
    reponse = _client(monde, "instructeur_42").post(
        f"{R}{monde.prevue.pk}/presences/",
        {"presences": [{"collectif": monde.collectif_a.pk, "present": True}]},
        format="json",
    )
    assert reponse.status_code == 400
    assert reponse.data["non_field_errors"] == [
        "La rencontre n'a pas encore eu lieu : les présences se notent ensuite."
    ]


# Forced authentication (no session): the page of meetings, its count, the invitations, the documents.
REQUETES_LISTE = 4


@pytest.mark.parametrize("nombre", [1, 6])
def test_requetes_de_la_liste(nombre, distribution, django_assert_num_queries):
    agreer(distribution.collectif_a, distribution.campagne)
    for rang in range(nombre):
        planifier(
            distribution,
            f"Rencontre {rang}",
            timezone.now() - datetime.timedelta(days=rang),
            [distribution.collectif_a],
        )
    client = APIClient()
    client.force_authenticate(distribution.instructeur_42)
    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(R)
    assert reponse.data["count"] == nombre
