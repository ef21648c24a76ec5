"""Issue 11, in a real browser on the demo data: the pages that administer a département without /admin/ and the
searchable lists. Marc Giraud (instructeur of the Rhône, no instance yet) constitutes the instance from his
dashboard, adds a member, orders the rotation, opens the settings, adds a person to the accompagnateurs registry
and invites a colleague; the colleague opens the e-mail's link, creates the account and lands logged in. Claire
Dumas (Loire) filters, sorts and exports her lists; the national team opens the instances and searches the
national practice sheets. Every page goes through `Parcours.etape()` (screenshot, axe, console)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from comptes.models import User
from demo.seeders.comptes import MOT_DE_PASSE_DEMO
from instances.models import InstanceDepartementale
from tests.browser.conftest import Parcours
from tests.browser.outils import champ
from tests.documents.pdf import PDF_MINIMAL

pytestmark = pytest.mark.browser

DEMO = "@demo.collectifs-ds.fr"
EMAIL_COLLEGUE = "camille.rey@rhone.exemple.fr"
MOT_DE_PASSE_COLLEGUE = "Une phrase de passe solide 2027 !"
ENTETES_DECLARATIONS = "Numéro;Collectif;Département;Campagne;Déposée le;État"


def _se_connecter_demo(page: Page, identifiant: str) -> None:
    page.goto("/compte/connexion/")
    champ(page, "Adresse électronique").fill(f"{identifiant}{DEMO}")
    champ(page, "Mot de passe").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def _titre(page: Page, texte: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(texte)


def _succes(page: Page, texte: str) -> None:
    expect(page.locator(".fr-alert--success")).to_contain_text(texte)


def _filtrer(page: Page) -> None:
    page.get_by_role("button", name="Filtrer").click()


def _constituer_l_instance(parcours: Parcours) -> None:
    """The Rhône's instructeur: instance, member, rotation, settings, registry, team invitation."""
    page = parcours.page
    _se_connecter_demo(page, "marc.giraud")
    parcours.etape("tableau-de-bord")
    page.locator("#bloc-instructeur").get_by_role("link", name=re.compile("^Constituer l'instance")).click()
    _titre(page, "Créer l'instance du département")
    expect(champ(page, "Nom de l'instance")).to_have_value(re.compile("Rhône"))
    champ(page, "Adresse électronique de contact").fill("instance@rhone.exemple.fr")
    champ(page, "Horaires de contact").fill("du lundi au vendredi, 9 h – 12 h")
    parcours.etape("instance-nouvelle")
    page.get_by_role("button", name="Créer l'instance").click()

    _titre(page, "Membres de l'instance")
    _succes(page, "ajoutez maintenant ses membres")
    instance = InstanceDepartementale.objects.get(departement_id="69")
    assert instance.contact_email == "instance@rhone.exemple.fr"
    parcours.etape("membres-aucun")
    page.get_by_role("link", name="Ajouter un membre").click()
    _titre(page, "Ajouter un membre")
    champ(page, "Prénom").fill("Hélène")
    champ(page, "Nom").fill("Perrin")
    champ(page, "Institution représentée").fill("Métropole de Lyon")
    champ(page, "Collège").select_option(label="Élu·es")
    parcours.etape("membre-nouveau")
    page.get_by_role("button", name="Ajouter le membre").click()
    _succes(page, "Hélène Perrin est membre de l'instance, au rang 1")
    expect(page.locator("table tbody")).to_contain_text("Métropole de Lyon")
    parcours.etape("membres")

    page.get_by_role("link", name="Ordre de rotation de la présidence").click()
    _titre(page, "Ordre de rotation de la présidence")
    parcours.etape("ordre-rotation")
    page.get_by_role("button", name="Enregistrer l'ordre").click()
    _succes(page, "L'ordre de rotation de la présidence est enregistré.")
    page.get_by_role("link", name="Retour à l'instance").click()
    _titre(page, instance.nom)
    page.get_by_role("link", name="Paramètres de l'instance").click()
    _titre(page, f"Paramètres de {instance}")
    expect(champ(page, "Adresse électronique de contact")).to_have_value("instance@rhone.exemple.fr")
    parcours.etape("parametres")
    page.get_by_role("link", name="Annuler").click()

    page.get_by_role("link", name="Registre des accompagnateur·rices").click()
    _titre(page, "Registre des accompagnateur·rices")
    parcours.etape("registre")
    page.get_by_role("link", name="Ajouter au registre").click()
    champ(page, "Prénom").fill("Yanis")
    champ(page, "Nom").fill("Morel")
    champ(page, "Structure").fill("Centre social de Vaulx")
    parcours.etape("registre-ajout")
    page.get_by_role("button", name="Ajouter au registre").click()
    _succes(page, "Yanis Morel est inscrit·e au registre")
    expect(page.locator("table tbody")).to_contain_text("Centre social de Vaulx")
    parcours.etape("registre-apres-ajout")

    page.get_by_role("link", name="Retour à l'instance").click()
    page.get_by_role("link", name="Équipe et invitations").click()
    _titre(page, "Équipe et invitations")
    expect(page.locator("main")).to_contain_text(f"marc.giraud{DEMO}")
    parcours.etape("equipe")
    mail.outbox.clear()
    champ(page, "Adresse électronique de la personne invitée").fill(EMAIL_COLLEGUE)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    _succes(page, f"Invitation envoyée à {EMAIL_COLLEGUE}.")
    expect(page.locator("main")).to_contain_text("En attente jusqu'au")
    parcours.etape("equipe-invitation-envoyee")


def _accepter_l_invitation(parcours: Parcours) -> None:
    """The invited colleague, with no account: the link of the e-mail, the account created, logged in."""
    (courriel,) = mail.outbox
    assert courriel.to == [EMAIL_COLLEGUE]
    chemin = re.search(r"/invitations/personnel/[^/\s]+/", str(courriel.body))
    assert chemin is not None, courriel.body
    page = parcours.page
    page.goto(chemin.group(0))
    _titre(page, "Invitation : instructeur")
    expect(champ(page, "Adresse électronique")).to_have_value(EMAIL_COLLEGUE)
    expect(champ(page, "Adresse électronique")).to_be_disabled()
    champ(page, "Prénom").fill("Camille")
    champ(page, "Nom").fill("Rey")
    champ(page, "Mot de passe").fill(MOT_DE_PASSE_COLLEGUE)
    champ(page, "Confirmation du mot de passe").fill(MOT_DE_PASSE_COLLEGUE)
    parcours.etape("invitation")
    page.get_by_role("button", name="Créer mon compte et accepter").click()
    expect(page).to_have_url(re.compile(r"/compte/tableau-de-bord/$"))
    _titre(page, "Bonjour")
    _succes(page, "Bienvenue")
    parcours.etape("tableau-de-bord")
    collegue = User.objects.get(email=EMAIL_COLLEGUE)
    assert list(collegue.instructeur.departements.values_list("code", flat=True)) == ["69"]


def _listes_de_l_instructrice(parcours: Parcours, dossier: Path) -> None:
    """The Loire's instructrice: declarations filtered, sorted and exported; her other lists."""
    page = parcours.page
    _se_connecter_demo(page, "claire.dumas")
    page.goto("/instruction/")
    _titre(page, "Déclarations")
    parcours.etape("declarations")
    champ(page, "Avancement").select_option(label="Toutes")
    _filtrer(page)
    expect(page).to_have_url(re.compile(r"[?&]avancement=(&|$)"))
    expect(champ(page, "Avancement")).to_have_value("")
    parcours.etape("declarations-filtrees")
    page.locator("thead th a", has_text="Collectif").click()
    expect(page).to_have_url(re.compile(r"tri=collectif"))
    expect(page.locator("thead th[aria-sort='ascending']")).to_contain_text("Collectif")
    parcours.etape("declarations-triees")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter (CSV)").click()
    fichier = dossier / "declarations.csv"
    telechargement.value.save_as(fichier)
    assert telechargement.value.suggested_filename.endswith(".csv")
    lignes = fichier.read_text(encoding="utf-8-sig").splitlines()
    assert lignes[0] == ENTETES_DECLARATIONS
    assert len(lignes) > 1

    for chemin, titre, nom in [
        ("/collectifs/", "Collectifs", "collectifs"),
        ("/fonds/conventions/", "Conventions de financement", "conventions"),
        ("/fonds/versements/", "Versements", "versements"),
        ("/taches/", "Mes tâches d'instruction", "taches"),
    ]:
        page.goto(chemin)
        _titre(page, titre)
        expect(page.locator("#nombre-resultats")).to_be_visible()
        parcours.etape(nom)
    champ(page, "Prise en charge").select_option(label="Toutes les tâches")
    _filtrer(page)
    expect(page).to_have_url(re.compile(r"[?&]prise_en_charge=(&|$)"))
    expect(champ(page, "Prise en charge")).to_have_value("")
    parcours.etape("taches-filtrees")


def _pilotage_national(parcours: Parcours) -> None:
    """The national team: the instances (the Rhône's new one among them) and the national sheets, searched."""
    page = parcours.page
    _se_connecter_demo(page, "equipe.nationale")
    page.goto("/campagnes/instances/")
    _titre(page, "Instances départementales")
    expect(page.locator("main")).to_contain_text("Rhône")
    parcours.etape("instances")
    page.goto("/fiches/nationales/")
    _titre(page, "Fiches pratiques publiées")
    parcours.etape("fiches-nationales")
    page.get_by_role("textbox", name=re.compile("^Rechercher")).fill("cuisine")
    _filtrer(page)
    expect(page).to_have_url(re.compile(r"[?&]q=cuisine"))
    expect(page.get_by_role("link", name="Une cuisine partagée au pied des immeubles")).to_be_visible()
    expect(page.locator("#nombre-resultats")).to_have_text("1 résultat")
    parcours.etape("fiches-nationales-recherche")


def test_administrer_un_departement_et_parcourir_les_listes(visiteur, tmp_path):
    with mock.patch("documents.services.rendre_pdf", return_value=PDF_MINIMAL):
        call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    _constituer_l_instance(visiteur("marc"))
    _accepter_l_invitation(visiteur("collegue"))
    _listes_de_l_instructrice(visiteur("claire"), tmp_path)
    _pilotage_national(visiteur("nationale"))
