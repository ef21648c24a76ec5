"""Paginated back-office lists: one page of rows and its total in a single query, for the DSFR pagination
component (template include `includes/pagination.html`). The API's pagination is `core.api_pagination`.

The page is one query: the rows whose keys are in the page's slice of the ordered keys (`pk IN (SELECT pk …
ORDER BY … LIMIT 50 OFFSET …)`), with the total as an uncorrelated subquery (computed once). So the full rows,
their joins and their per-row subqueries are built for the 50 rows shown only, however long the list; and a
paginated list costs no more queries than the full one did. Only a page past the end costs more (a `COUNT`,
then the last page is shown)."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from django.db.models import IntegerField, QuerySet, Subquery
from django.http import Http404, HttpRequest

PAR_PAGE = 50
PARAMETRE = "page"
# The annotation that carries the total on each row.
TOTAL = "total_de_la_liste"
# Pages linked on each side of the current one (the first and the last are always linked).
VOISINES = 2


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its number (from 1), the number of pages and of rows."""

    lignes: list[Any]
    numero: int
    nombre_pages: int
    total: int
    par_page: int = PAR_PAGE
    parametre: str = PARAMETRE
    requete: str = ""  # the other parameters of the request, kept in the links

    @property
    def precedente(self) -> int | None:
        return self.numero - 1 if self.numero > 1 else None

    @property
    def suivante(self) -> int | None:
        return self.numero + 1 if self.numero < self.nombre_pages else None

    @property
    def debut(self) -> int:
        """Rank (from 1) of the first row of the page; 0 when the list is empty."""
        return (self.numero - 1) * self.par_page + 1 if self.lignes else 0

    @property
    def fin(self) -> int:
        return self.debut + len(self.lignes) - 1 if self.lignes else 0

    def lien(self, numero: int) -> str:
        """The query string of another page."""
        return f"?{self.requete}{'&' if self.requete else ''}{self.parametre}={numero}"

    @property
    def lien_premiere(self) -> str:
        return self.lien(1)

    @property
    def lien_precedente(self) -> str:
        return self.lien(self.precedente or 1)

    @property
    def lien_suivante(self) -> str:
        return self.lien(self.suivante or self.nombre_pages)

    @property
    def lien_derniere(self) -> str:
        return self.lien(self.nombre_pages)

    @property
    def numeros(self) -> list[int | None]:
        """The page numbers to link, None where some are skipped: 1 … 4 5 [6] 7 8 … 20."""
        gardes = {1, self.nombre_pages, *range(self.numero - VOISINES, self.numero + VOISINES + 1)}
        numeros: list[int | None] = []
        for numero in range(1, self.nombre_pages + 1):
            if numero in gardes:
                numeros.append(numero)
            elif numeros and numeros[-1] is not None:
                numeros.append(None)
        return numeros

    @property
    def liens(self) -> list[dict[str, Any]]:
        """What the template shows, number by number."""
        return [
            {"numero": n, "href": self.lien(n) if n is not None else "", "courante": n == self.numero}
            for n in self.numeros
        ]


def numero_demande(request: HttpRequest, parametre: str = PARAMETRE) -> int:
    """The page asked for: 1 by default; 404 when it is not a positive whole number."""
    valeur = request.GET.get(parametre, "1").strip()
    if not (valeur.isascii() and valeur.isdigit()) or len(valeur) > 9 or int(valeur) < 1:
        raise Http404("Cette page de la liste n'existe pas.")
    return int(valeur)


class Nombre(Subquery):  # type: ignore[misc]  # django-stubs types Subquery's template loosely
    """`(SELECT COUNT(*) FROM (<queryset>))`: the number of rows of a queryset, as an expression. Uncorrelated, so
    the database computes it once per query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) nombre_de_lignes)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any]) -> None:
        super().__init__(queryset.order_by().values("pk"))


def _page(queryset: QuerySet[Any], numero: int, par_page: int) -> list[Any]:
    cles = queryset.values("pk")[(numero - 1) * par_page : numero * par_page]
    return list(queryset.filter(pk__in=cles).annotate(**{TOTAL: Nombre(queryset)}))


def paginer(
    request: HttpRequest, queryset: QuerySet[Any], *, par_page: int = PAR_PAGE, parametre: str = PARAMETRE
) -> Page:
    """The requested page of an ordered queryset, with its total, in one query. A page past the end shows the
    last page; a page that is not a positive number gives 404."""
    numero = numero_demande(request, parametre)
    lignes = _page(queryset, numero, par_page)
    if lignes:
        total = int(getattr(lignes[0], TOTAL))
    else:
        total = queryset.count() if numero > 1 else 0
        if total:
            numero = ceil(total / par_page)
            lignes = _page(queryset, numero, par_page)
    autres = request.GET.copy()
    autres.pop(parametre, None)
    return Page(
        lignes=lignes,
        numero=numero,
        nombre_pages=max(ceil(total / par_page), 1),
        total=total,
        par_page=par_page,
        parametre=parametre,
        requete=autres.urlencode(),
    )
