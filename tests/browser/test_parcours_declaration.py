"""Issue 2's journey, as a new référent does it in a real browser: from the home page to the récépissé.

One error path on the way: filing while the composition is incomplete. Each step is screenshotted
and checked with axe (see conftest.py). The instructeur 42 then gets the e-mail and sees the
declaration in their list; another collectif's référent gets a 404 page on it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from documents.enums import TypeDocument
from documents.models import Document
from tests.browser.outils import champ, cocher, se_connecter
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.instances.factories import CampagneFactory

pytestmark = [pytest.mark.browser, pytest.mark.pdf]

NOM_COLLECTIF = "Collectif Vivre ensemble à Montreynaud"
EMAIL_REFERENTE = "Claire.Besson@Exemple.fr"
EMAIL_INSTRUCTRICE = "instructrice.42@loire.fr"
EMAIL_AUTRE_REFERENT = "referent.firminy@exemple.fr"
TEXTES = {
    "La dynamique collaborative qui existe déjà": (
        "Depuis 2021, le centre social, la mairie annexe et l'amicale des locataires se retrouvent "
        "chaque mois autour du jardin partagé."
    ),
    "Le projet du collectif": "Ouvrir une cuisine partagée au pied des immeubles, gérée par les habitant·es.",
    "Ce qui n'existerait pas sans le collectif": (
        "Aucune des trois structures ne porterait seule la cuisine : il faut le local de la mairie, "
        "l'animation du centre social et les bénévoles de l'amicale."
    ),
}
INDICATEURS = [
    ("Nombre d'habitant·es qui cuisinent ensemble chaque mois", "Quantitatif"),
    ("Ce que les habitant·es disent de leur quartier", "Qualitatif"),
]
# The three colleges as the radio buttons of the members form label them.
ELU, PRO, HAB = (
    "Élu·e ou responsable d'institution",
    "Professionnel·le",
    "Représentant·e d'habitants ou d'usagers",
)


def composition(page: Page):
    return page.locator("#composition")


def ajouter_membre(page: Page, college: str, prenom: str, nom: str, organisation: str = "") -> None:
    formulaire = page.locator("section", has=page.get_by_role("heading", name="Ajouter un membre"))
    cocher(formulaire.get_by_role("radio", name=college, exact=True))
    champ(formulaire, "Prénom").fill(prenom)
    champ(formulaire, "Nom").fill(nom)
    if organisation:
        champ(formulaire, "Organisation").fill(organisation)
    cocher(formulaire.get_by_label("La personne a donné son accord"))
    formulaire.get_by_role("button", name="Ajouter ce membre").click()
    expect(page.get_by_role("status")).to_contain_text(f"{prenom} {nom} est ajouté·e")
    expect(page.get_by_role("table", name="Membres du collectif")).to_contain_text(f"{prenom} {nom}")


def manques(page: Page) -> list[str]:
    """The composition messages shown on the page, in reading order."""
    return [t.strip() for t in composition(page).locator(".fr-alert li").all_inner_texts()]


def test_une_referente_declare_son_collectif_et_recoit_son_recepisse(visiteur, tmp_path):
    CampagneFactory(ouverte=True)
    InstructeurFactory(user__email=EMAIL_INSTRUCTRICE, user__prenom="Inès", departements=["42"])
    CollectifFactory(referent=UserFactory(email=EMAIL_AUTRE_REFERENT, prenom="Marc"), nom="Collectif de Firminy")

    referente = visiteur("referente")
    page = referente.page

    # 1. The home page: what the scheme is, and the Loire's open campaign.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Collectifs locaux de développement social")
    expect(page.get_by_role("table", name="Campagnes ouvertes par département")).to_contain_text("Loire (42)")
    referente.etape("accueil")

    # 2. Create an account from the header.
    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    referente.etape("inscription")
    champ(page, "Adresse électronique").fill(EMAIL_REFERENTE)
    champ(page, "Prénom").fill("Claire")
    champ(page, "Nom").fill("Besson")
    champ(page, "Mot de passe").fill("jardin-partage-2027")
    champ(page, "Confirmation du mot de passe").fill("jardin-partage-2027")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    expect(page.get_by_role("status")).to_contain_text("Votre compte est créé.")
    expect(page.get_by_role("link", name="claire.besson@exemple.fr")).to_be_visible()  # the e-mail, normalised
    referente.etape("tableau-de-bord")

    # 3. Create the collectif in the Loire, with one originating institution.
    page.get_by_role("link", name="Déclarer un nouveau collectif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclarer un collectif")
    champ(page, "Nom du collectif").fill(NOM_COLLECTIF)
    champ(page, "Département").select_option(label="Loire (42)")
    champ(page, "Territoire d'action").fill("Quartier de Montreynaud, Saint-Étienne")
    champ(page, "Codes INSEE des communes").fill("42218")
    institution_1 = page.get_by_role("group", name="Institutions d'origine").get_by_role(
        "group", name="Institution 1", exact=True
    )
    champ(institution_1, "Nom de l'institution").fill("Centre social de Montreynaud")
    referente.etape("nouveau-collectif")
    page.get_by_role("button", name="Créer le collectif et continuer").click()

    # 4. The members page: the composition message, in plain French, updates after each addition.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les membres")
    expect(page.get_by_role("status")).to_contain_text(f"Le collectif « {NOM_COLLECTIF} » est créé.")
    assert manques(page) == [
        "Il manque 1 élu·e ou responsable d'institution.",
        "Il manque 2 professionnel·les.",
        "Il manque 2 représentant·es d'habitants ou d'usagers.",
    ]
    referente.etape("membres-vide")

    # A member added with nothing filled in: errors listed on top, and next to their fields.
    page.get_by_role("button", name="Ajouter ce membre").click()
    expect(page.locator("#resume-erreurs")).to_contain_text("Le formulaire contient 3 erreurs")
    expect(champ(page, "Prénom")).to_have_attribute("aria-invalid", "true")
    expect(champ(page, "Prénom")).to_have_attribute("aria-describedby", re.compile("id_prenom-desc-error"))
    expect(page.locator("#id_prenom-desc-error")).to_have_text("Ce champ est obligatoire.")
    expect(page.locator("#radio-id_college")).to_contain_text("Ce champ est obligatoire.")
    referente.etape("membre-erreurs")
    declaration = Declaration.objects.get(collectif__nom=NOM_COLLECTIF)

    ajouter_membre(page, PRO, "Sami", "Haddad", organisation="Centre social de Montreynaud")
    assert manques(page) == [
        "Il manque 1 élu·e ou responsable d'institution.",
        "Il manque 1 professionnel·le.",
        "Il manque 2 représentant·es d'habitants ou d'usagers.",
    ]
    ajouter_membre(page, PRO, "Léa", "Fontaine", organisation="Service social départemental")
    assert manques(page) == [
        "Il manque 1 élu·e ou responsable d'institution.",
        "Il manque 2 représentant·es d'habitants ou d'usagers.",
    ]
    ajouter_membre(page, ELU, "Hélène", "Moulin", organisation="Mairie de Saint-Étienne")
    assert manques(page) == ["Il manque 2 représentant·es d'habitants ou d'usagers."]
    ajouter_membre(page, HAB, "Yasmina", "Benali", organisation="Amicale des locataires")
    assert manques(page) == ["Il manque 1 représentant·e d'habitants ou d'usagers."]
    expect(composition(page).get_by_role("row", name=HAB)).to_contain_text("Il en manque 1")
    referente.etape("membres-incomplet")

    # 5. With an incomplete composition, « Déposer » is disabled and says why, each blocker linked to its fix;
    # nothing is filed. (A forged POST is refused server-side: tests/collectifs/test_recapitulatif_etat.py.)
    page.get_by_role("link", name="Récapitulatif et dépôt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Récapitulatif et dépôt")
    expect(page.get_by_role("button", name="Déposer")).to_be_disabled()
    alerte = page.locator("#conditions-depot")
    expect(alerte).to_contain_text("Il manque 1 représentant·e d'habitants ou d'usagers.")
    referente.etape("depot-impossible")
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.BROUILLON
    assert not Document.objects.exists()

    # ... then complete the members from the « Corriger » link of that blocker.
    alerte.get_by_role("listitem").filter(has_text="Il manque 1 représentant·e").get_by_role(
        "link", name="Corriger"
    ).click()
    expect(page.get_by_role("table", name="Membres du collectif")).to_contain_text("Yasmina Benali")
    ajouter_membre(page, HAB, "Gérard", "Chambon")
    expect(composition(page).locator(".fr-alert")).to_have_text(
        "La composition est complète : chaque collège atteint son minimum."
    )
    assert manques(page) == []
    referente.etape("membres-complet")

    # 6. The project: the pre-existing dynamic, the project, the additionality.
    page.get_by_role("link", name="Continuer vers le projet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le projet")
    for libelle, texte in TEXTES.items():
        champ(page, libelle).fill(texte)
    referente.etape("projet")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 7. Two indicators of the collectif's own.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Les indicateurs")
    for rang, (libelle, nature) in enumerate(INDICATEURS, start=1):
        groupe = page.get_by_role("group", name=f"Indicateur {rang}", exact=True)
        champ(groupe, "Intitulé de l'indicateur").fill(libelle)
        champ(groupe, "Nature").select_option(label=nature)
    referente.etape("indicateurs")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 8. The charter.
    expect(page.get_by_role("heading", level=1)).to_contain_text("La charte")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Charte"))).to_contain_text("version 1")
    cocher(page.get_by_label("J'ai lu la charte et je l'accepte au nom du collectif"))
    referente.etape("charte")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # 9. The summary: everything is ready, and everything written is there.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Récapitulatif et dépôt")
    expect(page.get_by_text("Tout est prêt : vous pouvez déposer la déclaration.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    contenu = page.locator("#contenu")
    for attendu in (
        NOM_COLLECTIF,
        "Loire (42)",
        "Centre social de Montreynaud",
        "Gérard Chambon",
        "Hélène Moulin",
        *TEXTES.values(),
        *(libelle for libelle, _ in INDICATEURS),
        "Version 1 acceptée le",
    ):
        expect(contenu).to_contain_text(attendu)
    referente.etape("recapitulatif-pret")

    # 10. File it.
    page.get_by_role("button", name="Déposer").click()

    # 11. The declaration page gives the récépissé number; the PDF downloads at once.
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.DEPOSEE
    recepisse = Document.objects.get(type=TypeDocument.RECEPISSE)
    assert re.fullmatch(r"[A-Z]+-42-2027-\d+", recepisse.numero), recepisse.numero
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Déclaration de {NOM_COLLECTIF}")
    expect(page.get_by_role("status")).to_contain_text(f"Votre récépissé porte le numéro {recepisse.numero}.")
    referente.etape("declaration-deposee")
    lien_recepisse = page.get_by_role("link", name=re.compile(f"Télécharger le récépissé {recepisse.numero}"))
    assert lien_recepisse.evaluate("e => e.scrollWidth <= e.clientWidth"), "le libellé du bouton est tronqué"
    with page.expect_download() as telechargement:
        lien_recepisse.click()
    fichier = tmp_path / "recepisse.pdf"
    telechargement.value.save_as(fichier)
    assert telechargement.value.suggested_filename.endswith(".pdf")
    texte_pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(fichier).pages).split())
    assert recepisse.numero in texte_pdf
    assert NOM_COLLECTIF in texte_pdf

    # 12. The instructeur 42 is notified by e-mail, and sees the declaration in their list.
    assert [m.to for m in mail.outbox] == [[EMAIL_INSTRUCTRICE]]
    assert NOM_COLLECTIF in mail.outbox[0].subject
    assert f"/declarations/{declaration.pk}/" in mail.outbox[0].body

    instructrice = visiteur("instructrice")
    se_connecter(instructrice.page, EMAIL_INSTRUCTRICE)
    instructrice.page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Déclarations", exact=True
    ).click()
    liste = instructrice.page.get_by_role("table", name=re.compile("^Déclarations"))
    expect(liste.get_by_role("row")).to_have_count(2)  # header + the one filed declaration
    expect(liste).to_contain_text(NOM_COLLECTIF)
    instructrice.etape("instruction")
    liste.get_by_role("link", name=NOM_COLLECTIF).click()
    expect(instructrice.page.get_by_role("heading", level=1)).to_have_text(f"Déclaration de {NOM_COLLECTIF}")
    expect(instructrice.page.locator("#contenu")).to_contain_text(TEXTES["Le projet du collectif"])
    instructrice.etape("declaration")

    # ... while the référent of another collectif gets a 404 page.
    autre = visiteur("autre-referent")
    se_connecter(autre.page, EMAIL_AUTRE_REFERENT)
    reponse = autre.page.goto(f"/declarations/{declaration.pk}/")
    assert reponse is not None and reponse.status == 404
    expect(autre.page.get_by_role("heading", level=1)).to_have_text("Page non trouvée")
    expect(autre.page.locator("body")).not_to_contain_text(NOM_COLLECTIF)
    autre.etape("declaration-404")
