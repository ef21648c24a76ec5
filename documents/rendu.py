"""PDF rendering with WeasyPrint, through a URL fetcher that serves only the project's static files (SPEC §6)."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in PDF templates resolve against this base. The host is in the reserved .invalid
# domain and is never contacted: the fetcher maps such URLs to files found by Django's static finders.
BASE_STATIQUE = "https://statique.collectifs-ds.invalid/static/"


class RessourceRefusee(ValueError):
    """A PDF tried to load something that is not one of the project's static files."""


class FetcherStatique(URLFetcher):
    """Serves only the project's static files; refuses file://, http(s) to anywhere else, data: and the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=[], allow_redirects=False, timeout=1)
        self.refusees: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(BASE_STATIQUE):
            chemin_relatif = url.removeprefix(BASE_STATIQUE).split("?")[0].split("#")[0]
            if chemin_relatif and not chemin_relatif.startswith("/") and ".." not in chemin_relatif.split("/"):
                try:
                    chemin = finders.find(chemin_relatif)
                except SuspiciousFileOperation:
                    chemin = None
                if isinstance(chemin, str):
                    type_mime = mimetypes.guess_type(chemin)[0] or "application/octet-stream"
                    with open(chemin, "rb") as fichier:
                        return URLFetcherResponse(url, fichier.read(), headers={"Content-Type": type_mime}, status=200)
        self.refusees.append(url)
        raise RessourceRefusee(f"Ressource refusée : {url}")

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        return self.fetch(url if isinstance(url, str) else url.full_url)

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)


def html_vers_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes with the locked fetcher."""
    return bytes(HTML(string=html, base_url=BASE_STATIQUE, url_fetcher=FetcherStatique()).write_pdf())


def rendre_pdf(template: str, contexte: dict[str, Any]) -> bytes:
    """Render a Django template (auto-escaped: user text cannot inject markup) to PDF bytes."""
    return html_vers_pdf(render_to_string(template, contexte))
