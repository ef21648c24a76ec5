"""Staff lists people can work with: a text search, filters, a sort, HTML pagination and a CSV/XLSX export of
exactly what is shown, all in one GET form (no JavaScript needed). Each list is a small declarative class:

- a `FiltresListe` (a django-filter `FilterSet` rendered with the DSFR form base): the search field `q` (the
  fields it searches, `icontains`, every word must match one of them) and the list's filters. The choices that
  depend on the user (départements, campaigns) are set in `choisir()` from the user's scope. An invalid value
  (an unknown state, a campaign outside the scope) is ignored and its French error is shown next to its field:
  the other filters still apply, never a server error.
- `Liste`: its columns (header and value, for the export), its sorts (a whitelist: `?tri=cle` or `?tri=-cle`;
  an unknown value is ignored and the default sort applies; the value is never passed to `order_by`), its default
  sort and file name.

The view restricts the queryset with its app's visibility selector first (a list never shows more than the user
sees), then builds `Liste(request, queryset, user=…)`: `liste.export()` is the CSV or XLSX response when
`?export=csv|xlsx` is asked (the filtered, sorted rows of every page, through `core.exports`), else
`liste.page()` is the page of rows (`core.pagination`: one query). The links of the pagination, of the sortable
headers and of the exports keep the rest of the query string.

Templates: `includes/liste_filtres.html` (the form, « Filtrer », « Réinitialiser »), `includes/liste_resume.html`
(« N résultats » and the export links), `includes/liste_th.html` (a sortable column header, with `aria-sort`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression, OrderBy
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.exports import Cellule, reponse_csv, reponse_xlsx
from core.pagination import PAR_PAGE, PARAMETRE, Page, paginer
from core.ui import Formulaire

RECHERCHE = "q"
TRI = "tri"
EXPORT = "export"
FORMATS = ("csv", "xlsx")
# A search of more words than this only uses the first ones (each word is one more condition).
MOTS_MAX = 8
LONGUEUR_RECHERCHE = 200
# Rows fetched at a time by an export (one query: a server-side cursor on PostgreSQL, one cursor on SQLite).
LOT_EXPORT = 2000


class FormulaireFiltres(Formulaire):
    """The filter form of a list (a GET form, DSFR markup, errors next to their field)."""


def rechercher(
    queryset: QuerySet[Any], champs: Sequence[str], texte: str, autre: Callable[[str], Q | None] | None = None
) -> QuerySet[Any]:
    """The rows where every word of `texte` appears (case-insensitive) in at least one of `champs`, or meets the
    list's own condition for that word (`autre`, e.g. a number typed in full)."""
    for mot in texte.split()[:MOTS_MAX]:
        condition = Q()
        for champ in champs:
            condition |= Q(**{f"{champ}__icontains": mot})
        supplement = autre(mot) if autre is not None else None
        queryset = queryset.filter(condition | supplement if supplement is not None else condition)
    return queryset


def rang_des_choix(champ: str, choix: Sequence[tuple[Any, Any]]) -> Case:
    """The rank of a field's value in its choices (a lifecycle's order), to sort by state rather than by code."""
    return Case(
        *(When(**{champ: valeur}, then=Value(rang)) for rang, (valeur, _) in enumerate(choix)),
        default=Value(len(choix)),
        output_field=IntegerField(),
    )


def choix_departements(departements: Any) -> list[tuple[str, str]]:
    """The choices of a département filter: « Loire (42) »."""
    return [(d.code, f"{d.nom} ({d.code})") for d in departements]


class SelectListe(forms.Select):
    """A `<select>` of a list's filters, written in Python rather than one template per option: the campaign
    filter of national staff has an option per campaign of the country (300 and more), and the template of each
    option made the page grow with the country. Same markup as Django's `select.html` (no optgroups here)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attributs = self.build_attrs(self.attrs, attrs)
        choisies = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (valeur, mark_safe(" selected") if str(valeur) in choisies else "", libelle)
                for valeur, libelle in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attributs), options)


class FiltresListe(django_filters.FilterSet):
    """Base of the lists' filters: the search field `q`, the user (for the choices of their scope), and default
    values applied when the list is opened without them (`defauts`). Their single-choice filters are drawn by
    `SelectListe`."""

    q = django_filters.CharFilter(label="Rechercher", method="filtrer_recherche", max_length=LONGUEUR_RECHERCHE)

    # The fields `q` searches, and what the label tells about them.
    champs_recherche: ClassVar[tuple[str, ...]] = ()
    aide_recherche: ClassVar[str] = ""
    # Values a filter takes when its parameter is absent from the query (a submitted empty value is kept: the
    # person chose « tous »).
    defauts: ClassVar[dict[str, str]] = {}

    class Meta:
        form = FormulaireFiltres

    def __init__(self, data: QueryDict | None = None, queryset: QuerySet[Any] | None = None, *, user: Any) -> None:
        self.user = user
        super().__init__(data, queryset)
        for filtre in self.filters.values():
            if isinstance(filtre, django_filters.ChoiceFilter) and "widget" not in filtre.extra:
                filtre.extra["widget"] = SelectListe
        if self.aide_recherche:
            self.filters[RECHERCHE].extra["help_text"] = self.aide_recherche
        self.choisir()

    def choisir(self) -> None:
        """Set the choices that depend on the user's scope (`self.filters[nom].extra["choices"]`)."""

    def condition_recherche(self, mot: str) -> Q | None:
        """A list's own condition for one searched word, OR-ed with the fields' (subclasses)."""
        return None

    def filtrer_recherche(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return rechercher(queryset, self.champs_recherche, value, self.condition_recherche) if value else queryset


@dataclass(frozen=True)
class Colonne:
    """A column of the export: its header and how a row gives its value."""

    entete: str
    valeur: Callable[[Any], Cellule]


@dataclass(frozen=True)
class Tri:
    """A sort offered to people: its label and the fields (or annotations) it orders by, ascending; the
    descending sort reverses each. Empty values come last both ways; the primary key breaks ties."""

    libelle: str
    champs: tuple[str | Expression, ...]
    # False when the label already says the order (« À examiner d'abord »): the caption then omits it.
    avec_sens: bool = True

    def ordre(self, descendant: bool) -> list[OrderBy]:
        expressions = [F(c) if isinstance(c, str) else c for c in (*self.champs, "pk")]
        if descendant:
            return [e.desc(nulls_last=True) for e in expressions]
        return [e.asc(nulls_last=True) for e in expressions]


@dataclass(frozen=True)
class Entete:
    """A sortable column header: its link, and its `aria-sort` when the list is sorted by it."""

    libelle: str
    href: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)

    @property
    def prochain_sens(self) -> str:
        return "décroissant" if self.aria_sort == "ascending" else "croissant"


class Liste:
    """One staff list: filters, sorts, columns of the export. Subclasses set the class attributes."""

    filtres: ClassVar[type[FiltresListe]]
    colonnes: ClassVar[tuple[Colonne, ...]]
    tris: ClassVar[dict[str, Tri]]
    tri_defaut: ClassVar[str]  # a key of `tris`, with a leading "-" for descending
    nom_fichier: ClassVar[str]  # without extension
    titre_feuille: ClassVar[str]
    par_page: ClassVar[int] = PAR_PAGE

    def __init__(self, request: HttpRequest, queryset: QuerySet[Any], *, user: Any) -> None:
        self.request = request
        donnees = request.GET.copy()
        for nom, valeur in self.filtres.defauts.items():
            donnees.setdefault(nom, valeur)
        self.filtreset = self.filtres(donnees, self.preparer(queryset), user=user)

    def preparer(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows with the annotations the filters, the sorts and the columns read (subclasses)."""
        return queryset

    # --- What is asked -------------------------------------------------------------------------------------------

    @cached_property
    def tri(self) -> tuple[str, bool]:
        """The sort asked for (key, descending), or the default one when the value is unknown."""
        for valeur in (self.request.GET.get(TRI, ""), self.tri_defaut):
            cle = valeur.removeprefix("-")
            if cle in self.tris:
                return cle, valeur.startswith("-")
        raise ValueError(f"{type(self).__name__}.tri_defaut is not one of its sorts")

    @property
    def options_tri(self) -> list[tuple[str, str, bool]]:
        """The « Trier par » select of the filter form: (value, label, selected), both ways for each sort (only the
        default way for a sort whose label says it)."""
        cle_courante, descendant = self.tri
        courant = f"-{cle_courante}" if descendant else cle_courante
        options = []
        for cle, tri in self.tris.items():
            if tri.avec_sens:
                valeurs = [(cle, f"{tri.libelle} (ordre croissant)"), (f"-{cle}", f"{tri.libelle} (ordre décroissant)")]
            else:
                valeurs = [(self.tri_defaut if self.tri_defaut.removeprefix("-") == cle else cle, tri.libelle)]
            options += [(valeur, libelle, valeur == courant) for valeur, libelle in valeurs]
        return options

    @property
    def tri_libelle(self) -> str:
        """The sort in words, for the table's caption: « Déposée le », ordre croissant."""
        cle, descendant = self.tri
        tri = self.tris[cle]
        sens = f", ordre {'décroissant' if descendant else 'croissant'}" if tri.avec_sens else ""
        return f"« {tri.libelle} »{sens}"

    @property
    def format_export(self) -> str | None:
        valeur = self.request.GET.get(EXPORT)
        return valeur if valeur in FORMATS else None

    @property
    def form(self) -> FormulaireFiltres:
        return self.filtreset.form  # type: ignore[no-any-return]

    @property
    def filtre_actif(self) -> bool:
        """Whether the person changed the list (a search, a filter, a sort): « Réinitialiser » is then offered."""
        return any(cle not in (PARAMETRE, EXPORT) and valeur for cle, valeur in self.request.GET.items())

    # --- The rows ------------------------------------------------------------------------------------------------

    @cached_property
    def queryset(self) -> QuerySet[Any]:
        """The rows, filtered (invalid filters ignored) and sorted."""
        cle, descendant = self.tri
        return self.filtreset.qs.order_by(*self.tris[cle].ordre(descendant))

    def page(self) -> Page:
        """The page asked for (one query, `core.pagination`)."""
        return paginer(self.request, self.queryset, par_page=self.par_page)

    def pour_export(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows as the export reads them (subclasses add annotations, never a prefetch: one query)."""
        return queryset

    def lignes_export(self) -> Iterator[list[Cellule]]:
        for ligne in self.pour_export(self.queryset).iterator(chunk_size=LOT_EXPORT):
            yield [colonne.valeur(ligne) for colonne in self.colonnes]

    def export(self) -> HttpResponseBase | None:
        """The CSV or XLSX of every filtered, sorted row when `?export=` asks for one, else None."""
        format_ = self.format_export
        if format_ is None:
            return None
        entetes = [colonne.entete for colonne in self.colonnes]
        nom = f"{self.nom_fichier}.{format_}"
        if format_ == "csv":
            return reponse_csv(nom, entetes, self.lignes_export())
        return reponse_xlsx(nom, self.titre_feuille, entetes, self.lignes_export())

    # --- Links ---------------------------------------------------------------------------------------------------

    def _requete(self, **changes: str) -> str:
        """The current query string without the page number nor the export, with `changes` applied."""
        parametres = self.request.GET.copy()
        for nom in (PARAMETRE, EXPORT):
            parametres.pop(nom, None)
        for nom, valeur in changes.items():
            parametres[nom] = valeur
        return parametres.urlencode()

    @property
    def lien_csv(self) -> str:
        return f"?{self._requete(export='csv')}"

    @property
    def lien_xlsx(self) -> str:
        return f"?{self._requete(export='xlsx')}"

    @property
    def lien_reinitialiser(self) -> str:
        return self.request.path

    @cached_property
    def entetes(self) -> Mapping[str, Entete]:
        """The sortable headers, by sort key: a link to the ascending sort, or to the descending one when the list
        is already sorted ascending by that column."""
        cle_courante, descendant = self.tri
        entetes = {}
        for cle, tri in self.tris.items():
            courant = cle == cle_courante
            aria = ("descending" if descendant else "ascending") if courant else ""
            valeur = f"-{cle}" if courant and not descendant else cle
            entetes[cle] = Entete(libelle=tri.libelle, href=f"?{self._requete(tri=valeur)}", aria_sort=aria)
        return entetes


# A number no object has, in the address `lien_par_identifiant` reverses once.
JOKER = 987654321


def lien_par_identifiant(nom: str) -> Callable[[int], str]:
    """The address of the named view for an object's id, reversed once for a whole list: `{% url %}` on each of
    50 rows cost 50 reversals (about 0.1 ms each). The view must take the id as its only argument."""
    modele = reverse(nom, args=[JOKER])
    avant, apres = modele.split(str(JOKER))
    return lambda identifiant: f"{avant}{int(identifiant)}{apres}"
