"""Issue 12 (R20), in a real browser: a référente downloads what the platform holds about her from « Mon compte »
→ « Mes données »; national staff find a member without an account and anonymise them, once with JavaScript and
once without (an error first, nothing lost), and the collectif's members page no longer names them. The public
« Données personnelles » page passes axe too. Every page goes through `Parcours.etape()` (screenshot, axe,
console); without JavaScript, the same pages were checked by axe in the JavaScript journey."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from collectifs.enums import College
from collectifs.models import Membre, cle_personne
from journal.models import Anonymisation
from personnes.selectors import texte_du_pdf
from tests.browser.conftest import DELAI_MS, DOSSIER_CAPTURES, Parcours
from tests.browser.outils import champ, cocher, se_connecter
from tests.browser.test_navigation_mobile import ParcoursSansJs
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import UserFactory

# The archive's summary is rendered for real by WeasyPrint (one page, quickly).
pytestmark = [pytest.mark.browser, pytest.mark.pdf]

EMAIL_REFERENTE = "odile.lefevre@exemple.fr"
EMAIL_NATIONAL = "equipe@collectifs-ds.gouv.fr"
MOTIF = "Demande d'effacement reçue par courrier le 3 mars."
TITRE_RECHERCHE = "Données personnelles : rechercher une personne"


@dataclass
class Monde:
    referente: Any
    national: Any
    collectif: Any
    theo: Membre


def _membre(collectif: Any, prenom: str, nom: str, **extra: Any) -> Membre:
    return Membre.objects.create(
        collectif=collectif,
        college=College.HABITANT,
        prenom=prenom,
        nom=nom,
        cle=cle_personne(prenom, nom),
        consentement=True,
        **extra,
    )


@pytest.fixture
def monde(transactional_db: None) -> Monde:
    """Odile Lefèvre, référente and member of her collectif; Théo Dupré, a member without an account; national staff."""
    referente = UserFactory(email=EMAIL_REFERENTE, prenom="Odile", nom="Lefèvre")
    collectif = CollectifFactory(referent=referente, nom="Collectif des jardins de Montreynaud")
    _membre(collectif, "Odile", "Lefèvre", email=EMAIL_REFERENTE, fonction="Habitante")
    theo = _membre(collectif, "Théo", "Dupré", telephone="06 12 34 56 78")
    national = UserFactory(email=EMAIL_NATIONAL, prenom="Inès", nom="Martin", national=True)
    return Monde(referente=referente, national=national, collectif=collectif, theo=theo)


def _titre(page: Page, texte: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(texte)


def _chercher_et_ouvrir_l_anonymisation(parcours: Parcours) -> None:
    page = parcours.page
    page.goto(reverse("personnes:recherche"))
    _titre(page, TITRE_RECHERCHE)
    parcours.etape("recherche")
    champ(page, "Nom, prénom ou adresse électronique").fill("Dupré")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Dupr%C3%A9"))
    expect(page.get_by_role("table", name=re.compile("^Membres trouvés"))).to_contain_text(
        "Collectif des jardins de Montreynaud"
    )
    expect(page.get_by_text("Aucun compte.")).to_be_visible()
    parcours.etape("recherche-resultats")
    page.get_by_role("link", name="Anonymiser Théo Dupré").click()
    _titre(page, "Anonymiser Théo Dupré")
    expect(page.get_by_role("heading", name="Cette opération est définitive")).to_be_visible()
    parcours.etape("anonymiser")


def _anonymisation_reussie(parcours: Parcours, monde: Monde) -> None:
    """The success message names the pseudonym; the member is renamed; the référente's members page follows."""
    page = parcours.page
    _titre(page, TITRE_RECHERCHE)
    succes = page.locator(".fr-alert--success")
    expect(succes).to_contain_text(re.compile(r"La personne est anonymisée : .*« Personne [0-9A-F]{4} »"))
    pseudonyme = re.search(r"Personne [0-9A-F]{4}", succes.inner_text())
    assert pseudonyme is not None
    parcours.etape("anonymisee")
    theo = Membre.objects.get(pk=monde.theo.pk)
    assert f"{theo.prenom} {theo.nom}" == pseudonyme.group(0)
    assert (theo.email, theo.telephone) == ("", "")
    (anonymisation,) = Anonymisation.objects.all()
    assert anonymisation.motif == MOTIF
    assert anonymisation.pseudonyme == pseudonyme.group(0)

    # A new search by the old name finds nobody.
    page.goto(reverse("personnes:recherche") + "?q=Dupr%C3%A9")
    expect(page.get_by_text("Aucun membre.")).to_be_visible()


def _page_du_collectif_sans_le_nom(parcours: Parcours, monde: Monde) -> None:
    page = parcours.page
    se_connecter(page, EMAIL_REFERENTE)
    page.goto(reverse("collectifs:membres_pour_autrui", args=[monde.collectif.pk]))
    _titre(page, "Membres de Collectif des jardins de Montreynaud")
    main = page.get_by_role("main")
    expect(main).to_contain_text(re.compile(r"Personne [0-9A-F]{4}"))
    expect(main).to_contain_text("Odile Lefèvre")
    expect(main).not_to_contain_text("Théo")
    expect(main).not_to_contain_text("Dupré")
    expect(main).not_to_contain_text("06 12 34 56 78")
    parcours.etape("membres-du-collectif")


def test_la_referente_telecharge_ses_donnees_depuis_son_compte(visiteur, monde, tmp_path):
    referente = visiteur("referente")
    page = referente.page
    se_connecter(page, EMAIL_REFERENTE)
    page.get_by_role("banner").get_by_role("link", name=EMAIL_REFERENTE, exact=True).click()
    _titre(page, "Mon compte")
    referente.etape("mon-compte")
    page.get_by_role("link", name="Mes données", exact=True).click()
    _titre(page, "Mes données")
    main = page.get_by_role("main")
    for sorte in ("votre identité", "les collectifs dont vous êtes membre", "vos votes en instance"):
        expect(main).to_contain_text(sorte)
    expect(main).to_contain_text("« donnees.json »")
    referente.etape("mes-donnees")

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger mes données (ZIP)").click()
    assert re.fullmatch(r"mes-donnees-\d{8}\.zip", telechargement.value.suggested_filename)
    fichier = tmp_path / "mes-donnees.zip"
    telechargement.value.save_as(fichier)
    with zipfile.ZipFile(io.BytesIO(fichier.read_bytes())) as archive:
        assert sorted(archive.namelist()) == ["donnees.json", "resume.pdf"]
        donnees = json.loads(archive.read("donnees.json"))
        resume = texte_du_pdf(archive.read("resume.pdf"))
    assert donnees["identite"]["type"] == "compte"
    assert (donnees["identite"]["prenom"], donnees["identite"]["nom"]) == ("Odile", "Lefèvre")
    assert donnees["identite"]["email"] == EMAIL_REFERENTE
    assert [a["collectif"] for a in donnees["adhesions_collectifs"]] == ["Collectif des jardins de Montreynaud"]
    assert "Lefèvre" in resume
    # Nothing of the other member of her collectif.
    assert "Dupré" not in json.dumps(donnees, ensure_ascii=False) and "Dupré" not in resume
    # The page is still there after the download (a link, not a navigation).
    _titre(page, "Mes données")


def test_l_equipe_nationale_anonymise_un_membre_sans_compte(visiteur, monde):
    national = visiteur("nationale")
    page = national.page
    se_connecter(page, EMAIL_NATIONAL)
    _chercher_et_ouvrir_l_anonymisation(national)

    # Confirmed but without a reason: the error next to the field, the box still ticked, nothing anonymised.
    cocher(champ(page, "Je confirme"))
    page.get_by_role("button", name="Anonymiser définitivement").click()
    _titre(page, "Anonymiser Théo Dupré")
    expect(page.locator("#resume-erreurs")).to_contain_text("Le formulaire contient 1 erreur")
    expect(page.locator("#resume-erreurs").get_by_role("link")).to_have_attribute("href", "#id_motif")
    motif = champ(page, "Motif de l'anonymisation")
    expect(motif).to_have_attribute("aria-invalid", "true")
    expect(motif).to_have_attribute("aria-describedby", re.compile("id_motif-desc-error"))
    expect(page.locator("#id_motif-desc-error")).to_contain_text("Ce champ est obligatoire.")
    expect(champ(page, "Je confirme")).to_be_checked()
    national.etape("anonymiser-erreur")
    assert not Anonymisation.objects.exists()
    assert Membre.objects.get(pk=monde.theo.pk).nom == "Dupré"

    motif.fill(MOTIF)
    page.get_by_role("button", name="Anonymiser définitivement").click()
    _anonymisation_reussie(national, monde)
    _page_du_collectif_sans_le_nom(visiteur("referente"), monde)


def test_sans_javascript_l_equipe_nationale_anonymise_un_membre(navigateur: Browser, live_server, monde, request):
    dossier = DOSSIER_CAPTURES / request.node.name
    dossier.mkdir(parents=True, exist_ok=True)
    contextes = []

    def sans_js(nom: str) -> ParcoursSansJs:
        contexte = navigateur.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 900},
            java_script_enabled=False,
        )
        contexte.set_default_timeout(DELAI_MS)
        contextes.append(contexte)
        return ParcoursSansJs(contexte, dossier, f"{nom}-")

    try:
        national = sans_js("nationale")
        page = national.page
        se_connecter(page, EMAIL_NATIONAL)
        expect(page.locator("html")).not_to_have_attribute("data-fr-js", "true")
        _chercher_et_ouvrir_l_anonymisation(national)

        # A reason but no confirmation: the error next to the box, the reason kept.
        champ(page, "Motif de l'anonymisation").fill(MOTIF)
        page.get_by_role("button", name="Anonymiser définitivement").click()
        _titre(page, "Anonymiser Théo Dupré")
        expect(page.locator("#resume-erreurs")).to_contain_text("Le formulaire contient 1 erreur")
        expect(page.get_by_role("main")).to_contain_text("Cochez la case pour confirmer l'anonymisation.")
        expect(champ(page, "Motif de l'anonymisation")).to_have_value(MOTIF)
        expect(champ(page, "Je confirme")).not_to_be_checked()
        national.etape("anonymiser-erreur")
        assert not Anonymisation.objects.exists()

        cocher(champ(page, "Je confirme"))
        page.get_by_role("button", name="Anonymiser définitivement").click()
        _anonymisation_reussie(national, monde)
        assert [nom for nom, _ in national.adresses] == [
            "recherche",
            "recherche-resultats",
            "anonymiser",
            "anonymiser-erreur",
            "anonymisee",
        ]
        _page_du_collectif_sans_le_nom(sans_js("referente"), monde)
    finally:
        for contexte in contextes:
            contexte.close()


def test_la_page_publique_des_donnees_personnelles(visiteur):
    public = visiteur("public")
    public.page.goto("/donnees-personnelles/")
    _titre(public.page, "Données personnelles")
    public.etape("donnees-personnelles")
    public.page.get_by_role("contentinfo").get_by_role("link", name="Données personnelles").click()
    expect(public.page).to_have_url(re.compile(r"/donnees-personnelles/$"))
