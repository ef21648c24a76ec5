"""The public pages (SPEC §8): open to every role, anonymous included; /healthz answers 503 without a
database; the home page lists open campaigns in a constant number of queries."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from territoires.models import Departement
from tests.instances.factories import CampagneFactory
from tests.vues import JSON, PDF, Cas, attendu, matrice, verifier

TOUS_200 = attendu(anonyme=200, referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200)
TOUS_405 = attendu(anonyme=405, referent_a=405, referent_b=405, instructeur_42=405, instructeur_autre=405, national=405)

CAS = [
    Cas(
        "accueil",
        lambda m: "/",
        TOUS_200,
        contenu=(
            "Collectifs locaux de développement social",
            "Campagnes ouvertes",
            "<td>Loire (42)</td><td>2027</td><td>5</td>",
            "Déclarer un collectif",
            'href="/formulaire-declaration.pdf"',
        ),
    ),
    Cas("accueil-post", lambda m: "/", TOUS_405, methode="post"),
    Cas(
        "healthz",
        lambda m: "/healthz",
        TOUS_200,
        type_contenu=JSON,
        contenu=('"statut": "ok"', '"base_de_donnees": "ok"'),
    ),
    Cas("accessibilite", lambda m: "/accessibilite/", TOUS_200, contenu=("Déclaration d'accessibilité", "RGAA")),
    Cas("mentions_legales", lambda m: "/mentions-legales/", TOUS_200, contenu=("<h1>Mentions légales</h1>",)),
    Cas(
        "donnees_personnelles",
        lambda m: "/donnees-personnelles/",
        TOUS_200,
        contenu=("<h1>Données personnelles</h1>",),
    ),
    Cas("formulaire_vierge", lambda m: "/formulaire-declaration.pdf", TOUS_200, type_contenu=PDF),
]


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, distribution, client):
    verifier(cas, role, distribution, client)


def test_les_chemins_publics_sont_stables():
    """SPEC §8: these addresses are public surfaces."""
    assert reverse("accueil") == "/"
    assert reverse("healthz") == "/healthz"
    assert reverse("accessibilite") == "/accessibilite/"
    assert reverse("mentions_legales") == "/mentions-legales/"
    assert reverse("donnees_personnelles") == "/donnees-personnelles/"
    assert reverse("collectifs:formulaire_vierge") == "/formulaire-declaration.pdf"


def test_formulaire_vierge_s_ouvre_dans_le_navigateur(db, client):
    reponse = client.get("/formulaire-declaration.pdf")
    assert reponse["Content-Disposition"].startswith("inline;")
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_accueil_sans_campagne_ouverte(db, client):
    CampagneFactory(annee=2026, close=True)
    CampagneFactory(annee=2027)  # en préparation
    page = client.get("/").content.decode()
    assert "Aucune campagne n'est ouverte en ce moment." in page
    assert "Loire (42)" not in page


# --- /healthz -----------------------------------------------------------------------------------------------


def test_healthz_200_avec_la_base(db, client):
    reponse = client.get("/healthz")
    assert reponse.status_code == 200
    assert json.loads(reponse.content) == {"statut": "ok", "base_de_donnees": "ok"}
    assert "no-cache" in reponse["Cache-Control"]


def test_healthz_503_sur_une_base_sans_les_tables_du_projet(tmp_path):
    """On SQLite, a deleted database file comes back empty on the next connection: that is not healthy."""
    base = tmp_path / "vide.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{base}", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    script = "from django.test import Client; r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    sortie = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    statut, _, corps = sortie.stdout.strip().splitlines()[-1].partition(" ")
    assert statut == "503"
    assert json.loads(corps) == {"statut": "indisponible", "base_de_donnees": "injoignable"}


def test_healthz_503_sans_les_donnees_de_reference(db, client):
    Departement.objects.all().delete()
    reponse = client.get("/healthz")
    assert reponse.status_code == 503
    assert json.loads(reponse.content) == {"statut": "indisponible", "base_de_donnees": "vide"}


def test_healthz_503_sans_la_base(db, client):
    with mock.patch("django.db.connection.cursor", side_effect=OperationalError("connection refused")):
        reponse = client.get("/healthz")
    assert reponse.status_code == 503
    assert json.loads(reponse.content) == {"statut": "indisponible", "base_de_donnees": "injoignable"}
    assert "no-cache" in reponse["Cache-Control"]


# --- Query count of the home page ---------------------------------------------------------------------------

# The open campaigns with their département (1); the national figures (4) and the figures by département (5),
# aggregates whose number does not grow with the country (mutualisation.selectors.donnees).
REQUETES_ACCUEIL = 10


@pytest.mark.parametrize("nombre", [3, 40])
def test_accueil_nombre_de_requetes_constant(nombre, db, client, django_assert_num_queries):
    departements = list(Departement.objects.order_by("code")[:nombre])
    aujourd_hui = datetime.date.today()  # noqa: DTZ011
    Campagne.objects.bulk_create(
        Campagne(
            departement=d,
            annee=2027,
            quota=3,
            enveloppe_annuelle="90000.00",
            montant_minimal_annuel="15000.00",
            date_ouverture=aujourd_hui,
            date_cloture=aujourd_hui + datetime.timedelta(days=60),
            etat=EtatCampagne.OUVERTE,
        )
        for d in departements
    )
    with django_assert_num_queries(REQUETES_ACCUEIL):
        reponse = client.get("/")
    page = reponse.content.decode()
    assert page.count("<td>2027</td>") == nombre
    assert f"<td>{departements[-1]}</td>" in page


# --- An action opened as a link ----------------------------------------------------------------------------------


def test_une_action_ouverte_comme_un_lien_explique_en_francais(distribution, client):
    """Issue 11: a POST-only action opened with GET answered an empty 405 page."""
    client.force_login(distribution.referent_a)
    reponse = client.get(reverse("comptes:jeton_creer"))
    assert reponse.status_code == 405
    assert reponse["Allow"] == "POST"
    texte = reponse.content.decode()
    assert (
        "Cette adresse ne s&#x27;ouvre pas depuis un lien" in texte
        or "Cette adresse ne s'ouvre pas depuis un lien" in texte
    )
    assert "Rien n'a été modifié." in texte or "Rien n&#x27;a été modifié." in texte
    # The API keeps DRF's JSON answer.
    api = client.delete("/api/v1/campagnes/")
    assert api.status_code == 405 and api["Content-Type"].startswith("application/json")
