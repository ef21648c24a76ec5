"""API of the research-action journal (R10): /api/v1/collectifs/{id}/journal/ for every role (401 anonymous, 404
when the journal is hidden, 403 when read but not written, 200/201 when allowed), French errors by field, no
editing, and the list's query count pinned at two sizes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from instances.models import EntreeJournal
from tests.instances.monde_journal import ROLES_JOURNAL, TEXTE_ENTREE, construire_monde_journal

pytestmark = pytest.mark.django_db


def hier() -> datetime.date:
    """Yesterday, read when the test runs (a constant read at import goes stale when the run crosses midnight)."""
    return timezone.localdate() - datetime.timedelta(days=1)


LECTEURS = {"referent_a", "instructeur_42", "national", "accompagnateur"}


@pytest.fixture
def mj(distribution):
    return construire_monde_journal(distribution)


def url(mj, suite: str = "") -> str:
    return f"/api/v1/collectifs/{mj.collectif_a.pk}/journal/{suite}"


def attendu(role: str, permis: int, lecteur: int = 404) -> int:
    if role == "anonyme":
        return 401
    if role == "accompagnateur":
        return permis
    return lecteur if role in LECTEURS else 404


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_lister(api, mj, role):
    reponse = api.en(mj.utilisateur(role)).get(url(mj))
    statut = 401 if role == "anonyme" else (200 if role in LECTEURS else 404)
    assert reponse.status_code == statut
    if statut == 200:
        assert [e["texte"] for e in reponse.json()["results"]] == [TEXTE_ENTREE]
        assert reponse.json()["results"][0]["accompagnateur"] == "Alex Bernard (Coopérative d'accompagnement)"


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_consulter(api, mj, role):
    reponse = api.en(mj.utilisateur(role)).get(url(mj, f"{mj.entree.pk}/"))
    statut = 401 if role == "anonyme" else (200 if role in LECTEURS else 404)
    assert reponse.status_code == statut
    if statut == 200:
        assert reponse.json()["date"] == mj.entree.date.isoformat()


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_ecrire(api, mj, role):
    reponse = api.en(mj.utilisateur(role)).post(
        url(mj), {"date": hier().isoformat(), "texte": "Troisième atelier."}, format="json"
    )
    assert reponse.status_code == attendu(role, 201, 403)
    assert EntreeJournal.objects.filter(texte="Troisième atelier.").exists() is (role == "accompagnateur")


@pytest.mark.parametrize("methode", ["put", "patch", "delete"])
def test_une_entree_ne_se_modifie_pas(api, mj, methode):
    reponse = getattr(api.en(mj.accompagnateur), methode)(url(mj, f"{mj.entree.pk}/"), {"texte": "x"}, format="json")
    assert reponse.status_code == 405
    mj.entree.refresh_from_db()
    assert mj.entree.texte == TEXTE_ENTREE


def test_erreurs_en_francais_par_champ(api, mj):
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = api.en(mj.accompagnateur).post(url(mj), {"date": demain.isoformat(), "texte": "   "}, format="json")
    assert reponse.status_code == 400
    corps = reponse.json()
    assert "texte" in corps
    reponse = api.en(mj.accompagnateur).post(url(mj), {"date": demain.isoformat(), "texte": "Atelier."}, format="json")
    assert reponse.status_code == 400
    assert reponse.json()["date"] == ["La date ne peut pas être dans le futur."]


def test_identifiant_impossible(api, mj):
    assert api.en(mj.national).get("/api/v1/collectifs/99999999999999999999/journal/").status_code == 404


# session, user, the collectif (visibility union), the count, the page of entries with their accompagnateur.
REQUETES_LISTE = 5


@pytest.mark.parametrize("nombre", [2, 40])
@pytest.mark.parametrize("role", ["accompagnateur", "referent_a", "instructeur_42"])
def test_requetes_de_la_liste(api, mj, nombre, role, django_assert_num_queries):
    EntreeJournal.objects.bulk_create(
        EntreeJournal(
            collectif=mj.collectif_a,
            accompagnateur=mj.accompagnatrice,
            auteur=mj.accompagnateur,
            date=hier(),
            texte="x",
        )
        for _ in range(nombre)
    )
    client = api.en(mj.utilisateur(role))
    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(url(mj))
    assert reponse.json()["count"] == nombre + 1
