"""The prizes through the API (R18): every endpoint × every role, the conflict of interest refused (403), the jury
college mirror refused (400), and the list's query count at two sizes. The world is the pages'
(tests/mutualisation/test_prix.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from collectifs.enums import College
from mutualisation.enums import EtatPrix
from mutualisation.models import MembreJury, Nomination, NoteJury, Prix
from mutualisation.services.prix import prix_creer
from territoires.models import Departement
from tests.mutualisation.test_prix import ANNEE, ROLES_PRIX, MondePrix, construire, en_jury, fiche, noter_tout

pytestmark = pytest.mark.django_db

R = "/api/v1/prix/"


def _client(monde: Any, role: str) -> APIClient:
    client = APIClient()
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_authenticate(utilisateur)
    return client


def _ligne(
    *,
    anonyme: int = 401,
    referent_a: int = 404,
    referent_b: int = 404,
    instructeur_42: int,
    instructeur_autre: int = 404,
    national: int,
    jure: int,
    jure_conflit: int,
) -> dict[str, int]:
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "jure": jure,
        "jure_conflit": jure_conflit,
    }


ECRITURE = _ligne(instructeur_42=200, national=403, jure=403, jure_conflit=403)


def _detail(suffixe: str = "") -> Callable[[MondePrix], str]:
    return lambda m: f"{R}{m.prix.pk}/{suffixe}"


# (name, url, body, before, expected per role, effect: true exactly when the write happened)
CAS: list[tuple[str, Callable[..., str], Any, Any, dict[str, int], Callable[[MondePrix], bool] | None]] = [
    ("detail", _detail(), None, None, _ligne(instructeur_42=200, national=200, jure=200, jure_conflit=200), None),
    (
        "creer",
        lambda m: R,
        {"niveau": "departemental", "departement": "42", "annee": 2029, "titre": "Prix 2029"},
        None,
        _ligne(
            referent_a=403,
            referent_b=403,
            instructeur_42=201,
            instructeur_autre=403,
            national=403,
            jure=403,
            jure_conflit=403,
        ),
        lambda m: Prix.objects.filter(annee=2029).exists(),
    ),
    (
        "nominer",
        _detail("nominer/"),
        lambda m: {"fiche": fiche(m.collectif_b, "Tardive").pk},
        None,
        ECRITURE,
        lambda m: Nomination.objects.filter(fiche__titre="Tardive").exists(),
    ),
    (
        "jury",
        _detail("jury/"),
        {"prenom": "Nina", "nom": "Roux", "college": College.HABITANT},
        None,
        ECRITURE,
        lambda m: MembreJury.objects.filter(nom="Roux").exists(),
    ),
    (
        "ouvrir_jury",
        _detail("ouvrir-jury/"),
        None,
        None,
        ECRITURE,
        lambda m: m.recharger().etat == EtatPrix.JURY,
    ),
    (
        "noter",
        _detail("noter/"),
        lambda m: {"nomination": m.nomination(m.fiche_b).pk, "note": 7},
        en_jury,
        _ligne(instructeur_42=403, national=403, jure=200, jure_conflit=200),
        lambda m: NoteJury.objects.exists(),
    ),
    (
        "noter_conflit",
        _detail("noter/"),
        lambda m: {"nomination": m.nomination(m.fiche_a).pk, "note": 7},
        en_jury,
        _ligne(instructeur_42=403, national=403, jure=200, jure_conflit=403),
        lambda m: NoteJury.objects.exists(),
    ),
    (
        "proclamer",
        _detail("proclamer/"),
        {"nombre_laureats": 1},
        lambda m: noter_tout(m, 2, 9),
        ECRITURE,
        lambda m: m.recharger().etat == EtatPrix.PROCLAME,
    ),
]


@pytest.mark.parametrize(("nom", "url", "corps", "avant", "attendu", "effet"), [pytest.param(*c, id=c[0]) for c in CAS])
@pytest.mark.parametrize("role", ROLES_PRIX)
def test_matrice(nom, url, corps, avant, attendu, effet, role, distribution):
    monde = construire(distribution)
    if avant is not None:
        avant(monde)
    donnees = corps(monde) if callable(corps) else corps
    reponse = _client(monde, role).post(url(monde), donnees, format="json") if nom != "detail" else None
    if reponse is None:
        reponse = _client(monde, role).get(url(monde))
    assert reponse.status_code == attendu[role], (nom, role, reponse.status_code, getattr(reponse, "data", None))
    if effet is not None:
        assert effet(monde) is (attendu[role] in (200, 201)), (nom, role)


def test_conflit_d_interets_explique(distribution):
    monde = construire(distribution)
    en_jury(monde)
    reponse = _client(monde, "jure_conflit").post(
        f"{R}{monde.prix.pk}/noter/", {"nomination": monde.nomination(monde.fiche_a).pk, "note": 10}, format="json"
    )
    assert reponse.status_code == 403
    assert "Conflit d'intérêts" in reponse.data["detail"]


def test_jury_incomplet_refuse(distribution):
    monde = construire(distribution, jury=False)
    reponse = _client(monde, "instructeur_42").post(f"{R}{monde.prix.pk}/ouvrir-jury/", format="json")
    assert reponse.status_code == 400
    assert "Le jury doit refléter les trois collèges" in reponse.data["non_field_errors"][0]


def test_les_laureates_departementales_nominees_au_prix_national(distribution):
    monde = construire(distribution)
    noter_tout(monde, 2, 9)
    _client(monde, "instructeur_42").post(f"{R}{monde.prix.pk}/proclamer/", {}, format="json")
    client = _client(monde, "national")
    cree = client.post(R, {"niveau": "national", "annee": ANNEE, "titre": "Prix national"}, format="json")
    assert cree.status_code == 201, cree.data
    reponse = client.post(f"{R}{cree.data['id']}/nominer-laureates/", format="json")
    assert [n["titre"] for n in reponse.data["nominations"]] == ["Le jardin des voisins"]


REQUETES_LISTE = 4  # the page of prizes with their counts, its total, the nominations, the jury


@pytest.mark.parametrize("nombre", [1, 5])
def test_requetes_de_la_liste(nombre, distribution, django_assert_num_queries):
    monde = construire(distribution)
    for rang in range(1, nombre):
        prix_creer(
            acteur=monde.instructeur_42,
            niveau="departemental",
            annee=ANNEE + rang,
            titre=f"Prix {rang}",
            departement=Departement.objects.get(code="42"),
        )
    client = APIClient()
    client.force_authenticate(monde.national)
    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(R)
    assert reponse.data["count"] == nombre
