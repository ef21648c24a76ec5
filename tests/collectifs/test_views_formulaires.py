"""Form behaviour of the declaration journey (SPEC §9): a clear French error next to the field, linked to it
(aria-describedby), nothing typed is lost, each step saves the draft, and a failed filing never loses it."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from collectifs.composition import message_manque
from collectifs.enums import College, EtatDeclaration
from collectifs.models import Collectif, Declaration, Membre
from documents.models import Document
from journal.models import TransitionLog
from tests.vues import (
    TEXTE_ADDITIONNALITE,
    TEXTE_DYNAMIQUE,
    Page,
    brouillon,
    brouillon_pret,
    composer_fixe,
)

MEMBRE_VALIDE = {
    "college": "HABITANT",
    "prenom": "Lucie",
    "nom": "Ferrand",
    "fonction": "Habitante de la Cotonne",
    "organisation_nom": "Amicale des locataires de la Cotonne",
    "organisation_siret": "",
    "organisation_rna": "W423001234",
    "email": "lucie.ferrand@exemple.fr",
    "telephone": "06 12 34 56 78",
    "date_debut": "2025-09-01",
    "consentement": "on",
}


@pytest.fixture
def brouillon_a(distribution) -> Declaration:
    composer_fixe(distribution.collectif_a)  # includes Odile Marchand, élue
    return brouillon(distribution.collectif_a)


def _sans(donnees: dict[str, str], cle: str) -> dict[str, str]:
    return {k: v for k, v in donnees.items() if k != cle}


@pytest.mark.parametrize(
    ("donnees", "champ", "message"),
    [
        pytest.param(
            _sans(MEMBRE_VALIDE, "consentement"),
            "consentement",
            "Confirmez que la personne a donné son accord pour figurer dans la déclaration du collectif.",
            id="consentement-manquant",
        ),
        pytest.param(
            {**MEMBRE_VALIDE, "organisation_siret": "12345678901234"},
            "organisation_siret",
            "Ce numéro SIRET n'est pas valide : il doit comporter 14 chiffres et sa clé doit être correcte.",
            id="siret-invalide",
        ),
        pytest.param(
            # The same person, typed with another case: refused (R1: a person counts once).
            {**MEMBRE_VALIDE, "prenom": "odile", "nom": "MARCHAND", "college": "PROFESSIONNEL"},
            "nom",
            "Odile Marchand fait déjà partie du collectif (collège « Élu·e ou responsable d'institution ») : "
            "une personne ne compte qu'une fois.",
            id="personne-en-double",
        ),
    ],
)
def test_membre_invalide_erreur_a_cote_du_champ_et_rien_de_perdu(donnees, champ, message, brouillon_a, client):
    client.force_login(brouillon_a.collectif.referents.first())
    avant = Membre.objects.count()

    reponse = client.post(reverse("collectifs:etape_membres", args=[brouillon_a.pk]), donnees)

    assert reponse.status_code == 200
    page = Page(reponse)
    # The error sits in the field's DSFR group, and the field points to it.
    assert message in page.erreur_du_champ(champ)
    # It is also listed on top, with a link to the field.
    resume = page.un("#resume-erreurs")
    assert message in Page.texte(resume)
    assert page.tous(f'#resume-erreurs a[href="#id_{champ}"]')
    # Only that field is in error.
    assert len(page.tous('[aria-invalid="true"]')) == 1
    # Everything typed comes back.
    for nom, valeur in donnees.items():
        attendu = True if nom == "consentement" else valeur
        assert page.valeur(nom) == attendu, nom
    if "consentement" not in donnees:
        assert page.valeur("consentement") is False
    assert Membre.objects.count() == avant


def test_membre_valide_est_ajoute_et_la_composition_se_met_a_jour(brouillon_a, client):
    client.force_login(brouillon_a.collectif.referents.first())
    url = reverse("collectifs:etape_membres", args=[brouillon_a.pk])
    reponse = client.post(url, MEMBRE_VALIDE, follow=True)
    assert reponse.redirect_chain == [(url + "#composition", 302)]
    membre = Membre.objects.get(collectif=brouillon_a.collectif, nom="Ferrand")
    assert (membre.college, membre.consentement, membre.organisation.nom) == (
        College.HABITANT,
        True,
        "Amicale des locataires de la Cotonne",
    )
    page = reponse.content.decode()
    assert "Lucie Ferrand est ajouté·e au collège « Représentant·e d&#x27;habitants ou d&#x27;usagers »." in page
    assert "La composition est complète" in page


def test_composition_incomplete_expliquee_sur_la_page_des_membres(distribution, client):
    declaration = brouillon(distribution.collectif_a)
    composer_fixe(distribution.collectif_a, [(College.PROFESSIONNEL, "Karim", "Benali")])
    client.force_login(distribution.referent_a)
    page = client.get(reverse("collectifs:etape_membres", args=[declaration.pk])).content.decode()
    for college, nombre in [(College.ELU_RESPONSABLE, 1), (College.PROFESSIONNEL, 1), (College.HABITANT, 2)]:
        assert message_manque(college, nombre).replace("'", "&#x27;") + "." in page


# --- Steps save the draft -------------------------------------------------------------------------------------

PROJET = {
    "dynamique_preexistante": TEXTE_DYNAMIQUE,
    "projet": "Ouvrir une cuisine partagée\nau pied des immeubles.",
    "additionnalite": "",
}


@pytest.mark.parametrize(
    ("bouton", "etape_suivante"),
    [("continuer", "etape_indicateurs"), ("enregistrer", "etape_projet")],
)
def test_etape_projet_enregistre_le_brouillon(bouton, etape_suivante, brouillon_a, client):
    """Saved even incomplete; « Enregistrer et continuer » goes to the next step, the other button stays."""
    client.force_login(brouillon_a.collectif.referents.first())
    url = reverse("collectifs:etape_projet", args=[brouillon_a.pk])

    reponse = client.post(url, {**PROJET, bouton: "1"})

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse(f"collectifs:{etape_suivante}", args=[brouillon_a.pk])
    enregistree = Declaration.objects.get(pk=brouillon_a.pk)
    assert enregistree.etat == EtatDeclaration.BROUILLON
    assert enregistree.dynamique_preexistante == TEXTE_DYNAMIQUE
    assert enregistree.projet == "Ouvrir une cuisine partagée\nau pied des immeubles."
    assert enregistree.additionnalite == ""
    # Coming back shows what was saved.
    page = Page(client.get(url))
    assert page.valeur("dynamique_preexistante") == TEXTE_DYNAMIQUE
    assert "Ouvrir une cuisine partagée" in page.valeur("projet")


def test_boutons_de_l_etape_projet(brouillon_a, client):
    client.force_login(brouillon_a.collectif.referents.first())
    page = Page(client.get(reverse("collectifs:etape_projet", args=[brouillon_a.pk])))
    assert Page.texte(page.un('button[name="continuer"]')) == "Enregistrer et continuer"
    assert Page.texte(page.un('button[name="enregistrer"]')) == "Enregistrer le brouillon"


def test_charte_non_cochee_erreur_et_brouillon_intact(brouillon_a, client):
    client.force_login(brouillon_a.collectif.referents.first())
    reponse = client.post(reverse("collectifs:etape_charte", args=[brouillon_a.pk]), {"continuer": "1"})
    assert reponse.status_code == 200
    assert "Cochez la case pour accepter la charte." in Page(reponse).erreur_du_champ("accepte")
    assert Declaration.objects.get(pk=brouillon_a.pk).adhesion_charte is None


def test_nouveau_collectif_code_commune_invalide(distribution, client):
    client.force_login(distribution.referent_b)
    donnees = {
        "nom": "Collectif des Crêts",
        "departement": "42",
        "territoire": "Quartier des Crêts, Firminy",
        "codes_communes": "42095 4209",
        "institutions-TOTAL_FORMS": "1",
        "institutions-INITIAL_FORMS": "0",
        "institutions-MIN_NUM_FORMS": "0",
        "institutions-MAX_NUM_FORMS": "10",
        "institutions-0-nom": "Centre social de Firminy",
        "institutions-0-siret": "",
        "institutions-0-rna": "",
    }
    reponse = client.post(reverse("collectifs:collectif_nouveau"), donnees)
    assert reponse.status_code == 200
    page = Page(reponse)
    assert "Code(s) INSEE non valide(s) : 4209." in page.erreur_du_champ("codes_communes")
    for nom, valeur in donnees.items():
        if not nom.startswith("institutions-") or nom.startswith("institutions-0-"):
            assert page.valeur(nom) == valeur, nom
    assert not Collectif.objects.filter(nom="Collectif des Crêts").exists()


# --- Filing from the summary ------------------------------------------------------------------------------------


def test_depot_composition_incomplete_422_et_brouillon_conserve(distribution, client):
    collectif = distribution.collectif_a
    composer_fixe(
        collectif,
        [
            (College.ELU_RESPONSABLE, "Odile", "Marchand"),
            (College.PROFESSIONNEL, "Karim", "Benali"),
            (College.HABITANT, "Josette", "Granger"),
        ],
    )
    declaration = brouillon(collectif, textes=True, charte=True)
    client.force_login(distribution.referent_a)

    # The summary already says what is missing…
    recapitulatif = client.get(reverse("collectifs:etape_recapitulatif", args=[declaration.pk]))
    assert "Il manque 1 professionnel" in recapitulatif.content.decode()

    # …and filing anyway is refused with the same explanation.
    reponse = client.post(reverse("collectifs:deposer", args=[declaration.pk]))

    assert reponse.status_code == 422
    page = Page(reponse)
    bloc = Page.texte(page.un("#conditions-depot"))
    assert "La déclaration n'a pas pu être déposée" in bloc
    assert "Votre brouillon est conservé." in bloc
    assert "Il manque 1 professionnel" in bloc
    assert "Il manque 1 représentant" in bloc
    # Each blocker links to the step and to the section that fixes it.
    membres = reverse("collectifs:etape_membres", args=[declaration.pk]) + "#composition"
    assert page.tous(f'#conditions-depot a[href="{membres}"]')
    apres = Declaration.objects.get(pk=declaration.pk)
    assert apres.etat == EtatDeclaration.BROUILLON
    assert (apres.dynamique_preexistante, apres.additionnalite) == (TEXTE_DYNAMIQUE, TEXTE_ADDITIONNALITE)
    assert apres.adhesion_charte_id == declaration.adhesion_charte_id
    assert apres.deposee_le is None
    assert not Document.objects.exists()
    assert not TransitionLog.objects.exists()


@pytest.mark.pdf
def test_depot_pret_redirige_vers_la_declaration_et_recepisse_pdf(
    distribution, client, django_capture_on_commit_callbacks
):
    declaration = brouillon_pret(distribution.collectif_a)
    client.force_login(distribution.referent_a)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("collectifs:deposer", args=[declaration.pk]))

    detail = reverse("instances:declaration_detail", args=[declaration.pk])
    assert reponse.status_code == 302
    assert reponse["Location"] == detail
    document = Document.objects.get()
    assert document.numero == "REC-42-2027-00001"
    assert Declaration.objects.get(pk=declaration.pk).etat == EtatDeclaration.DEPOSEE

    page = client.get(detail).content.decode()
    assert f"Votre déclaration est déposée. Votre récépissé porte le numéro {document.numero}." in page
    assert f"Télécharger le récépissé {document.numero}" in page

    recepisse = client.get(reverse("collectifs:recepisse", args=[declaration.pk]))
    assert recepisse.status_code == 200
    assert recepisse["Content-Type"] == "application/pdf"
    assert recepisse["Content-Disposition"].startswith("attachment;")
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(recepisse.content)).pages)
    assert document.numero in texte
    assert distribution.collectif_a.nom in " ".join(texte.split())

    # The département's instructeurs are told, and only them.
    assert [m.to for m in mail.outbox] == [[distribution.instructeur_42.email]]
