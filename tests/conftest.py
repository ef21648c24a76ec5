"""Shared fixtures: the cast of roles every permission test runs through."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest

from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.documents.pdf import PDF_MINIMAL
from tests.instances.factories import CampagneFactory


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    """Each test writes its documents in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _pdf_factice(request):
    """Issued documents get a tiny stub PDF instead of a WeasyPrint rendering (about a second each).

    Tests that read a PDF's text or bytes are marked `pdf` and render for real; so do browser tests."""
    if request.node.get_closest_marker("pdf") or request.node.get_closest_marker("browser"):
        yield
        return
    with mock.patch("documents.services.rendre_pdf", return_value=PDF_MINIMAL):
        yield


@dataclass
class Distribution:
    """Référent A (of collectif A, Loire), référent B (collectif B, Loire), instructeurs and national staff."""

    collectif_a: Any
    collectif_b: Any
    referent_a: Any
    referent_b: Any
    instructeur_42: Any
    instructeur_autre: Any
    national: Any
    campagne: Any

    def utilisateur(self, role: str) -> Any:
        return None if role == "anonyme" else getattr(self, role)


ROLES = ["anonyme", "referent_a", "referent_b", "instructeur_42", "instructeur_autre", "national"]


@pytest.fixture
def distribution(db) -> Distribution:
    referent_a, referent_b = UserFactory(email="referente.a@exemple.fr"), UserFactory(email="referent.b@exemple.fr")
    collectif_a = CollectifFactory(referent=referent_a, nom="Collectif A de Montreynaud")
    collectif_b = CollectifFactory(referent=referent_b, nom="Collectif B de Firminy")
    return Distribution(
        collectif_a=collectif_a,
        collectif_b=collectif_b,
        referent_a=referent_a,
        referent_b=referent_b,
        instructeur_42=InstructeurFactory(user__email="instructrice.42@exemple.fr", departements=["42"]).user,
        instructeur_autre=InstructeurFactory(user__email="instructeur.69@exemple.fr", departements=["69"]).user,
        national=UserFactory(email="national@exemple.fr", national=True),
        campagne=CampagneFactory(ouverte=True),
    )


@pytest.fixture
def declaration_prete(distribution):
    return DeclarationFactory(collectif=distribution.collectif_a, prete=True, campagne=distribution.campagne)


def client_pour(client, user):
    if user is not None:
        client.force_login(user)
    return client
