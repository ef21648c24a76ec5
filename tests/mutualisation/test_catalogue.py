"""R14, SPEC §8: the public catalogue /pratiques/ (no account): only published and retained sheets, on the page,
in the search, in the sheet's page and PDF, and in the API; the filters combined; the laureate badge; the numbered
PDF issued once at publication (its text checked); the query counts of the catalogue at two sizes. The search itself
on PostgreSQL is in test_catalogue_postgresql.py; here, on SQLite, its plain fallback."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.db import connection
from django.urls import reverse

from documents.enums import TypeDocument
from documents.models import Document
from mutualisation.enums import EtatFiche, NiveauPrix
from mutualisation.models import Nomination, Prix
from mutualisation.tasks_fiches import emettre_fiche_pratique
from tests.collectifs.factories import CollectifFactory
from tests.mutualisation.parcours_fiches import MondeFiches, construire, fiche_dans_l_etat
from tests.vues import Page

pytestmark = pytest.mark.django_db

CACHEES = ("Brouillon A", "Proposée A", "Brouillon B")


@pytest.fixture
def monde(distribution, django_capture_on_commit_callbacks) -> MondeFiches:
    """The sheets' world, with its after-commit jobs run (the PDFs of the published and retained sheets)."""
    with django_capture_on_commit_callbacks(execute=True):
        return construire(distribution)


def test_le_catalogue_est_public_et_ne_montre_que_les_fiches_publiees(monde, client):
    reponse = client.get(reverse("mutualisation:catalogue"))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Publiée A" in page and "Retenue A" in page
    assert "Retenue au niveau national" in page
    for titre in CACHEES:
        assert titre not in page
    assert "2 fiches publiées" in page


@pytest.mark.parametrize("etat", [EtatFiche.BROUILLON, EtatFiche.PROPOSEE])
@pytest.mark.parametrize("suffixe", ["pratique", "pratique_pdf"])
def test_une_fiche_non_publiee_n_a_ni_page_ni_pdf(monde, client, etat, suffixe):
    client.force_login(monde.referent_a)  # even its own référent: the public page is for public sheets only
    assert client.get(reverse(f"mutualisation:{suffixe}", args=[monde.fiches[etat].pk])).status_code == 404


@pytest.mark.parametrize("q", ["Brouillon", "Proposée", "cuisine"])
def test_la_recherche_ne_trouve_jamais_un_brouillon_ni_une_fiche_proposee(monde, client, q):
    page = client.get(reverse("mutualisation:catalogue"), {"q": q}).content.decode()
    for titre in CACHEES:
        assert titre not in page
    api = client.get("/api/v1/pratiques/", {"q": q}).json()
    assert {r["titre"] for r in api["results"]} <= {"Publiée A", "Retenue A"}


def test_l_api_publique_ne_sert_que_les_fiches_publiques_et_sans_donnees_personnelles(monde, client):
    reponse = client.get("/api/v1/pratiques/")
    assert reponse.status_code == 200
    titres = {r["titre"] for r in reponse.json()["results"]}
    assert titres == {"Publiée A", "Retenue A"}
    premiere = reponse.json()["results"][0]
    assert "message_retour" not in premiere and "cree_par" not in premiere and "consentement" not in premiere
    for etat in (EtatFiche.BROUILLON, EtatFiche.PROPOSEE):
        assert client.get(f"/api/v1/pratiques/{monde.fiches[etat].pk}/").status_code == 404
    assert client.get(f"/api/v1/pratiques/{monde.fiches[EtatFiche.PUBLIEE].pk}/").status_code == 200
    assert client.post("/api/v1/pratiques/", {}).status_code in (401, 403, 405)


def test_filtres_combines(distribution, client):
    d = distribution
    rhone = CollectifFactory(nom="Collectif de Vaulx-en-Velin", departement_id="69", codes_communes="69256")
    instructeur_69 = d.instructeur_autre
    referent_69 = rhone.referents.get()
    fiche_dans_l_etat(
        EtatFiche.PUBLIEE,
        d.collectif_a,
        d.referent_a,
        d.instructeur_42,
        d.national,
        titre="Cuisine 42 2026",
        annee=2026,
    )
    fiche_dans_l_etat(
        EtatFiche.PUBLIEE,
        d.collectif_a,
        d.referent_a,
        d.instructeur_42,
        d.national,
        titre="Mobilité 42 2026",
        annee=2026,
        themes=("mobilite",),
    )
    fiche_dans_l_etat(
        EtatFiche.PUBLIEE,
        d.collectif_a,
        d.referent_a,
        d.instructeur_42,
        d.national,
        titre="Cuisine 42 2025",
        annee=2025,
    )
    fiche_dans_l_etat(
        EtatFiche.PUBLIEE, rhone, referent_69, instructeur_69, d.national, titre="Cuisine 69 2026", annee=2026
    )
    reponse = client.get(
        reverse("mutualisation:catalogue"), {"theme": "alimentation", "departement": "42", "annee": "2026"}
    )
    titres = [Page.texte(h) for h in Page(reponse).tous("h2 a")]
    assert titres == ["Cuisine 42 2026"]
    api = client.get("/api/v1/pratiques/", {"theme": "alimentation", "annee": 2026}).json()
    assert {r["titre"] for r in api["results"]} == {"Cuisine 42 2026", "Cuisine 69 2026"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback; PostgreSQL: test_catalogue_postgresql")
def test_repli_sqlite_insensible_aux_accents_et_au_pluriel(monde, client):
    d = monde.distribution
    fiche_dans_l_etat(
        EtatFiche.PUBLIEE,
        d.collectif_a,
        d.referent_a,
        d.instructeur_42,
        d.national,
        titre="Un café des parents",
        demarche="Les enseignants de l'ecole et les parents se retrouvent.",
    )
    for q in ("école", "ECOLES", "écoles café", "enseignant"):
        titres = [Page.texte(h) for h in Page(client.get(reverse("mutualisation:catalogue"), {"q": q})).tous("h2 a")]
        assert titres == ["Un café des parents"], q


def test_badge_laureat(monde, client):
    prix = Prix.objects.create(
        niveau=NiveauPrix.DEPARTEMENTAL, departement_id="42", annee=2027, titre="Prix 2027", cree_par=monde.national
    )
    Nomination.objects.create(
        prix=prix, fiche=monde.fiches[EtatFiche.RETENUE], nominee_par=monde.national, laureat=True
    )
    page = Page(client.get(reverse("mutualisation:catalogue")))
    articles = {Page.texte(a.query("h2")): Page.texte(a) for a in page.tous("article")}
    assert "Lauréate d'un prix" in articles["Retenue A"]
    assert "Lauréate d'un prix" not in articles["Publiée A"]


def test_la_page_d_une_fiche_publique_s_imprime(monde, client):
    reponse = client.get(reverse("mutualisation:pratique", args=[monde.fiches[EtatFiche.PUBLIEE].pk]))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert '<style media="print">' in page and "fr-no-print" in page
    assert "La démarche" in page and "cuisine partagée" in page
    assert "Télécharger la fiche en PDF (FIP-42-" in page


def test_le_pdf_est_emis_une_seule_fois_a_la_publication(monde, client):
    fiche = monde.fiches[EtatFiche.PUBLIEE]
    documents = Document.objects.filter(type=TypeDocument.FICHE_PRATIQUE, object_id=fiche.pk)
    assert documents.count() == 1
    assert documents.get().numero.startswith(f"FIP-42-{fiche.annee}-")
    assert emettre_fiche_pratique.call(fiche.pk) is None  # idempotent
    assert emettre_fiche_pratique.call(monde.fiches[EtatFiche.PROPOSEE].pk) is None  # never for a hidden sheet
    assert Document.objects.filter(type=TypeDocument.FICHE_PRATIQUE).count() == 2  # published and retained
    reponse = client.get(reverse("mutualisation:pratique_pdf", args=[fiche.pk]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"


def test_pdf_en_preparation_tant_que_le_travail_n_a_pas_tourne(distribution, client):
    d = distribution
    # Published, but its after-commit job has not run yet.
    fiche = fiche_dans_l_etat(EtatFiche.PUBLIEE, d.collectif_a, d.referent_a, d.instructeur_42, d.national)
    reponse = client.get(reverse("mutualisation:pratique_pdf", args=[fiche.pk]))
    assert reponse.status_code == 200
    assert "en cours de préparation" in reponse.content.decode()


@pytest.mark.pdf
def test_texte_du_pdf(distribution, client, django_capture_on_commit_callbacks):
    d = distribution
    with django_capture_on_commit_callbacks(execute=True):
        fiche = fiche_dans_l_etat(
            EtatFiche.PUBLIEE,
            d.collectif_a,
            d.referent_a,
            d.instructeur_42,
            d.national,
            credits="Rédigée par Josette Granger.",
            credits_consentis=True,
        )
    reponse = client.get(reverse("mutualisation:pratique_pdf", args=[fiche.pk]))
    texte = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(reponse.content)).pages)
    texte = " ".join(texte.split())
    assert "Fiche pratique — Une cuisine partagée au pied des immeubles" in texte
    assert "FIP-42-" in texte
    assert "Collectif A de Montreynaud" in texte
    assert "Loire (42)" in texte
    assert "Le contexte" in texte and "La démarche" in texte and "Alimentation" in texte
    assert "Rédigée par Josette Granger." in texte
    assert "referente.a@exemple.fr" not in texte


# Themes, départements and years of the form, the page of sheets with its total, their themes: the same count
# whatever the number of sheets (anonymous: no session query).
REQUETES_CATALOGUE = 5


@pytest.mark.parametrize("nombre", [1, 8])
@pytest.mark.parametrize("q", ["", "cuisine"])
def test_requetes_du_catalogue(nombre, q, distribution, client, django_assert_num_queries):
    d = distribution
    for rang in range(nombre):
        fiche_dans_l_etat(
            EtatFiche.PUBLIEE, d.collectif_a, d.referent_a, d.instructeur_42, d.national, titre=f"Cuisine n°{rang}"
        )
    url = reverse("mutualisation:catalogue")
    # With words: the typo pre-selection (PostgreSQL: set_config and the select, in a savepoint inside the test's
    # transaction; SQLite: the fallback's two reads).
    attendues = REQUETES_CATALOGUE + (0 if not q else 4 if connection.vendor == "postgresql" else 2)
    with django_assert_num_queries(attendues):
        reponse = client.get(url, {"q": q} if q else {})
    assert len(Page(reponse).tous("article")) == nombre
