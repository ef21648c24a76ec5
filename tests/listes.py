"""Helpers of the staff lists' tests (`core.listes`): the accounts that must be refused, the table's cells, the
exports read back (CSV with the csv module, XLSX with openpyxl), and a page or an export fetched under a pinned
query count (a streamed export is read inside the count: its rows are fetched while it streams)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
from django.utils import timezone

from fonds.enums import NatureFinanceur
from fonds.models import AccesEmployeur, AccesFinanceur, Financeur
from tests.comptes.factories import UserFactory
from tests.vues import Page, url_connexion


def comptes_hors_personnel(distribution: Any) -> dict[str, Any]:
    """A référent, a funder's login and an employer's login: none of them may read a staff list."""
    financeur = UserFactory(email="financeur.listes@exemple.fr")
    AccesFinanceur.objects.create(
        financeur=Financeur.objects.create(nom="Fondation des listes", nature=NatureFinanceur.ETAT),
        email=financeur.email,
        utilisateur=financeur,
        invite_par=distribution.national,
        accepte_le=timezone.now(),
    )
    employeur = UserFactory(email="employeur.listes@exemple.fr")
    AccesEmployeur.objects.create(
        organisation=distribution.collectif_a.institutions_origine.get(),
        email=employeur.email,
        utilisateur=employeur,
        invite_par=distribution.referent_a,
        accepte_le=timezone.now(),
    )
    return {"referent": distribution.referent_a, "financeur": financeur, "employeur": employeur}


def verifier_refus(client: Any, distribution: Any, *urls: str) -> None:
    """Anonymous visitors log in first; a référent, a funder and an employer get 403, the pages and their exports."""
    formats: tuple[dict[str, str], ...] = ({}, {"export": "csv"}, {"export": "xlsx"})
    for url in urls:
        for parametres in formats:
            reponse = client.get(url, parametres)
            assert reponse.status_code == 302
            assert reponse["Location"].startswith(url_connexion(url))
    for role, user in comptes_hors_personnel(distribution).items():
        client.force_login(user)
        for url in urls:
            for parametres in formats:
                assert client.get(url, parametres).status_code == 403, (role, url, parametres)
    client.logout()


def cellules(reponse: Any, rang: int, selecteur: str = "tbody tr") -> list[str]:
    """The text of the `rang`-th cell (th or td, from 0) of each row of the page's table(s)."""
    page = Page(reponse)
    return [Page.texte(list(ligne.query_all("th, td"))[rang]) for ligne in page.tous(selecteur)]


def contenu(reponse: Any) -> bytes:
    """The body of a response, a streamed one read to its end (the test client then closes it, its temporary file
    with it, as a WSGI server would; closing it again would fire `request_finished` and close the database
    connection of the test on PostgreSQL)."""
    return b"".join(reponse.streaming_content) if reponse.streaming else bytes(reponse.content)


def lire_csv(corps: bytes) -> list[list[str]]:
    """The rows of a spreadsheet CSV (`;`, UTF-8 with a byte-order mark), header row first."""
    texte = corps.decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


def lire_xlsx(corps: bytes) -> list[list[Any]]:
    """The rows of an XLSX sheet (typed values), header row first."""
    classeur = openpyxl.load_workbook(io.BytesIO(corps))
    return [list(ligne) for ligne in classeur.active.iter_rows(values_only=True)]


TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def exporter(client: Any, url: str, format_: str, **parametres: Any) -> list[list[Any]]:
    """The rows of the list's export in `format_` (with the list's search, filters and sort), header row first."""
    reponse = client.get(url, {**parametres, "export": format_})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == TYPES[format_]
    assert reponse["Content-Disposition"].startswith("attachment; filename=")
    corps = contenu(reponse)
    return lire_csv(corps) if format_ == "csv" else lire_xlsx(corps)


def compter(client: Any, url: str, parametres: dict[str, Any], compteur: Any, nombre: int) -> bytes:
    """GET under `django_assert_num_queries(nombre)`, a streamed content read inside the count; the body."""
    with compteur(nombre):
        reponse = client.get(url, parametres)
        corps = contenu(reponse)
    assert reponse.status_code == 200
    return corps


class _Corps:
    def __init__(self, corps: bytes) -> None:
        self.content = corps


def page_de(corps: bytes) -> Page:
    """The parsed HTML of a body read by `compter`."""
    return Page(_Corps(corps))  # type: ignore[arg-type]
