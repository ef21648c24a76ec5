"""Helpers of the UI view tests: the objects the permission matrices run against, the matrix runner,
and HTML checks (parsed with tinyhtml5 + cssselect2, WeasyPrint's own parser).

Every object is built with fixed names (no Faker value is ever asserted on), so the tests are deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import cssselect2
import pytest
import tinyhtml5
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url

from collectifs.enums import College, EtatDeclaration
from collectifs.models import AdhesionCharte, Collectif, Declaration, InvitationReferent, Membre, cle_personne
from collectifs.selectors import charte_courante
from collectifs.services import declaration_deposer
from documents.models import Document
from tests.collectifs.factories import MembreFactory
from tests.conftest import ROLES
from tests.mondes import SurDistribution

CONNECTES = frozenset(ROLES) - {"anonyme"}

# Expected outcome of an anonymous visit to a private page: 302 to the login page, coming back afterwards.
CONNEXION = "connexion"
HTML = "text/html; charset=utf-8"
PDF = "application/pdf"
JSON = "application/json"

TEXTE_DYNAMIQUE = "Depuis 2021, le centre social, la mairie et l'amicale des locataires se réunissent chaque mois."
TEXTE_PROJET = "Ouvrir une cuisine partagée au pied des immeubles."
TEXTE_ADDITIONNALITE = "Sans le collectif, aucune des trois structures ne porterait seule la cuisine partagée."

# (college, prénom, nom): the smallest composition that passes R1 with the default thresholds 1/2/2.
COMPOSITION_COMPLETE = [
    (College.ELU_RESPONSABLE, "Odile", "Marchand"),
    (College.PROFESSIONNEL, "Karim", "Benali"),
    (College.PROFESSIONNEL, "Sophie", "Delorme"),
    (College.HABITANT, "Josette", "Granger"),
    (College.HABITANT, "Mamadou", "Diallo"),
]


def attendu(
    *,
    anonyme: int | str,
    referent_a: int | str,
    referent_b: int | str,
    instructeur_42: int | str,
    instructeur_autre: int | str,
    national: int | str,
) -> dict[str, int | str]:
    """One row of a matrix: the status each role gets (every role must be given)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
    }


def url_connexion(suivante: str) -> str:
    """Where LoginRequiredMiddleware sends an anonymous visitor of `suivante`."""
    return f"{resolve_url(settings.LOGIN_URL)}?next={quote(suivante, safe='/')}"


# --- Objects -------------------------------------------------------------------------------------------


def membre(collectif: Collectif, college: str, prenom: str, nom: str, **extra: Any) -> Membre:
    return MembreFactory(
        collectif=collectif, college=college, prenom=prenom, nom=nom, cle=cle_personne(prenom, nom), **extra
    )


def composer_fixe(collectif: Collectif, membres: list[tuple[str, str, str]] | None = None) -> list[Membre]:
    """Give the collectif these members (default: a complete composition), with fixed names."""
    return [membre(collectif, college, prenom, nom) for college, prenom, nom in membres or COMPOSITION_COMPLETE]


def brouillon(collectif: Collectif, *, textes: bool = False, charte: bool = False, **extra: Any) -> Declaration:
    """A draft of the collectif; with `textes` and `charte` it has everything R2 asks of the draft itself."""
    if textes:
        extra.setdefault("dynamique_preexistante", TEXTE_DYNAMIQUE)
        extra.setdefault("projet", TEXTE_PROJET)
        extra.setdefault("additionnalite", TEXTE_ADDITIONNALITE)
    if charte:
        extra["adhesion_charte"] = AdhesionCharte.objects.create(
            charte=charte_courante(), collectif=collectif, personne=collectif.referents.first()
        )
    return Declaration.objects.create(collectif=collectif, etat=EtatDeclaration.BROUILLON, **extra)


def brouillon_pret(collectif: Collectif) -> Declaration:
    """A draft that can be filed now (campaign open): complete composition, texts, charter."""
    composer_fixe(collectif)
    return brouillon(collectif, textes=True, charte=True)


def deposer(declaration: Declaration) -> tuple[Declaration, Document]:
    """File through the real service, as the collectif's référent (stub PDF unless the test is marked `pdf`)."""
    referent = declaration.collectif.referents.first()
    document = declaration_deposer(acteur=referent, declaration=declaration)
    return Declaration.objects.get(pk=declaration.pk), document


@dataclass
class Monde(SurDistribution):
    """The objects of the permission matrices, on top of the shared `distribution`.

    Collectif A (Loire) has a filed declaration with its récépissé, and a new draft; its members include
    Odile Marchand. Collectif B (Loire) has only a draft. Référent B has been invited (not yet accepted) to
    become a référent of collectif A."""

    deposee_a: Declaration
    recepisse_a: Document
    brouillon_a: Declaration
    brouillon_b: Declaration
    membre_a: Membre
    invitation_b: InvitationReferent


def construire_monde(distribution: Any) -> Monde:
    collectif_a = distribution.collectif_a
    deposee_a, recepisse_a = deposer(brouillon_pret(collectif_a))
    brouillon_a = brouillon(collectif_a, projet="Un jardin partagé rue de la Marandinière.")
    return Monde(
        distribution=distribution,
        deposee_a=deposee_a,
        recepisse_a=recepisse_a,
        brouillon_a=brouillon_a,
        brouillon_b=brouillon(distribution.collectif_b, projet="Une fête des voisins au Chambon."),
        membre_a=Membre.objects.get(collectif=collectif_a, nom="Marchand"),
        invitation_b=InvitationReferent.objects.create(
            collectif=collectif_a, email=distribution.referent_b.email, invite_par=distribution.referent_a
        ),
    )


# --- The matrix runner -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cas:
    """One request of a matrix and what each role gets.

    - `attendu`: every role → a status code, or CONNEXION (302 to the login page with `next`).
    - `contenu` / `absent`: texts (formatted with `m`, the Monde) that every 200 HTML answer must / must not
      contain; a tuple applies to every role, a dict gives them per role.
    - `suite`: where every allowed 302 goes.
    - `agissent` + `fait(m, role)`: after the request, `fait` is true exactly for the roles in `agissent`
      (the write happened for them, and for nobody else).
    - `avant(m)`: prepares the objects just before the request."""

    nom: str
    url: Callable[[Any], str]
    attendu: dict[str, int | str]
    methode: str = "get"
    donnees: dict[str, Any] | Callable[[Any], dict[str, Any]] = field(default_factory=dict)
    contenu: tuple[str, ...] | dict[str, tuple[str, ...]] = ()
    absent: tuple[str, ...] | dict[str, tuple[str, ...]] = ()
    suite: Callable[[Any], str] | None = None
    type_contenu: str = HTML
    avant: Callable[[Any], None] | None = None
    agissent: frozenset[str] | None = None
    fait: Callable[[Any, str], bool] | None = None

    def textes(self, quoi: tuple[str, ...] | dict[str, tuple[str, ...]], role: str) -> tuple[str, ...]:
        return quoi.get(role, ()) if isinstance(quoi, dict) else quoi


def matrice(cas: list[Cas]) -> list[Any]:
    """pytest params over every (case, role) pair; checks that each case is complete."""
    noms = [c.nom for c in cas]
    assert len(noms) == len(set(noms)), "case names must be unique"
    for c in cas:
        assert set(c.attendu) == set(ROLES), f"{c.nom}: the matrix must list every role"
        for role, statut in c.attendu.items():
            if statut in (200, 422) and c.type_contenu == HTML:
                assert c.textes(c.contenu, role), f"{c.nom}: say what {role} must see on the page"
            if statut == 302:
                assert c.suite is not None, f"{c.nom}: say where the allowed redirect goes"
        assert (c.agissent is None) == (c.fait is None), f"{c.nom}: agissent and fait go together"
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in cas for r in ROLES]


def verifier(cas: Cas, role: str, monde: Any, client: Any) -> HttpResponse:
    """Call the URL as `role` and check the matrix row."""
    if cas.avant is not None:
        cas.avant(monde)
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    url = cas.url(monde)
    donnees = cas.donnees(monde) if callable(cas.donnees) else cas.donnees
    reponse = getattr(client, cas.methode)(url, donnees)
    attendu_ = cas.attendu[role]
    if attendu_ == CONNEXION:
        assert reponse.status_code == 302, (role, url, reponse.status_code)
        assert reponse["Location"] == url_connexion(url)
    else:
        assert reponse.status_code == attendu_, (role, url, reponse.status_code)
    if reponse.status_code in (200, 422):
        assert reponse["Content-Type"] == cas.type_contenu
        if cas.type_contenu == PDF:
            assert reponse.content.startswith(b"%PDF-")
        else:
            page = reponse.content.decode()
            for texte in cas.textes(cas.contenu, role):
                assert texte.format(m=monde) in page, (role, url, texte.format(m=monde))
            for texte in cas.textes(cas.absent, role):
                assert texte.format(m=monde) not in page, (role, url, texte.format(m=monde))
    if reponse.status_code == 302 and attendu_ != CONNEXION:
        assert cas.suite is not None
        assert reponse["Location"] == cas.suite(monde), (role, url)
    if cas.fait is not None:
        assert cas.agissent is not None
        assert cas.fait(monde, role) is (role in cas.agissent), (role, url, "effect")
    return reponse


# --- HTML ---------------------------------------------------------------------------------------------------


class Page:
    """A parsed HTML page, queried with CSS selectors."""

    def __init__(self, reponse: HttpResponse) -> None:
        self.racine = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(reponse.content.decode()))

    def tous(self, selecteur: str) -> list[Any]:
        return list(self.racine.query_all(selecteur))

    def un(self, selecteur: str) -> Any:
        trouves = self.tous(selecteur)
        assert len(trouves) == 1, f"{selecteur}: {len(trouves)} éléments"
        return trouves[0]

    @staticmethod
    def texte(element: Any) -> str:
        return " ".join("".join(element.etree_element.itertext()).split())

    @staticmethod
    def attribut(element: Any, nom: str) -> str | None:
        return element.etree_element.get(nom)

    def champ(self, nom: str) -> Any:
        """The input, select or textarea named `nom` (the checked one for radio buttons)."""
        elements = self.tous(f'[name="{nom}"]')
        assert elements, f"pas de champ {nom}"
        return elements[0]

    def valeur(self, nom: str) -> str | bool | None:
        """What the browser would submit for this field, as rendered."""
        elements = self.tous(f'[name="{nom}"]')
        assert elements, f"pas de champ {nom}"
        premier = elements[0].etree_element
        type_ = premier.get("type")
        if type_ == "radio":
            coches = [e.etree_element.get("value") for e in elements if e.etree_element.get("checked") is not None]
            return coches[0] if coches else None
        if type_ == "checkbox":
            return premier.get("checked") is not None
        if premier.tag.endswith("textarea"):
            return premier.text or ""
        if premier.tag.endswith("select"):
            choisies = [o for o in premier.iter() if o.tag.endswith("option") and o.get("selected") is not None]
            return choisies[0].get("value") if choisies else None
        return premier.get("value", "")

    def groupe(self, nom: str) -> Any:
        """The DSFR group (input group, checkbox group or fieldset) that holds the field."""
        element = self.champ(nom)
        while element is not None:
            classes = (self.attribut(element, "class") or "").split()
            if {"fr-input-group", "fr-select-group", "fr-checkbox-group", "fr-fieldset"} & set(classes):
                return element
            element = element.parent
        raise AssertionError(f"{nom} n'est dans aucun groupe DSFR")

    def erreur_du_champ(self, nom: str) -> str:
        """The error shown next to the field: checks the group's error class and the aria-describedby link,
        and returns the text of the element the field points to."""
        groupe = self.groupe(nom)
        classes = (self.attribut(groupe, "class") or "").split()
        assert any(c.endswith("--error") for c in classes), f"{nom}: le groupe n'est pas en erreur ({classes})"
        champ = self.champ(nom)
        assert self.attribut(champ, "aria-invalid") == "true", f"{nom}: aria-invalid manquant"
        decrit_par = (self.attribut(champ, "aria-describedby") or "").split()
        assert decrit_par, f"{nom}: aria-describedby manquant"
        textes = []
        for ident in decrit_par:
            cible = self.un(f'[id="{ident}"]')
            # The error block must sit inside the field's own group.
            assert any(a is groupe.etree_element for a in _ancetres(cible)), f"{nom}: erreur hors du groupe"
            textes.append(self.texte(cible))
        return " ".join(textes)


def _ancetres(element: Any) -> list[Any]:
    resultat = []
    element = element.parent
    while element is not None:
        resultat.append(element.etree_element)
        element = element.parent
    return resultat
