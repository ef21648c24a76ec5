"""Documents leave only through permission-checked views; behind nginx, Django may hand the sending over to an
`internal` location with X-Accel-Redirect, after the same permission and SHA-256 checks."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings
from django.urls import reverse

from collectifs.services import declaration_deposer
from documents.models import Document
from documents.views import reponse_pdf
from tests.conftest import client_pour

PREFIXE = "/_documents_proteges/"


@pytest.fixture
def recepisse(distribution, declaration_prete, django_capture_on_commit_callbacks) -> Document:
    with django_capture_on_commit_callbacks(execute=True):  # the file is written when the filing commits
        return declaration_deposer(acteur=distribution.referent_a, declaration=declaration_prete)


@pytest.mark.django_db
def test_par_defaut_django_envoie_le_pdf(client, distribution, declaration_prete, recepisse):
    client_pour(client, distribution.referent_a)

    reponse = client.get(reverse("collectifs:recepisse", args=[declaration_prete.pk]))

    assert reponse.status_code == 200
    assert "X-Accel-Redirect" not in reponse
    assert hashlib.sha256(reponse.content).hexdigest() == recepisse.sha256


@pytest.mark.django_db
@override_settings(DOCUMENTS_X_ACCEL_REDIRECT=PREFIXE)
def test_derriere_nginx_la_vue_renvoie_une_redirection_interne(client, distribution, declaration_prete, recepisse):
    client_pour(client, distribution.referent_a)

    reponse = client.get(reverse("collectifs:recepisse", args=[declaration_prete.pk]))

    assert reponse.status_code == 200
    assert reponse.content == b""
    assert reponse["X-Accel-Redirect"] == PREFIXE + recepisse.fichier.name
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == f'attachment; filename="{recepisse.numero}.pdf"'


@pytest.mark.django_db
@override_settings(DOCUMENTS_X_ACCEL_REDIRECT=PREFIXE)
def test_derriere_nginx_un_inconnu_n_obtient_pas_de_redirection(client, distribution, declaration_prete, recepisse):
    client_pour(client, distribution.referent_b)

    reponse = client.get(reverse("collectifs:recepisse", args=[declaration_prete.pk]))

    assert reponse.status_code == 404
    assert "X-Accel-Redirect" not in reponse


@pytest.mark.django_db
@override_settings(DOCUMENTS_X_ACCEL_REDIRECT=PREFIXE)
def test_un_fichier_altere_n_est_pas_confie_a_nginx(recepisse):
    chemin = recepisse.fichier.path
    with open(chemin, "ab") as fichier:
        fichier.write(b"%% ajout")

    with pytest.raises(ValueError, match="altéré"):
        reponse_pdf(recepisse)


@pytest.mark.django_db
@override_settings(DOCUMENTS_X_ACCEL_REDIRECT=PREFIXE)
def test_un_document_pas_encore_ecrit_est_envoye_par_django(distribution, declaration_prete):
    # Issued in this (not yet committed) transaction: no file on disk yet, nginx would answer 404.
    document = declaration_deposer(acteur=distribution.referent_a, declaration=declaration_prete)
    assert not document.fichier.storage.exists(document.fichier.name)

    reponse = reponse_pdf(document)

    assert "X-Accel-Redirect" not in reponse
    assert hashlib.sha256(reponse.content).hexdigest() == document.sha256


@pytest.mark.django_db
def test_aucune_url_ne_sert_media_root_hors_debug(client, distribution, recepisse, settings):
    settings.DEBUG = False
    client_pour(client, distribution.referent_a)

    for url in [f"/media/{recepisse.fichier.name}", f"{PREFIXE}{recepisse.fichier.name}", f"/{recepisse.fichier.name}"]:
        assert client.get(url).status_code == 404
