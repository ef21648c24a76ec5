"""Secondments through the API (R9): every endpoint × every role (with the `employeur` and `financeur` logins and a
member of the Loire's instance), French errors keyed by field, and the list's query count pinned at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from collectifs.enums import College
from fonds.enums import EtatMiseADisposition
from fonds.models import MiseADisposition
from tests.conftest import ROLES
from tests.fonds.parcours_mad import DEBUT, FIN, PLAN, MondeMAD, construire, demander
from tests.vues import membre

pytestmark = pytest.mark.django_db

R = "/api/v1/mises-a-disposition/"
ROLES_MAD = [*ROLES, "employeur", "membre_instance", "financeur"]
LISENT = {"referent_a", "employeur", "instructeur_42", "national", "membre_instance"}


@pytest.fixture
def m(distribution) -> MondeMAD:
    monde = construire(distribution)
    monde.mise = demander(monde)  # type: ignore[attr-defined]
    return monde


def _client(m: MondeMAD, role: str) -> APIClient:
    client = APIClient()
    utilisateur = m.utilisateur(role)
    if utilisateur is not None:
        client.force_authenticate(utilisateur)
    return client


@pytest.mark.parametrize("role", ROLES_MAD)
def test_liste_et_detail(m, role):
    client = _client(m, role)
    liste = client.get(R)
    detail = client.get(f"{R}{m.mise.pk}/")
    if role == "anonyme":
        assert liste.status_code in (401, 403) and detail.status_code in (401, 403)
        return
    assert liste.status_code == 200
    ids = (
        [ligne["id"] for ligne in liste.json()["results"]]
        if "results" in liste.json()
        else [ligne["id"] for ligne in liste.json()]
    )
    if role in LISENT:
        assert ids == [m.mise.pk]
        assert detail.status_code == 200
        assert detail.json()["personne"] == "Karim Benali"
        assert detail.json()["employeur_nom"] == "Centre social de Montreynaud"
        assert detail.json()["plan_continuite"] == PLAN
    else:
        assert ids == []
        assert detail.status_code == 404


@pytest.mark.parametrize("role", ROLES_MAD)
@pytest.mark.parametrize("quoi", ["prendre-acte", "decliner"])
def test_reponse_de_l_employeur(m, role, quoi):
    reponse = _client(m, role).post(f"{R}{m.mise.pk}/{quoi}/", {"motif": "Service en sous-effectif."})
    etat = MiseADisposition.objects.get(pk=m.mise.pk).etat
    if role == "employeur":
        assert reponse.status_code == 200
        attendu = EtatMiseADisposition.PRISE_ACTE if quoi == "prendre-acte" else EtatMiseADisposition.DECLINEE
        assert reponse.json()["etat"] == etat == attendu
    elif role == "anonyme":
        assert reponse.status_code in (401, 403)
    else:
        assert reponse.status_code == (403 if role in LISENT else 404)
    if role != "employeur":
        assert etat == EtatMiseADisposition.DEMANDEE


def test_refus_sans_motif(m):
    reponse = _client(m, "employeur").post(f"{R}{m.mise.pk}/decliner/", {"motif": ""})
    assert reponse.status_code == 400
    assert "motif" in reponse.json()


def test_nombre_de_requetes_constant(m):
    client = _client(m, "referent_a")
    comptes = []
    for nombre in (1, 10):
        for rang in range(nombre):
            personne = membre(
                m.collectif_a, College.PROFESSIONNEL, f"P{nombre}x{rang}", "Api", organisation=m.institution
            )
            MiseADisposition.objects.create(
                collectif=m.collectif_a,
                convention=m.convention,
                membre=personne,
                employeur=m.institution,
                quotite=Decimal("5"),
                date_debut=DEBUT,
                date_fin=FIN + datetime.timedelta(days=10),
                plan_continuite=PLAN,
                email_employeur=m.employeur.email,
                demandee_par=m.referent_a,
            )
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(R).status_code == 200
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], comptes
