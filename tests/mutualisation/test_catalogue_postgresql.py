"""R14 on PostgreSQL: the catalogue's French search: accent-insensitive (« équipe » finds « equipes »), stemmed
(plurals), ranked (a word of the title before a word of the body), typo-tolerant on the title (« cuisnie » finds
« cuisine », after the full-text matches), highlighted extracts (escaped user text, <mark> around the words), and
combined with the filters. Skipped on SQLite (its plain fallback is tested in test_catalogue.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from mutualisation.selectors.fiches import extrait, fiches_publiques
from mutualisation.services import fiches as services
from tests.collectifs.factories import CollectifFactory
from tests.mutualisation.parcours_fiches import donnees, fiche_dans_l_etat
from tests.vues import Page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_seulement():
    if connection.vendor != "postgresql":
        pytest.skip("La recherche en français se teste sur PostgreSQL.")


@pytest.fixture
def publier(distribution):
    d = distribution

    def _publier(titre: str, collectif=None, etat: str = EtatFiche.PUBLIEE, **champs) -> FichePratique:
        collectif = collectif or d.collectif_a
        return fiche_dans_l_etat(
            etat, collectif, collectif.referents.get(), d.instructeur_42, d.national, titre=titre, **champs
        )

    return _publier


def _titres(q: str = "", **filtres) -> list[str]:
    return [f.titre for f in fiches_publiques(q=q, **filtres)]


NEUTRE = {
    "resume": "Un collectif d'habitant·es.",
    "contexte": "Un quartier populaire.",
    "demarche": "Des rencontres régulières.",
    "territoire": "Saint-Étienne",
}


def test_insensible_aux_accents_et_au_pluriel(publier):
    publier("Les equipes du centre social", **NEUTRE)
    publier("Un jardin partagé", **NEUTRE)
    assert _titres("équipe") == ["Les equipes du centre social"]
    assert _titres("EQUIPES") == ["Les equipes du centre social"]
    assert _titres("jardins partages") == ["Un jardin partagé"]


def test_racines_francaises(publier):
    publier("Mobiliser les habitants", **{**NEUTRE, "demarche": "Nous avons mobilisé des familles."})
    assert _titres("mobilisés") == ["Mobiliser les habitants"]
    assert _titres("famille") == ["Mobiliser les habitants"]


def test_classement_titre_avant_corps(publier):
    publier("Un atelier vélo", **{**NEUTRE, "demarche": "Une cuisine au fond de l'atelier sert de salle."})
    publier("Une cuisine partagée", **NEUTRE)
    publier("Un café des parents", **{**NEUTRE, "resume": "Autour de la cuisine du centre social."})
    # Title (A) before summary (B) before body (C).
    assert _titres("cuisine") == ["Une cuisine partagée", "Un café des parents", "Un atelier vélo"]


def test_fautes_de_frappe_sur_le_titre_apres_les_resultats_exacts(publier):
    publier("Une cuisine partagée", **NEUTRE)
    publier("Un atelier vélo", **{**NEUTRE, "demarche": "On y parle de cuisnie, une faute dans le texte."})
    publier("Un café des parents", **NEUTRE)
    assert _titres("cuisnie") == ["Un atelier vélo", "Une cuisine partagée"]
    assert _titres("mobilté") == []
    assert _titres("parens") == ["Un café des parents"]


def test_filtres_combines_avec_les_mots(publier, distribution):
    rhone = CollectifFactory(nom="Collectif de Vaulx-en-Velin", departement_id="69", codes_communes="69256")
    d = distribution
    publier("Cuisine 42 2026", annee=2026)
    publier("Cuisine 42 2025", annee=2025)
    publier("Cuisine mobile 42 2026", annee=2026, themes=("mobilite",))
    fiche_dans_l_etat(
        EtatFiche.PUBLIEE,
        rhone,
        rhone.referents.get(),
        d.instructeur_autre,
        d.national,
        titre="Cuisine 69 2026",
        annee=2026,
    )
    assert _titres("cuisine", theme="alimentation", departement="42", annee=2026) == ["Cuisine 42 2026"]
    assert sorted(_titres("cuisine", annee=2026)) == ["Cuisine 42 2026", "Cuisine 69 2026", "Cuisine mobile 42 2026"]
    assert _titres("cuisine", departement="69") == ["Cuisine 69 2026"]


def test_jamais_un_brouillon_ni_une_fiche_proposee(publier):
    publier("Cuisine en brouillon", etat=EtatFiche.BROUILLON)
    publier("Cuisine proposée", etat=EtatFiche.PROPOSEE)
    publier("Cuisine publiée")
    assert _titres("cuisine") == ["Cuisine publiée"]
    assert _titres("cuisnie") == ["Cuisine publiée"]


def test_extraits_surlignes_et_texte_echappe(publier, client):
    publier(
        "Un café des parents",
        **{**NEUTRE, "demarche": "Les parents <script>alert(1)</script> animent le café chaque mardi."},
    )
    fiche = fiches_publiques(q="parents").get()
    assert "<mark>parents</mark>" in str(extrait(fiche))
    assert "<script>" not in str(extrait(fiche))
    page = client.get(reverse("mutualisation:catalogue"), {"q": "parents"})
    html = page.content.decode()
    assert "<mark>parents</mark>" in html or "<mark>Parents</mark>" in html
    # PostgreSQL's parser drops the tag from the extract; whatever remains of the user's text is escaped.
    assert "<script>alert" not in html
    assert [Page.texte(h) for h in Page(page).tous("h2 a")] == ["Un café des parents"]


def test_le_vecteur_suit_chaque_enregistrement(publier, distribution):
    d = distribution
    fiche = services.fiche_creer(acteur=d.referent_a, collectif=d.collectif_a, donnees=donnees(titre="Premier titre"))
    services.fiche_enregistrer(acteur=d.referent_a, fiche=fiche, donnees=donnees(titre="Ludothèque itinérante"))
    services.fiche_proposer(acteur=d.referent_a, fiche=fiche)
    services.fiche_publier(acteur=d.instructeur_42, fiche=fiche)
    assert _titres("ludotheque") == ["Ludothèque itinérante"]
    assert _titres("premier") == []
