"""Issue 9's journey, in a real browser: the funded years of a collectif, from its first yearly check-in to the
payment of tranche 2, and the employer's answer to a secondment.

The world before the journey is built with factories and services: a Loire collectif agreed in a 2027 campaign,
its convention signed today and tranche 1 paid (`tests.fonds.parcours_bilans.collectif_finance`: the year-1
check-in is then « attendu »), a professional member employed by the collectif's originating institution, a
secondment requested by the référent through `mise_a_disposition_demander`, and the employer's login accepted
through `acces_employeur_accepter`.

In the browser: the référent fills in and files the year-1 check-in; the instructeur returns it « à compléter »
with a message; the référent completes it and files it again; the instructeur validates it, which makes tranche 2
payable, and records its payment on the convention page; the employer logs in and acknowledges the secondment.
Each step is screenshotted and checked with axe (see conftest.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collectifs.enums import College
from fonds.enums import EtatBilan, EtatMiseADisposition, EtatTranche
from fonds.models import AccesEmployeur
from fonds.services import DonneesMiseADisposition, mise_a_disposition_demander
from fonds.services.mises_a_disposition import acces_employeur_accepter
from tests.browser.outils import champ, se_connecter
from tests.comptes.factories import UserFactory
from tests.fonds.parcours_bilans import collectif_finance
from tests.vues import membre

pytestmark = [pytest.mark.browser]

NOM_COLLECTIF = "Collectif des Jardins du Soleil"
EMAIL_EMPLOYEUR = "rh@centre-social.exemple.fr"
RECIT = "Nous avons ouvert la cuisine partagée et tenu onze repas avec les habitant·es du quartier."
MESSAGE_RETOUR = "Précisez ce que vous observez pour l'indicateur « Repas partagés »."
REFERENCE_VIREMENT = "VIR-2028-0007"


def test_bilan_annuel_retour_validation_tranche_2_et_prise_d_acte_de_l_employeur(visiteur):
    # --- The world before the journey ------------------------------------------------------------------------
    finance = collectif_finance(nom=NOM_COLLECTIF)
    convention, monde = finance.convention, finance.monde
    bilan = finance.bilan(1)
    assert bilan.etat == EtatBilan.ATTENDU
    assert convention.tranches.get(rang=1).etat == EtatTranche.VERSEE
    assert convention.tranches.get(rang=2).etat == EtatTranche.PREVUE
    tranche_2 = convention.tranches.get(rang=2)

    institution = finance.collectif.institutions_origine.get()
    institution.nom = "Centre social de Montreynaud"
    institution.save()
    karim = membre(
        finance.collectif, College.PROFESSIONNEL, "Karim", "Benali", organisation=institution, fonction="Animateur"
    )
    debut = max(convention.date_debut, timezone.localdate() + datetime.timedelta(days=30))
    mise = mise_a_disposition_demander(
        acteur=finance.referent,
        collectif=finance.collectif,
        donnees=DonneesMiseADisposition(
            membre=karim,
            quotite=Decimal("10"),
            date_debut=debut,
            date_fin=debut + datetime.timedelta(days=180),
            plan_continuite="Pendant les mardis de Karim Benali, Sophie Delorme assure l'accueil du centre social.",
            email_employeur=EMAIL_EMPLOYEUR,
        ),
    )
    compte_employeur = UserFactory(email=EMAIL_EMPLOYEUR, prenom="Rachida", nom="Haddad")
    acces_employeur_accepter(acteur=compte_employeur, acces=AccesEmployeur.objects.get(email=EMAIL_EMPLOYEUR))

    # === 1. The référent fills in and files the year-1 check-in ===============================================
    ref = visiteur("referent")
    page_r = ref.page
    se_connecter(page_r, finance.referent.email)
    page_r.goto(f"/fonds/conventions/{convention.pk}/bilans/")
    expect(page_r.get_by_role("heading", level=1)).to_have_text(
        f"Bilans annuels de la convention {convention.reference}"
    )
    ref.etape("bilans")
    page_r.get_by_role("link", name="Ouvrir le bilan de l'année 1").click()
    expect(page_r.get_by_role("heading", level=1)).to_contain_text("Bilan de l'année 1")
    ref.etape("bilan-a-remplir")

    # Filing it empty: the missing parts are named next to their fields, nothing is filed.
    page_r.get_by_role("button", name="Déposer le bilan").click()
    expect(page_r.get_by_role("heading", level=1)).to_contain_text("Bilan de l'année 1")
    expect(page_r).to_have_title(re.compile("^Erreur"))
    expect(page_r.get_by_text("Racontez en quelques lignes ce que le collectif a fait cette année.")).not_to_have_count(
        0
    )
    ref.etape("bilan-incomplet")
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.ATTENDU

    champ(page_r, "Ce que le collectif a fait cette année").fill(RECIT)
    champ(page_r, "Niveau de participation atteint").select_option(label="Co-construction")
    champ(page_r, "Indicateur « Confiance entre habitant·es et institutions » : ce que vous observez").fill(
        "Les habitant·es prennent la parole en réunion avec la mairie."
    )
    champ(page_r, "Indicateur « Repas partagés » : valeur chiffrée").fill("11")
    champ(page_r, "Nombre de rencontres tenues").fill("14")
    ref.etape("bilan-rempli")
    page_r.get_by_role("button", name="Déposer le bilan").click()
    expect(page_r.get_by_role("status")).to_contain_text("Bilan déposé : l'instruction l'examine.")
    ref.etape("bilan-depose")
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.DEPOSE

    # === 2. The instructeur returns it « à compléter » with a message =========================================
    inst = visiteur("instructeur")
    page_i = inst.page
    se_connecter(page_i, monde.instructeur.email)
    page_i.goto(f"/fonds/conventions/{convention.pk}/")
    expect(page_i.get_by_role("heading", level=1)).to_have_text(f"Convention {convention.reference}")
    inst.etape("convention")
    page_i.get_by_role("link", name="Examiner les bilans annuels").click()
    expect(page_i.get_by_role("heading", level=1)).to_contain_text("Bilans annuels")
    inst.etape("bilans")
    page_i.get_by_role("link", name="Ouvrir le bilan de l'année 1").click()
    expect(page_i.get_by_text(RECIT)).to_be_visible()
    inst.etape("bilan-a-examiner")
    page_i.get_by_role("button", name="Renvoyer à compléter").click()
    expect(page_i).to_have_title(re.compile("^Erreur"))  # the message is required
    inst.etape("retour-sans-message")
    champ(page_i, "Ce qu'il faut compléter").fill(MESSAGE_RETOUR)
    page_i.get_by_role("button", name="Renvoyer à compléter").click()
    expect(page_i.get_by_role("status")).to_contain_text("Bilan renvoyé au collectif, à compléter.")
    inst.etape("bilan-renvoye")
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.A_COMPLETER

    # === 3. The référent reads the message, completes the check-in and files it again ========================
    page_r.reload()
    expect(page_r.get_by_text(MESSAGE_RETOUR)).to_be_visible()
    expect(champ(page_r, "Ce que le collectif a fait cette année")).to_have_value(RECIT)
    ref.etape("bilan-a-completer")
    champ(page_r, "Indicateur « Repas partagés » : ce que vous observez").fill(
        "Un repas par mois, préparé à tour de rôle par les habitant·es."
    )
    page_r.get_by_role("button", name="Déposer le bilan").click()
    expect(page_r.get_by_role("status")).to_contain_text("Bilan déposé : l'instruction l'examine.")
    ref.etape("bilan-redepose")
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.DEPOSE

    # === 4. The instructeur validates it: tranche 2 becomes payable, and its payment is recorded =============
    page_i.reload()
    expect(page_i.get_by_text("préparé à tour de rôle")).to_be_visible()
    inst.etape("bilan-redepose")
    page_i.get_by_role("button", name="Valider le bilan de l'année 1").click()
    expect(page_i.get_by_role("status")).to_contain_text("Bilan de l'année 1 validé.")
    inst.etape("bilan-valide")
    bilan.refresh_from_db()
    assert bilan.etat == EtatBilan.VALIDE
    tranche_2.refresh_from_db()
    assert tranche_2.etat == EtatTranche.EXIGIBLE

    page_i.goto(f"/fonds/conventions/{convention.pk}/")
    tranches = page_i.get_by_role("table", name=re.compile("^Tranches de la convention"))
    expect(tranches.get_by_role("row", name=re.compile("^Tranche 2"))).to_contain_text("Exigible")
    versement = page_i.locator("form", has=page_i.get_by_role("button", name=re.compile("^Enregistrer le versement")))
    expect(champ(versement, "Montant versé (€)")).to_have_value(f"{tranche_2.montant:.2f}")
    champ(versement, "Référence bancaire").fill(REFERENCE_VIREMENT)
    inst.etape("versement-tranche-2")
    versement.get_by_role("button", name=re.compile("^Enregistrer le versement")).click()
    expect(page_i.get_by_role("status")).to_contain_text("Versement de la tranche 2 enregistré.")
    ligne_tranche_2 = tranches.get_by_role("row", name=re.compile("^Tranche 2"))
    expect(ligne_tranche_2).to_contain_text("Versée")
    expect(ligne_tranche_2).to_contain_text(REFERENCE_VIREMENT)
    inst.etape("tranche-2-versee")
    tranche_2.refresh_from_db()
    assert tranche_2.etat == EtatTranche.VERSEE

    # === 5. The employer logs in and acknowledges the secondment ==============================================
    emp = visiteur("employeur")
    page_e = emp.page
    se_connecter(page_e, EMAIL_EMPLOYEUR)
    emp.etape("tableau-de-bord")
    page_e.get_by_role("link", name=f"Karim Benali — {NOM_COLLECTIF}").click()
    expect(page_e.get_by_role("heading", level=1)).to_have_text("Mise à disposition de Karim Benali")
    emp.etape("mise-a-disposition")
    page_e.get_by_role("button", name="Prendre acte de la mise à disposition et du plan de continuité").click()
    expect(page_e.get_by_role("status")).to_contain_text("Prise d'acte enregistrée")
    expect(page_e.get_by_role("button", name=re.compile("^Prendre acte"))).to_have_count(0)
    emp.etape("prise-d-acte")
    mise.refresh_from_db()
    assert mise.etat == EtatMiseADisposition.PRISE_ACTE
