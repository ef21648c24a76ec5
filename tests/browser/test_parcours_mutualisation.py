"""Issue 10's journey, in a real browser: the département publishes a practice sheet; anyone finds it in the public
catalogue, reads it and reaches the open data, without an account; national staff launch the national report and
read it once the worker has consolidated the transmitted syntheses.

The world before the journey is built with the services: collectif A's référent proposes a sheet
(`tests.mutualisation.parcours_fiches`), and the Loire and the Rhône have transmitted their syntheses of last year
(`tests.mutualisation.parcours_syntheses.synthese_transmise`). Tasks run at once in tests (immediate backend), so the
report is complete when its page opens. Each step is screenshotted and checked with axe (see conftest.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from tests.browser.outils import champ, se_connecter
from tests.mutualisation.parcours_fiches import fiche_dans_l_etat
from tests.mutualisation.parcours_syntheses import synthese_transmise

pytestmark = [pytest.mark.browser]

TITRE = "Une cuisine partagée au pied des immeubles"


def test_publication_catalogue_public_et_rapport_national(visiteur, distribution):
    d = distribution
    fiche = fiche_dans_l_etat(
        EtatFiche.PROPOSEE, d.collectif_a, d.referent_a, d.instructeur_42, d.national, titre=TITRE
    )
    annee = timezone.localdate().year - 1
    synthese_transmise("42", annee, agreees=2, engage="30000.00", verse="10000.00")
    synthese_transmise("69", annee, agreees=1, engage="15000.00", verse="15000.00")

    # === 1. The Loire's instructrice publishes the proposed sheet ============================================
    inst = visiteur("instructrice")
    page_i = inst.page
    se_connecter(page_i, d.instructeur_42.email)
    page_i.goto("/fiches/departements/42/")
    inst.etape("fiches-a-examiner")
    page_i.get_by_role("link", name=TITRE).click()
    expect(page_i.get_by_role("heading", level=1)).to_have_text(TITRE)
    inst.etape("fiche-proposee")
    page_i.get_by_role("button", name="Publier la fiche").click()
    expect(page_i.get_by_role("link", name="Voir la fiche dans le catalogue public")).to_be_visible()
    inst.etape("fiche-publiee")
    assert FichePratique.objects.get(pk=fiche.pk).etat == EtatFiche.PUBLIEE

    # === 2. Anyone finds it in the catalogue, without an account ==============================================
    public = visiteur("public")
    page_p = public.page
    page_p.goto("/")
    public.etape("accueil")
    page_p.get_by_role("link", name="Pratiques inspirantes").first.click()
    expect(page_p.get_by_role("heading", level=1)).to_have_text("Pratiques inspirantes")
    public.etape("catalogue")
    champ(page_p, "Mots recherchés").fill("cuisines partagees")  # plural, no accents
    page_p.get_by_role("button", name="Rechercher").click()
    expect(page_p.get_by_role("link", name=TITRE)).to_be_visible()
    public.etape("catalogue-recherche")
    page_p.get_by_role("link", name=TITRE).click()
    expect(page_p.get_by_role("heading", level=1)).to_have_text(TITRE)
    public.etape("fiche-publique")
    page_p.goto("/donnees-ouvertes/")
    public.etape("donnees-ouvertes")

    # === 3. National staff launch last year's national report ================================================
    nat = visiteur("national")
    page_n = nat.page
    se_connecter(page_n, d.national.email)
    page_n.goto("/rapports/")
    nat.etape("rapports")
    champ(page_n, "Année").fill(str(annee))
    page_n.get_by_role("button", name="Lancer le rapport national").click()
    expect(page_n.get_by_role("heading", level=1)).to_have_text(f"Rapport national de capitalisation {annee}")
    expect(page_n.get_by_text("Rhône").first).to_be_visible()
    nat.etape("rapport")
