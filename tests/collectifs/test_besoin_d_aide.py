"""Issue 11: « Besoin d'aide ? » on the collectif's pages (the declaration's steps, the follow-up page, the
check-ins), with the département's contact (instances.selectors.contact_du_departement), the paper form, and who
enters things for people without e-mail; and no rule number (« R17 ») on those pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from collectifs.etapes import ETAPES
from instances.models import InstanceDepartementale
from territoires.models import Departement
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.fonds.test_vues_bilans import construire
from tests.vues import Page, brouillon, brouillon_pret, deposer

BLOC = "#besoin-d-aide"
NUMERO_DE_REGLE = re.compile(r"\bR\d{1,2}\b")


def _page(client, user, url: str) -> Page:
    client.force_login(user)
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    return Page(reponse)


def _contact_de_l_instance() -> InstanceDepartementale:
    return InstanceDepartementale.objects.create(
        departement=Departement.objects.get(code="42"),
        nom="Instance départementale de la Loire",
        contact_email="collectifs@loire.fr",
        contact_telephone="04 77 00 00 00",
        contact_horaires="du lundi au vendredi, de 9 h à 17 h",
    )


# --- The declaration's steps -------------------------------------------------------------------------------------


@pytest.mark.parametrize("etape", [code for code, _ in ETAPES])
def test_chaque_etape_donne_les_instructeur_rices_du_departement_sans_contact_d_instance(etape, distribution, client):
    declaration = brouillon(distribution.collectif_a)
    page = _page(client, distribution.referent_a, reverse(f"collectifs:etape_{etape}", args=[declaration.pk]))
    bloc = page.un(BLOC)
    texte = Page.texte(bloc)
    assert Page.texte(bloc.query("h2")) == "Besoin d’aide ?"
    instructrice = distribution.instructeur_42
    assert page.tous(f'{BLOC} a[href="mailto:{instructrice.email}"]')
    # Only the collectif's département.
    assert distribution.instructeur_autre.email not in texte
    # The paper form, and people without e-mail.
    assert page.tous(f'{BLOC} a[href="{reverse("collectifs:formulaire_vierge")}"]')
    assert "Pas d’adresse électronique" in texte
    assert "peut saisir les informations pour vous" in texte


def test_le_contact_de_l_instance_remplace_la_liste_des_instructeur_rices(distribution, client):
    _contact_de_l_instance()
    declaration = brouillon(distribution.collectif_a)
    page = _page(client, distribution.referent_a, reverse("collectifs:etape_membres", args=[declaration.pk]))
    texte = Page.texte(page.un(BLOC))
    assert page.tous(f'{BLOC} a[href="mailto:collectifs@loire.fr"]')
    assert page.tous(f'{BLOC} a[href="tel:0477000000"]')
    assert "04 77 00 00 00 (du lundi au vendredi, de 9 h à 17 h)" in texte
    assert distribution.instructeur_42.email not in texte


@pytest.mark.parametrize("nombre", [2, 20])
def test_le_bloc_coute_autant_de_requetes_quel_que_soit_le_nombre_d_instructeur_rices(
    nombre, distribution, client, django_assert_num_queries
):
    """The step page's count (pinned in test_views_requetes.py) does not grow with the contacts listed."""
    for rang in range(nombre - 1):  # the distribution has one instructeur of the Loire already
        InstructeurFactory(user=UserFactory(email=f"instructeur.{rang:02d}@loire.fr"), departements=["42"])
    declaration = brouillon(distribution.collectif_a)
    client.force_login(distribution.referent_a)
    url = reverse("collectifs:etape_projet", args=[declaration.pk])
    client.get(url)
    with django_assert_num_queries(12):
        reponse = client.get(url)
    assert len(Page(reponse).tous(f'{BLOC} a[href^="mailto:"]')) == nombre


# --- The follow-up page: the référents, not the staff ------------------------------------------------------------


@pytest.mark.parametrize(("role", "voit"), [("referent_a", True), ("instructeur_42", False), ("national", False)])
def test_la_page_de_suivi_montre_le_bloc_au_collectif(role, voit, distribution, client):
    declaration, _ = deposer(brouillon_pret(distribution.collectif_a))
    page = _page(client, distribution.utilisateur(role), reverse("instances:declaration_detail", args=[declaration.pk]))
    assert bool(page.tous(BLOC)) is voit
    if voit:
        assert page.tous(f'{BLOC} a[href="mailto:{distribution.instructeur_42.email}"]')


# --- The check-ins -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "voit"), [("referent_a", True), ("instructeur_42", False), ("accompagnateur", False)])
def test_les_pages_des_bilans_montrent_le_bloc_au_collectif(role, voit, distribution, client):
    monde = construire(distribution)
    _contact_de_l_instance_existante()
    user = monde.utilisateur(role)
    for url in (
        reverse("fonds:bilans_convention", args=[monde.convention.pk]),
        reverse("fonds:bilan", args=[monde.bilan.pk]),
    ):
        page = _page(client, user, url)
        assert bool(page.tous(BLOC)) is voit, url
        if voit:
            assert page.tous(f'{BLOC} a[href="mailto:collectifs@loire.fr"]')


def _contact_de_l_instance_existante() -> None:
    """The Loire's instance of the check-ins' world gives a contact."""
    InstanceDepartementale.objects.filter(departement_id="42").update(contact_email="collectifs@loire.fr")


# --- No rule number on the collectif's pages ---------------------------------------------------------------------


def test_aucun_numero_de_regle_sur_les_pages_du_collectif(distribution, client):
    monde = construire(distribution)
    assert monde.convention.declaration is not None
    declaration = brouillon(distribution.collectif_b)
    urls = [reverse(f"collectifs:etape_{code}", args=[declaration.pk]) for code, _ in ETAPES]
    pages = [(distribution.referent_b, url) for url in urls]
    pages += [
        (distribution.referent_a, reverse("instances:declaration_detail", args=[monde.convention.declaration.pk])),
        (distribution.referent_a, reverse("fonds:bilans_convention", args=[monde.convention.pk])),
        (distribution.referent_a, reverse("fonds:bilan", args=[monde.bilan.pk])),
        (distribution.referent_a, reverse("collectifs:membres_pour_autrui", args=[distribution.collectif_a.pk])),
    ]
    for user, url in pages:
        texte = Page.texte(_page(client, user, url).un("main"))
        assert not NUMERO_DE_REGLE.search(texte), (url, NUMERO_DE_REGLE.findall(texte))
