"""The header's navigation on a 375-pixel phone, with JavaScript off and on (issue 11).

Without JavaScript, the DSFR's « Menu » button does nothing: a link to #menu-mobile takes its place and CSS opens
the menu (`:target`), with the account links the DSFR's script would otherwise copy into it. Every page visited must
fit the screen's width (no horizontal scrolling) and pass axe. The world is the demo data, seeded once per test."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, expect

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from demo.seeders.comptes import COMPTES, MOT_DE_PASSE_DEMO
from tests.browser.conftest import DELAI_MS, DOSSIER_CAPTURES, Parcours
from tests.browser.outils import champ
from tests.documents.pdf import PDF_MINIMAL

pytestmark = pytest.mark.browser

LARGEUR = 375


@pytest.fixture
def demo(transactional_db: None) -> None:
    # The PDFs are not what this test reads: a minimal one keeps the seeding short.
    with mock.patch("documents.services.rendre_pdf", return_value=PDF_MINIMAL):
        call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def telephone(navigateur: Browser, live_server, demo, request: pytest.FixtureRequest):
    """Factory: a fresh 375-pixel browser context, JavaScript off unless asked."""
    dossier = DOSSIER_CAPTURES / request.node.name
    dossier.mkdir(parents=True, exist_ok=True)
    contextes = []

    def ouvrir(nom: str, *, javascript: bool = False) -> Parcours:
        contexte = navigateur.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": LARGEUR, "height": 812},
            java_script_enabled=javascript,
        )
        contexte.set_default_timeout(DELAI_MS)
        contextes.append(contexte)
        return Parcours(contexte, dossier, f"{nom}-") if javascript else ParcoursSansJs(contexte, dossier, f"{nom}-")

    yield ouvrir
    for contexte in contextes:
        contexte.close()


class ParcoursSansJs(Parcours):
    """A visit with JavaScript off: axe cannot run in such a page (it needs the page's own event loop), so each step
    is screenshotted and its address kept; `verifier_avec_axe` then checks the same pages at the same width."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.adresses: list[tuple[str, str]] = []

    def etape(self, nom: str) -> None:
        self.page.wait_for_load_state("load")
        self.numero += 1
        self.page.screenshot(path=str(self.dossier / f"{self.prefixe}{self.numero:02d}-{nom}.png"), full_page=True)
        self.adresses.append((nom, self.page.url))


def tient_dans_l_ecran(parcours: Parcours) -> None:
    """No horizontal scrolling: the document is no wider than the screen."""
    largeur = parcours.page.evaluate("document.documentElement.scrollWidth")
    if largeur > LARGEUR:
        # Name the widest elements that stick out, innermost first, to say what to fix.
        fautifs = parcours.page.evaluate(
            """(largeur) => [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > largeur + 1 && !e.closest('.fr-sr-only'))
                .filter((e) => e.offsetWidth > largeur || !e.parentElement.closest('table'))
                .slice(0, 5).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')
                    + ' « ' + (e.textContent || '').trim().slice(0, 40) + ' »')""",
            LARGEUR,
        )
        raise AssertionError(f"{parcours.page.url} déborde : {largeur} px pour un écran de {LARGEUR} px : {fautifs}")


def ouvrir_le_menu(parcours: Parcours) -> None:
    menu = parcours.page.locator("#menu-mobile")
    expect(menu).to_be_hidden()
    parcours.page.get_by_role("banner").get_by_role("link", name="Menu", exact=True).click()
    expect(menu).to_be_visible()


def aller_par_le_menu(parcours: Parcours, lien: str, titre: str) -> None:
    ouvrir_le_menu(parcours)
    parcours.page.locator("#menu-mobile").get_by_role("link", name=lien, exact=True).click()
    expect(parcours.page.get_by_role("heading", level=1)).to_contain_text(titre)
    tient_dans_l_ecran(parcours)
    parcours.etape(lien.lower().replace(" ", "-"))


def verifier_avec_axe(telephone, sans_js: ParcoursSansJs, role: str) -> None:
    """The pages visited without JavaScript, checked by axe at the same width, with the same account."""
    parcours = telephone(f"{role}-axe", javascript=True)
    parcours.page.goto("/compte/connexion/")
    champ(parcours.page, "Adresse électronique").fill(COMPTES[role][0])
    champ(parcours.page, "Mot de passe").fill(MOT_DE_PASSE_DEMO)
    parcours.page.get_by_role("button", name="Se connecter").click()
    for nom, adresse in sans_js.adresses:
        parcours.page.goto(adresse)
        parcours.etape(nom)


def connexion_sans_js(parcours: Parcours, role: str) -> None:
    """Log in from the menu, as a phone user without JavaScript does."""
    parcours.page.goto("/")
    ouvrir_le_menu(parcours)
    parcours.page.locator("#menu-mobile").get_by_role("link", name="Se connecter").click()
    champ(parcours.page, "Adresse électronique").fill(COMPTES[role][0])
    champ(parcours.page, "Mot de passe").fill(MOT_DE_PASSE_DEMO)
    parcours.page.get_by_role("button", name="Se connecter").click()
    expect(parcours.page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    tient_dans_l_ecran(parcours)


def test_sans_javascript_l_instructrice_atteint_chaque_entree_du_menu(telephone):
    instructrice = telephone("instructrice")
    connexion_sans_js(instructrice, "instructrice_42")
    instructrice.etape("tableau-de-bord")
    aller_par_le_menu(instructrice, "Mes tâches", "tâches")
    aller_par_le_menu(instructrice, "Déclarations", "Déclarations")
    aller_par_le_menu(instructrice, "Instance", "Instance")
    aller_par_le_menu(instructrice, "Tableau de bord", "Bonjour")
    # « Fermer » closes the menu, and the account links are in it.
    ouvrir_le_menu(instructrice)
    menu = instructrice.page.locator("#menu-mobile")
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_visible()
    menu.get_by_role("link", name="Fermer le menu").click()
    expect(menu).to_be_hidden()
    verifier_avec_axe(telephone, instructrice, "instructrice_42")


def test_sans_javascript_la_referente_et_le_membre_de_l_instance_naviguent_sans_deborder(telephone):
    referente = telephone("referente")
    connexion_sans_js(referente, "referente")
    referente.etape("tableau-de-bord")
    brouillon = Declaration.objects.filter(
        collectif__referents__email=COMPTES["referente"][0], etat=EtatDeclaration.BROUILLON
    ).first()
    assert brouillon is not None
    referente.page.goto(reverse("collectifs:etape_membres", args=[brouillon.pk]))
    tient_dans_l_ecran(referente)
    referente.etape("membres")

    membre = telephone("membre")
    connexion_sans_js(membre, "membre_instance")
    aller_par_le_menu(membre, "Instance", "Instance")
    verifier_avec_axe(telephone, referente, "referente")
    verifier_avec_axe(telephone, membre, "membre_instance")


def test_avec_javascript_le_bouton_du_dsfr_ouvre_le_menu(telephone):
    visiteur = telephone("visiteur", javascript=True)
    visiteur.page.goto("/")
    expect(visiteur.page.locator("html")).to_have_attribute("data-fr-js", "true")
    expect(visiteur.page.get_by_role("banner").get_by_role("link", name="Menu", exact=True)).to_be_hidden()
    visiteur.page.get_by_role("button", name="Menu").click()
    expect(visiteur.page.locator("#menu-mobile").get_by_role("link", name="Pratiques inspirantes")).to_be_visible()
    tient_dans_l_ecran(visiteur)
