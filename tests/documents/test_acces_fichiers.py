"""Issued documents leave the server only through the views that check permissions (R20: personal data).

No URL serves MEDIA_ROOT, even under DEBUG, and a stored file's name cannot be guessed from its number."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from django.urls import clear_url_caches, reverse

from collectifs.services import declaration_deposer
from documents.models import Document
from tests.conftest import Distribution, client_pour

NOM_ALEATOIRE = re.compile(r"documents/2027/[0-9a-f]{32}\.pdf")


@pytest.fixture
def urls_sous_debug(settings) -> Iterator[None]:
    """The URLconf as `make run` builds it (DEBUG, and the MEDIA_URL Django projects usually set)."""
    urls = importlib.import_module(settings.ROOT_URLCONF)  # imported here: at collection DRF is not ready yet
    settings.DEBUG = True
    settings.MEDIA_URL = "/media/"
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


def deposer(distribution: Distribution, declaration, capture) -> Document:
    with capture(execute=True):  # the file is written when the filing commits
        return declaration_deposer(acteur=distribution.referent_a, declaration=declaration)


@pytest.mark.django_db
def test_un_inconnu_n_obtient_pas_le_pdf_par_l_url_du_fichier_meme_sous_debug(
    client, distribution, declaration_prete, django_capture_on_commit_callbacks, urls_sous_debug
):
    document = deposer(distribution, declaration_prete, django_capture_on_commit_callbacks)
    assert document.fichier.storage.exists(document.fichier.name)  # a real file, on disk

    client_pour(client, distribution.referent_b)
    assert client.get(f"/media/{document.fichier.name}").status_code == 404
    # The permission-checked view refuses the stranger, and serves the referent of the collectif.
    url = reverse("collectifs:recepisse", args=[declaration_prete.pk])
    assert client.get(url).status_code == 404
    client_pour(client, distribution.referent_a)
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_le_nom_du_fichier_ne_se_devine_pas_depuis_le_numero(
    distribution, declaration_prete, django_capture_on_commit_callbacks
):
    document = deposer(distribution, declaration_prete, django_capture_on_commit_callbacks)

    assert NOM_ALEATOIRE.fullmatch(document.fichier.name)
    assert document.numero not in document.fichier.name
    assert document.nom_fichier == f"{document.numero}.pdf"  # the download keeps its readable name
