"""Browser tests: Django's live server, driven by Debian's chromium through Playwright's sync API.

Every page a test visits goes through `Parcours.etape()`: a full-page screenshot in
tests/browser/screenshots/<test>/ (gitignored) and an axe run that fails on any violation of impact
"serious" or "critical".
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from collectifs.models import Charte
from mutualisation.models import Theme
from territoires.models import Departement

DOSSIER_CAPTURES = Path(__file__).resolve().parent / "screenshots"
ARGUMENTS_CHROMIUM = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IMPACTS_BLOQUANTS = {"serious", "critical"}
DELAI_MS = 10_000


@pytest.fixture(scope="session")
def navigateur() -> Iterator[Browser]:
    """One chromium for the whole run.

    Playwright's sync API keeps an asyncio loop running in the main thread, so Django's async-unsafe
    guard would refuse the ORM calls of the tests and fixtures (flush, factories) while it is up."""
    avant = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=ARGUMENTS_CHROMIUM
            )
            yield chromium
            chromium.close()
    finally:
        if avant is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = avant


@pytest.fixture(autouse=True)
def donnees_de_reference(transactional_db: None) -> None:
    """The départements, charter v1 and the catalogue's themes come from data migrations; a transactional test's
    flush wipes them.

    Reload them with the migrations' own loader functions (both are idempotent)."""
    if Departement.objects.count() < 101:
        migration = importlib.import_module("territoires.migrations.0002_charger_departements_cog")
        migration.charger(apps, None)
    if not Charte.objects.filter(version=1).exists():
        migration = importlib.import_module("collectifs.migrations.0002_charte_version_1")
        migration.publier(apps, None)
    if not Theme.objects.exists():
        migration = importlib.import_module("mutualisation.migrations.0002_themes")
        migration.charger(apps, None)


class Parcours:
    """A browser context (one visitor) on the live server, with its numbered, checked steps."""

    def __init__(self, contexte: BrowserContext, dossier: Path, prefixe: str) -> None:
        self.contexte = contexte
        self.page: Page = contexte.new_page()
        self.dossier = dossier
        self.prefixe = prefixe
        self.numero = 0
        self.erreurs_console: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.erreurs_console.append(str(e)))
        self.page.on("response", self._reponse)

    def _console(self, message) -> None:
        # A page answered with 4xx on purpose (422, 404) logs "Failed to load resource"; _reponse() below
        # reports the sub-resources (CSS, JS, images) that really failed.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.erreurs_console.append(message.text)

    def _reponse(self, reponse) -> None:
        if reponse.status >= 400 and reponse.request.resource_type != "document":
            self.erreurs_console.append(f"{reponse.status} {reponse.url}")

    def etape(self, nom: str) -> None:
        """Screenshot the current page, then check it with axe, for console errors (CSP, JS) and failed resources."""
        self.page.wait_for_load_state("load")
        self.numero += 1
        fichier = self.dossier / f"{self.prefixe}{self.numero:02d}-{nom}.png"
        self.page.screenshot(path=str(fichier), full_page=True)
        violations = [v for v in Axe().run(self.page).response["violations"] if v.get("impact") in IMPACTS_BLOQUANTS]
        assert not violations, f"axe, page « {nom} » ({self.page.url}) :\n" + "\n".join(
            f"- {v['id']} ({v['impact']}) : {v['help']} → " + ", ".join(" ".join(n["target"]) for n in v["nodes"])
            for v in violations
        )
        erreurs, self.erreurs_console[:] = list(self.erreurs_console), []
        assert not erreurs, f"erreurs de console, page « {nom} » ({self.page.url}) : {erreurs}"


@pytest.fixture
def visiteur(navigateur: Browser, live_server, request: pytest.FixtureRequest):
    """Factory: `visiteur("referente")` opens a fresh browser context (no cookies) on the live server."""
    dossier = DOSSIER_CAPTURES / re.sub(r"[^\w.-]+", "_", request.node.name)
    dossier.mkdir(parents=True, exist_ok=True)
    for ancienne in dossier.glob("*.png"):
        ancienne.unlink()
    contextes: list[BrowserContext] = []

    def ouvrir(nom: str = "") -> Parcours:
        contexte = navigateur.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        contexte.set_default_timeout(DELAI_MS)
        contextes.append(contexte)
        return Parcours(contexte, dossier, f"{nom}-" if nom else "")

    yield ouvrir
    for contexte in contextes:
        contexte.close()
