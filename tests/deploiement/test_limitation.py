"""Throttling behind a reverse proxy: the client's address comes from a trusted header only (login: django-axes;
API: DRF's throttles), and the API's 429 is in French with a Retry-After header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from core.reseau import ip_client
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

CONNEXION = reverse("comptes:connexion")
PRATIQUES = "/api/v1/pratiques/"  # public: anonymous clients reach the throttle
DEPARTEMENTS = "/api/v1/departements/"


def _requete(remote: str = "10.0.0.2", xff: str | None = None):
    entetes = {"REMOTE_ADDR": remote}
    if xff is not None:
        entetes["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **entetes)


# --- core.reseau.ip_client ---


def test_sans_proxy_de_confiance_un_x_forwarded_for_forge_ne_change_pas_l_adresse(settings):
    settings.PROXIES_DE_CONFIANCE = 0

    assert ip_client(_requete("203.0.113.7", xff="198.51.100.1")) == "203.0.113.7"
    assert ip_client(_requete("203.0.113.7")) == "203.0.113.7"


def test_derriere_un_proxy_de_confiance_l_adresse_transmise_par_lui_compte(settings):
    settings.PROXIES_DE_CONFIANCE = 1

    assert ip_client(_requete("10.0.0.2", xff="198.51.100.1")) == "198.51.100.1"
    # The client wrote its own X-Forwarded-For: nginx appended the real address; only the right-most one counts.
    assert ip_client(_requete("10.0.0.2", xff="192.0.2.66, 198.51.100.1")) == "198.51.100.1"


def test_derriere_deux_proxies_l_adresse_vue_par_le_premier_compte(settings):
    settings.PROXIES_DE_CONFIANCE = 2

    assert ip_client(_requete("10.0.0.3", xff="192.0.2.66, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"


@pytest.mark.parametrize("xff", ["", "pas-une-adresse", " , "])
def test_un_en_tete_vide_ou_invalide_retombe_sur_remote_addr(settings, xff):
    settings.PROXIES_DE_CONFIANCE = 1

    assert ip_client(_requete("10.0.0.2", xff=xff)) == "10.0.0.2"


def test_axes_et_drf_lisent_la_meme_adresse():
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.reseau.ip_client"
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.PROXIES_DE_CONFIANCE
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "core.reseau.DebitAnonyme",
        "core.reseau.DebitUtilisateur",
    ]


# --- Login throttling (django-axes) ---


def _echouer(client, email: str, xff: str):
    return client.post(
        CONNEXION, {"username": email, "password": "mauvais-mot-de-passe"}, REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=xff,
    )  # fmt: skip


@pytest.mark.django_db
def test_sans_proxy_de_confiance_changer_d_x_forwarded_for_ne_contourne_pas_le_verrouillage(client, settings):
    settings.PROXIES_DE_CONFIANCE = 0
    camille = UserFactory(email="camille.martin@exemple.fr")
    for numero in range(settings.AXES_FAILURE_LIMIT):
        _echouer(client, camille.email, xff=f"198.51.100.{numero}")

    reponse = client.post(
        CONNEXION, {"username": camille.email, "password": MOT_DE_PASSE}, REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )  # fmt: skip

    assert reponse.status_code == 429
    assert "Connexion temporairement bloquée" in reponse.content.decode()


@pytest.mark.django_db
def test_derriere_le_proxy_chaque_client_a_son_propre_compteur(client, settings):
    settings.PROXIES_DE_CONFIANCE = 1
    camille = UserFactory(email="camille.martin@exemple.fr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _echouer(client, camille.email, xff="198.51.100.1")

    bloque = client.post(
        CONNEXION, {"username": camille.email, "password": MOT_DE_PASSE}, REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.1",  # a forged left part does not unlock
    )  # fmt: skip
    autre_client = client.post(
        CONNEXION, {"username": camille.email, "password": MOT_DE_PASSE}, REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )  # fmt: skip

    assert bloque.status_code == 429
    assert autre_client.status_code == 302


# --- API throttling (DRF) ---


@pytest.fixture
def debits(monkeypatch) -> Iterator[None]:
    """Low rates for these tests only (the test settings switch throttling off), on an empty cache."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    cache.clear()
    yield
    cache.clear()


def _trop(reponse) -> None:
    assert reponse.status_code == 429
    secondes = int(reponse["Retry-After"])
    assert 1 <= secondes <= 60
    attendu = f"Trop de requêtes. Réessayez dans {secondes} seconde{'s' if secondes > 1 else ''}."
    assert reponse.json() == {"detail": attendu}


@pytest.mark.django_db
def test_un_client_anonyme_recoit_un_429_en_francais(debits):
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.get(PRATIQUES).status_code == 200

    _trop(client.get(PRATIQUES))
    assert APIClient(REMOTE_ADDR="203.0.113.8").get(PRATIQUES).status_code == 200  # another address


@pytest.mark.django_db
def test_un_client_anonyme_ne_s_echappe_pas_par_un_x_forwarded_for_forge(debits, settings):
    settings.PROXIES_DE_CONFIANCE = 0
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    for numero in range(3):
        assert client.get(PRATIQUES, HTTP_X_FORWARDED_FOR=f"198.51.100.{numero}").status_code == 200

    _trop(client.get(PRATIQUES, HTTP_X_FORWARDED_FOR="198.51.100.99"))


@pytest.mark.django_db
def test_un_client_authentifie_recoit_un_429_en_francais_par_compte(debits):
    premiere, seconde = UserFactory(), UserFactory()
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    client.force_authenticate(premiere)
    for _ in range(5):
        assert client.get(DEPARTEMENTS).status_code == 200

    _trop(client.get(DEPARTEMENTS))
    autre = APIClient(REMOTE_ADDR="203.0.113.7")  # same address, another account: its own counter
    autre.force_authenticate(seconde)
    assert autre.get(DEPARTEMENTS).status_code == 200
