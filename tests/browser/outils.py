"""Playwright helpers shared by the browser journeys: find a field by its label, tick a box, sign in."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.comptes.factories import MOT_DE_PASSE


def champ(page: Page, libelle: str):
    """The form control whose label starts with `libelle` (DSFR labels also hold the hint text)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(libelle)}(\s|$)"))


def cocher(case) -> None:
    """Tick a DSFR checkbox or radio as a user does: by clicking its label (it covers the native input)."""
    case.page.locator(f'label[for="{case.get_attribute("id")}"]').click()
    expect(case).to_be_checked()


def se_connecter(page: Page, email: str) -> None:
    page.goto("/compte/connexion/")
    champ(page, "Adresse électronique").fill(email)
    champ(page, "Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
