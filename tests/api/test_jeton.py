"""Personal API token: create it through the endpoint, use it, regenerate it, revoke it."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

R = "/api/v1/"


def _par_jeton(cle: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {cle}")
    return client


def test_jeton_cree_utilise_regenere_puis_revoque(api, distribution):
    session = api.en(distribution.referent_a)
    assert session.get(R + "compte/jeton/").json() == {"actif": False, "cree_le": None}

    reponse = session.post(R + "compte/jeton/")
    assert reponse.status_code == 201
    cle = reponse.json()["cle"]
    assert Token.objects.get(user=distribution.referent_a).key == cle

    # The token acts as its owner, with the owner's scope, and without any session.
    par_jeton = _par_jeton(cle)
    collectifs = par_jeton.get(R + "collectifs/")
    assert collectifs.status_code == 200
    assert [c["id"] for c in collectifs.json()["results"]] == [distribution.collectif_a.pk]
    assert par_jeton.get(R + f"collectifs/{distribution.collectif_b.pk}/").status_code == 404
    # The state endpoint never shows the key again.
    etat = par_jeton.get(R + "compte/jeton/").json()
    assert etat["actif"] is True and cle not in str(etat)

    # Regenerating replaces the key: the old one stops working at once.
    nouvelle = session.post(R + "compte/jeton/").json()["cle"]
    assert nouvelle != cle
    assert _par_jeton(cle).get(R + "collectifs/").status_code == 401
    assert _par_jeton(nouvelle).get(R + "collectifs/").status_code == 200

    # Revoking, here with the token itself.
    assert _par_jeton(nouvelle).delete(R + "compte/jeton/").status_code == 204
    reponse = _par_jeton(nouvelle).get(R + "collectifs/")
    assert reponse.status_code == 401
    assert reponse.json() == {"detail": "Token non valide."}
    assert not Token.objects.filter(user=distribution.referent_a).exists()
    assert session.get(R + "compte/jeton/").json() == {"actif": False, "cree_le": None}


def test_jeton_d_un_compte_desactive_refuse(api, distribution):
    cle = api.en(distribution.referent_a).post(R + "compte/jeton/").json()["cle"]
    distribution.referent_a.is_active = False
    distribution.referent_a.save(update_fields=["is_active"])
    assert _par_jeton(cle).get(R + "collectifs/").status_code == 401


def test_jeton_inconnu_refuse(db):
    assert _par_jeton("0" * 40).get(R + "departements/").status_code == 401
