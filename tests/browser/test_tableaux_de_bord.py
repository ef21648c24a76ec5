"""Issue 11: every role lands on its own dashboard, in a real browser, on the demo data. For each demo login: sign
in, land on the dashboard (screenshot, axe), then follow one link of its block to the role's main work page
(screenshot, axe). One test loads the demo once (about 20 s) and visits every role in its own browser context."""

from __future__ import annotations

import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from demo.seeders.comptes import MOT_DE_PASSE_DEMO
from tests.browser.outils import champ
from tests.documents.pdf import PDF_MINIMAL

pytestmark = pytest.mark.browser

# (login, a text the dashboard shows, the link followed from the role's block, the heading of the page it opens).
ROLES = [
    ("amina.benali", "Prête à déposer", "#bloc-referent a.fr-btn >> nth=0", "Récapitulatif"),
    ("sophie.lambert", "Des compléments vous sont demandés", "#bloc-referent a.fr-btn >> nth=0", "Le Parc ensemble"),
    ("claire.dumas", "Tâches d'instruction", "#bloc-instructeur .a-faire a >> nth=0", "tâches"),
    ("marc.giraud", "pas encore d'instance départementale", "#bloc-instructeur a[href='/campagnes/']", "Campagnes"),
    ("francoise.vernay", "Présidence de l'instance", "#bloc-instance .mandats a", "Instance"),
    ("laurent.bouchet", "Dernières décisions", "#bloc-instance .mandats a", "Instance"),
    ("celine.marcoux", "Grand Pont en commun", "#bloc-accompagnateur tbody a >> nth=0", "Journal"),
    ("rh.centre-social", "1 demande attend votre réponse", "#bloc-employeur .a-repondre a", "Mise à disposition"),
    ("veronique.bardin", "Part de Département de la Loire", "#bloc-financeur a.fr-btn", "Département de la Loire"),
    ("equipe.nationale", "Pilotage national", "#bloc-national a.fr-btn >> nth=0", "Fonds d'innovation"),
]


def _se_connecter_demo(page: Page, email: str) -> None:
    page.goto("/compte/connexion/")
    champ(page, "Adresse électronique").fill(email)
    champ(page, "Mot de passe").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_chaque_role_arrive_sur_son_tableau_de_bord_et_en_part_vers_son_travail(visiteur):
    with mock.patch("documents.services.rendre_pdf", return_value=PDF_MINIMAL):
        call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    for nom, attendu, lien, titre in ROLES:
        parcours = visiteur(nom.split(".")[0])
        page = parcours.page
        _se_connecter_demo(page, f"{nom}@demo.collectifs-ds.fr")
        expect(page).to_have_url(re.compile(r"/compte/tableau-de-bord/$"))
        expect(page.locator("main")).to_contain_text(attendu)
        parcours.etape("tableau-de-bord")
        page.locator(lien).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(re.escape(titre), re.IGNORECASE))
        parcours.etape("travail")
