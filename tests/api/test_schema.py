"""The OpenAPI schema is valid and complete; the docs work offline and under the CSP (SPEC §8)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

CHEMINS = [
    "/api/v1/personnes/moi/donnees/",
    "/api/v1/personnes/membres/{id}/donnees/",
    "/api/v1/personnes/membres/{id}/anonymiser/",
    "/api/v1/personnes/comptes/{id}/donnees/",
    "/api/v1/personnes/comptes/{id}/anonymiser/",
    "/api/v1/departements/",
    "/api/v1/departements/{code}/",
    "/api/v1/campagnes/",
    "/api/v1/campagnes/{id}/",
    "/api/v1/campagnes/{id}/ouvrir/",
    "/api/v1/campagnes/{id}/clore/",
    "/api/v1/collectifs/",
    "/api/v1/collectifs/{id}/",
    "/api/v1/collectifs/{id}/composition/",
    "/api/v1/collectifs/{collectif_pk}/journal/",
    "/api/v1/collectifs/{collectif_pk}/journal/{id}/",
    "/api/v1/collectifs/{collectif_pk}/membres/",
    "/api/v1/collectifs/{collectif_pk}/membres/{id}/",
    "/api/v1/declarations/",
    "/api/v1/declarations/{id}/",
    "/api/v1/declarations/{id}/indicateurs/",
    "/api/v1/declarations/{id}/accepter-charte/",
    "/api/v1/declarations/{id}/conditions/",
    "/api/v1/declarations/{id}/deposer/",
    "/api/v1/declarations/{id}/retirer/",
    "/api/v1/declarations/{id}/recepisse/",
    "/api/v1/declarations/{id}/instruire/",
    "/api/v1/declarations/{id}/complements/",
    "/api/v1/declarations/{id}/repondre/",
    "/api/v1/declarations/{id}/recevable/",
    "/api/v1/declarations/{id}/classer-sans-suite/",
    "/api/v1/declarations/{id}/messages/",
    "/api/v1/declarations/{id}/financements-anterieurs/",
    "/api/v1/declarations/{id}/accompagnateur/",
    "/api/v1/declarations/{id}/documents/",
    "/api/v1/declarations/{id}/documents/{numero}/",
    "/api/v1/instances/",
    "/api/v1/instances/{id}/",
    "/api/v1/instances/{id}/presidence/tourner/",
    "/api/v1/instances/{id}/accompagnateurs/",
    "/api/v1/seances/",
    "/api/v1/seances/{id}/",
    "/api/v1/seances/{id}/ouvrir/",
    "/api/v1/seances/{id}/presences/",
    "/api/v1/seances/{id}/clore/",
    "/api/v1/seances/{id}/proces-verbal/",
    "/api/v1/seances/{seance_pk}/points/",
    "/api/v1/seances/{seance_pk}/points/{id}/",
    "/api/v1/seances/{seance_pk}/points/{id}/conflits/",
    "/api/v1/seances/{seance_pk}/points/{id}/votes/",
    "/api/v1/seances/{seance_pk}/points/{id}/motifs/",
    "/api/v1/seances/{seance_pk}/points/{id}/statuer/",
    "/api/v1/seances/{seance_pk}/points/{id}/montants/",
    "/api/v1/seances/{seance_pk}/points/{id}/derogation-equite/",
    "/api/v1/fonds/",
    "/api/v1/fonds/{id}/",
    "/api/v1/fonds/{id}/situation/",
    "/api/v1/fonds/{id}/enveloppes/",
    "/api/v1/financeurs/",
    "/api/v1/financeurs/{id}/",
    "/api/v1/financeurs/{id}/inviter/",
    "/api/v1/financeurs/{id}/parts/",
    "/api/v1/abondements/",
    "/api/v1/abondements/{id}/",
    "/api/v1/enveloppes/",
    "/api/v1/enveloppes/{id}/",
    "/api/v1/ecritures/",
    "/api/v1/ecritures/{id}/",
    "/api/v1/conventions/",
    "/api/v1/conventions/{id}/",
    "/api/v1/conventions/{id}/signer/",
    "/api/v1/conventions/{id}/annuler/",
    "/api/v1/tranches/",
    "/api/v1/tranches/{id}/",
    "/api/v1/tranches/{id}/liberer/",
    "/api/v1/versements/",
    "/api/v1/versements/{id}/",
    "/api/v1/mises-a-disposition/",
    "/api/v1/mises-a-disposition/{id}/",
    "/api/v1/mises-a-disposition/{id}/prendre-acte/",
    "/api/v1/mises-a-disposition/{id}/decliner/",
    "/api/v1/bilans/",
    "/api/v1/bilans/{id}/",
    "/api/v1/bilans/{id}/enregistrer/",
    "/api/v1/bilans/{id}/deposer/",
    "/api/v1/bilans/{id}/valider/",
    "/api/v1/bilans/{id}/renvoyer/",
    "/api/v1/compte/jeton/",
    "/api/v1/fiches/",
    "/api/v1/fiches/{id}/",
    "/api/v1/fiches/{id}/enregistrer/",
    "/api/v1/fiches/{id}/proposer/",
    "/api/v1/fiches/{id}/publier/",
    "/api/v1/fiches/{id}/retenir/",
    "/api/v1/fiches/{id}/retourner/",
    "/api/v1/pratiques/",
    "/api/v1/pratiques/{id}/",
    "/api/v1/prix/",
    "/api/v1/prix/{id}/",
    "/api/v1/prix/{id}/jury/",
    "/api/v1/prix/{id}/nominer-laureates/",
    "/api/v1/prix/{id}/nominer/",
    "/api/v1/prix/{id}/noter/",
    "/api/v1/prix/{id}/ouvrir-jury/",
    "/api/v1/prix/{id}/proclamer/",
    "/api/v1/rapports/",
    "/api/v1/rapports/lancer/",
    "/api/v1/rapports/{annee}/",
    "/api/v1/rapports/{annee}/progression/",
    "/api/v1/rencontres/",
    "/api/v1/rencontres/{id}/",
    "/api/v1/rencontres/{id}/annuler/",
    "/api/v1/rencontres/{id}/compte-rendu/",
    "/api/v1/rencontres/{id}/inviter/",
    "/api/v1/rencontres/{id}/modifier/",
    "/api/v1/rencontres/{id}/presences/",
    "/api/v1/syntheses/",
    "/api/v1/syntheses/generer/",
    "/api/v1/syntheses/{id}/",
    "/api/v1/syntheses/{id}/rediger/",
    "/api/v1/syntheses/{id}/transmettre/",
    "/api/v1/administration/accompagnateurs/",
    "/api/v1/administration/accompagnateurs/{id}/",
    "/api/v1/administration/accompagnateurs/{id}/modifier/",
    "/api/v1/administration/accompagnateurs/{id}/remettre/",
    "/api/v1/administration/accompagnateurs/{id}/retirer/",
    "/api/v1/administration/departements/{departement_code}/instructeurs/",
    "/api/v1/administration/departements/{departement_code}/instructeurs/{id}/retirer/",
    "/api/v1/administration/instances/",
    "/api/v1/administration/instances/{id}/",
    "/api/v1/administration/instances/{id}/modifier/",
    "/api/v1/administration/instances/{instance_pk}/membres/",
    "/api/v1/administration/instances/{instance_pk}/membres/reordonner/",
    "/api/v1/administration/instances/{instance_pk}/membres/{id}/",
    "/api/v1/administration/instances/{instance_pk}/membres/{id}/fin/",
    "/api/v1/administration/instances/{instance_pk}/membres/{id}/modifier/",
    "/api/v1/administration/invitations/",
    "/api/v1/administration/invitations/{id}/",
    "/api/v1/administration/invitations/{id}/annuler/",
]


def test_schema_openapi_valide(client, db):
    reponse = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert reponse.status_code == 200
    schema = json.loads(reponse.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert sorted(schema["paths"]) == sorted(CHEMINS)
    # Nothing is deleted through the API.
    assert not any("delete" in operations for chemin, operations in schema["paths"].items() if "jeton" not in chemin)
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_schema_genere_sans_avertissement(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`, as CI runs it."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "openapi: 3" in (tmp_path / "schema.yaml").read_text()


@pytest.mark.parametrize("connecte", [False, True])
def test_documentation_hors_ligne_et_sans_script_en_ligne(client, distribution, connecte):
    if connecte:
        client.force_login(distribution.referent_a)
    reponse = client.get("/api/v1/docs/")
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "swagger-ui" in page
    assert "https://" not in page and "http://" not in page and "cdn" not in page.lower()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert len(sources) == 3
    # No inline script (the CSP forbids it): every <script> has a src, served from our own origin.
    assert page.count("<script") == len(sources)
    for source in sources:
        assert source.startswith("/"), source
    statiques = [s.removeprefix("/static/") for s in sources if s.startswith("/static/")]
    assert len(statiques) == 2 and all(finders.find(s) for s in statiques)
    init = client.get(next(s for s in sources if not s.startswith("/static/")))
    assert init.status_code == 200
    assert "/api/v1/schema/" in init.content.decode()
