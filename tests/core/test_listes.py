"""The shared list helper (`core.listes`), on a small list of the départements (reference data): the sort is a
whitelist, an invalid filter value gives a French message next to its field (the other filters still apply),
defaults apply only when a parameter is absent, the exports go through `core.exports` (formulas neutralised), and
the links of the pagination, the sortable headers and the exports keep the rest of the query string."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
import pytest
from django.db.models import QuerySet
from django.http import FileResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from core.listes import Colonne, FiltresListe, Liste, Tri, lien_par_identifiant, rechercher
from territoires.models import Departement
from tests.listes import lire_csv, lire_xlsx, page_de
from tests.vues import Page

pytestmark = pytest.mark.django_db


class FiltresDepartements(FiltresListe):
    outre_mer = django_filters.ChoiceFilter(
        label="Outre-mer",
        choices=[("oui", "Oui"), ("non", "Non")],
        empty_label="Tous",
        method="filtrer_outre_mer",
    )
    premier_chiffre = django_filters.ChoiceFilter(label="Premier chiffre", empty_label="Tous", method="filtrer_debut")

    champs_recherche = ("nom", "code")
    defauts: ClassVar[dict[str, str]] = {"outre_mer": "non"}

    def choisir(self) -> None:
        self.filters["premier_chiffre"].extra["choices"] = [(str(c), str(c)) for c in range(10)]

    def filtrer_outre_mer(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(code__startswith="97") if value == "oui" else queryset.exclude(code__startswith="97")

    def filtrer_debut(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(code__startswith=value)


class ListeDepartements(Liste):
    filtres = FiltresDepartements
    colonnes = (Colonne("Code", lambda d: d.code), Colonne("Nom", lambda d: d.nom), Colonne("Note", lambda d: NOTE))
    tris: ClassVar[dict[str, Tri]] = {"code": Tri("Code", ("code",)), "nom": Tri("Nom", ("nom",))}
    tri_defaut = "code"
    nom_fichier = "departements"
    titre_feuille = "Départements"
    par_page = 10


NOTE = '=HYPERLINK("http://exemple.invalid";"clic")'


def _liste(**parametres: Any) -> ListeDepartements:
    requete = RequestFactory().get("/departements/", parametres)
    return ListeDepartements(requete, Departement.objects.all(), user=None)


def _corps(reponse: Any) -> bytes:
    """A download built outside a request: read it, and close the XLSX's temporary file (closing the response
    itself would signal the end of a request and close the database connection on PostgreSQL)."""
    corps = b"".join(reponse.streaming_content)
    if isinstance(reponse, FileResponse):
        reponse.file_to_stream.close()
    return corps


def _codes(liste: Liste) -> list[str]:
    return [d.code for d in liste.queryset]


def test_tri_par_defaut_puis_demande_dans_les_deux_sens():
    assert _codes(_liste())[:3] == ["01", "02", "03"]
    par_nom = [d.nom for d in _liste(tri="nom").queryset]
    assert par_nom == sorted(par_nom)
    assert _codes(_liste(tri="-code"))[0] == "95"  # overseas départements are filtered out by default


@pytest.mark.parametrize("valeur", ["inconnu", "-", "nom; DROP TABLE x", "password", "departement__nom", "--code", ""])
def test_un_tri_hors_liste_est_ignore(valeur):
    liste = _liste(tri=valeur)
    assert liste.tri == ("code", False)
    assert _codes(liste)[:2] == ["01", "02"]


def test_les_entetes_triables_et_aria_sort():
    liste = _liste(q="a", tri="nom")
    assert liste.entetes["nom"].aria_sort == "ascending"
    assert liste.entetes["code"].aria_sort == ""
    # Sorted ascending by name: its header links to the descending sort; the search is kept.
    assert liste.entetes["nom"].href == "?q=a&tri=-nom"
    assert liste.entetes["code"].href == "?q=a&tri=code"
    html = render_to_string("includes/liste_th.html", {"entete": liste.entetes["nom"]})
    assert 'aria-sort="ascending"' in html and 'scope="col"' in html
    assert "trier par ordre décroissant" in html


def test_recherche_chaque_mot_dans_un_des_champs():
    # Indre-et-Loire, Loire, Haute-Loire, Loire-Atlantique, Loiret, Maine-et-Loire, Saône-et-Loire.
    assert _codes(_liste(q="loire")) == ["37", "42", "43", "44", "45", "49", "71"]
    assert _codes(_liste(q="haute loire")) == ["43"]
    assert _codes(_liste(q="42")) == ["42"]
    assert _codes(_liste(q="introuvable")) == []
    assert [d.code for d in rechercher(Departement.objects.order_by("code"), ("nom",), "  ")] == list(
        Departement.objects.order_by("code").values_list("code", flat=True)
    )


def test_valeur_par_defaut_seulement_si_le_parametre_est_absent():
    assert "971" not in _codes(_liste())
    # Submitted empty (« Tous »): no default.
    assert "971" in _codes(_liste(outre_mer=""))
    assert _codes(_liste(outre_mer="oui"))[0] == "971"


def test_filtre_invalide_message_a_cote_du_champ_les_autres_filtres_appliques(rf):
    liste = _liste(premier_chiffre="x", q="loire")
    # The invalid filter is ignored; the search still applies.
    assert _codes(liste) == ["37", "42", "43", "44", "45", "49", "71"]
    html = render_to_string("includes/liste_filtres.html", {"liste": liste})
    page = page_de(f"<main>{html}</main>".encode())
    assert "Sélectionnez un choix valide" in page.erreur_du_champ("premier_chiffre")
    assert Page.texte(page.un(".fr-alert")).startswith("Un filtre n’a pas pu être appliqué")
    assert page.valeur("q") == "loire"
    assert page.valeur("tri") == "code"
    labels = {Page.texte(label) for label in page.tous("label")}
    assert {"Rechercher", "Outre-mer", "Premier chiffre", "Trier par"} <= labels


def test_liens_de_pagination_et_d_export_gardent_la_requete():
    liste = _liste(q="e", tri="-nom", page="2")
    page = liste.page()
    assert page.numero == 2
    assert page.lien(3) == "?q=e&tri=-nom&page=3"
    assert liste.lien_csv == "?q=e&tri=-nom&export=csv"
    assert liste.lien_xlsx == "?q=e&tri=-nom&export=xlsx"
    # A sort link starts again from the first page.
    assert liste.entetes["code"].href == "?q=e&tri=code"
    assert liste.lien_reinitialiser == "/departements/"
    html = render_to_string("includes/liste_resume.html", {"liste": liste, "page": page})
    assert f"{page.total} résultats" in html
    assert 'href="?q=e&amp;tri=-nom&amp;export=csv"' in html
    assert 'href="?q=e&amp;tri=-nom&amp;export=xlsx"' in html


def test_pas_d_export_sans_parametre_ni_pour_un_format_inconnu():
    assert _liste().export() is None
    assert _liste(export="pdf").export() is None


def test_export_de_toutes_les_pages_filtrees_triees_formules_neutralisees():
    liste = _liste(q="loire -", tri="-code", page="1", export="csv")
    reponse = liste.export()
    assert reponse is not None
    assert reponse["Content-Disposition"] == 'attachment; filename="departements.csv"'
    lignes = lire_csv(_corps(reponse))
    assert lignes[0] == ["Code", "Nom", "Note"]
    assert [ligne[0] for ligne in lignes[1:]] == ["71", "49", "44", "43", "37"]
    assert lignes[1][2] == "'" + NOTE

    reponse = _liste(q="haute", tri="-code", export="xlsx").export()
    assert reponse is not None
    assert reponse["Content-Disposition"] == 'attachment; filename="departements.xlsx"'
    lignes = lire_xlsx(_corps(reponse))
    assert lignes[0] == ["Code", "Nom", "Note"]
    attendues = [[d.code, d.nom] for d in Departement.objects.filter(nom__icontains="haute").order_by("-code")]
    assert len(attendues) >= 5
    assert [ligne[:2] for ligne in lignes[1:]] == attendues
    assert lignes[1][2] == "'" + NOTE  # text, never a formula


def test_export_exactement_ce_qui_est_montre_sur_toutes_les_pages():
    liste = _liste(premier_chiffre="1")
    montres = _codes(liste)
    assert liste.page().nombre_pages == 1 or len(montres) > 10
    lignes = lire_csv(_corps(_liste(premier_chiffre="1", export="csv").export()))  # type: ignore[union-attr]
    assert [ligne[0] for ligne in lignes[1:]] == montres
    tous = _liste(export="csv")
    assert len(lire_csv(_corps(tous.export()))) - 1 == len(_codes(_liste())) > 10  # type: ignore[union-attr]


def test_lien_par_identifiant_donne_l_adresse_de_reverse():
    lien = lien_par_identifiant("workflow:tache")
    for identifiant in (1, 42, 987654321, 10**12):
        assert lien(identifiant) == reverse("workflow:tache", args=[identifiant])
