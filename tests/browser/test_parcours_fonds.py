"""Issue 8's journey, in a real browser: from the national fund to a funder's share of a payment.

National staff distribute the fund into the Loire's 2027 envelope; the Loire's instructrice opens the 2027
campaign (which reserves its yearly envelope for 2027–2029), raises the first tranche of a declaration in séance
and agrees it (the convention is created with the agreement), records the signature of the convention (tranche 1
becomes payable, the convention PDF is issued) and the payment of tranche 1 (its attestation is issued); the
Département de la Loire, a funder, logs in and sees its share of the convention and of the payment.

Only the world before the journey is built with factories and services: the fund with its funders and their
contributions (`tests.fonds.parcours.loire_financee`, nothing distributed yet), the campaign in preparation, and,
once the campaign is open, the séance in progress with the declaration on its agenda, every member present and
« pour » (`point_pret`); the funder's login is invited and accepted through `fonds.services.financeurs`. The live
server's tests are transactional, so the after-commit jobs (the PDFs) run as in production. Each step is
screenshotted and checked with axe (see conftest.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from campagnes.enums import EtatCampagne
from collectifs.enums import EtatDeclaration
from fonds.enums import EtatTranche
from fonds.models import Convention, Reservation
from fonds.selectors.parts import parts_du_financeur
from fonds.services.financeurs import acces_financeur_accepter, financeur_inviter
from tests.browser.outils import champ, se_connecter
from tests.comptes.factories import UserFactory
from tests.fonds.parcours import loire_financee, point_pret
from tests.instances.factories import CampagneFactory

pytestmark = [pytest.mark.browser, pytest.mark.pdf]

NOM_COLLECTIF = "Collectif des Jardins du Soleil"
EMAIL_FINANCEUR = "referente.fonds@loire.fr"
SIGNATAIRE_COLLECTIF = "Odile Marchand, référente du collectif"
SIGNATAIRE_DEPARTEMENT = "Le président du Conseil départemental de la Loire"
REFERENCE_VIREMENT = "VIR-2027-0042"


def montant_re(montant: Decimal) -> re.Pattern[str]:
    """The amount whatever the thousands separator the locale prints (space, narrow or no-break space)."""
    entier, centimes = f"{montant:.2f}".split(".")
    groupes = f"{int(entier):,}".replace(",", r"[\s\u202f\u00a0]?")
    return re.compile(rf"{groupes},{centimes}\s?€")


def texte_pdf(page: Page, lien: Locator, fichier: Path) -> str:
    """Download the PDF behind `lien` as a user does, and return its text with whitespace normalised."""
    with page.expect_download() as telechargement:
        lien.click()
    telechargement.value.save_as(fichier)
    assert fichier.read_bytes().startswith(b"%PDF-")
    return " ".join(" ".join(p.extract_text() for p in PdfReader(fichier).pages).split())


def test_fonds_repartition_reservation_agrement_convention_versement_et_part_du_financeur(visiteur, tmp_path):
    # --- The world before the journey ------------------------------------------------------------------------
    # A national fund, three funders and their contributions 2026–2030 (the Département de la Loire's 50 000 € a
    # year earmarked for the Loire), no envelope distributed yet; the Loire's instance with three voters.
    monde = loire_financee(enveloppes={})
    campagne = CampagneFactory(
        annee=2027, quota=5, enveloppe_annuelle=Decimal("60000.00"), montant_minimal_annuel=Decimal("10000.00")
    )
    assert campagne.etat == EtatCampagne.PREPARATION
    departement_loire = monde.financeurs["loire"]
    compte_financeur = UserFactory(email=EMAIL_FINANCEUR, prenom="Bernadette", nom="Chabert")
    acces = financeur_inviter(acteur=monde.national, financeur=departement_loire, email=EMAIL_FINANCEUR)
    acces_financeur_accepter(acteur=compte_financeur, acces=acces)

    # === 1. National staff distribute the fund into the Loire's 2027 envelope =================================
    nat = visiteur("national")
    page = nat.page
    se_connecter(page, monde.national.email)
    page.get_by_role("link", name="Fonds d'innovation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fonds d'innovation")
    nat.etape("fonds-liste")
    page.get_by_role("link", name=monde.fonds.nom).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(monde.fonds.nom)
    nat.etape("fonds-situation")

    page.get_by_role("link", name="Répartir dans une enveloppe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Répartir le fonds dans une enveloppe")
    champ(page, "Département").select_option(label="Loire (42)")
    champ(page, "Année budgétaire").fill("2027")
    champ(page, "Montant à répartir (€)").fill("100000")
    nat.etape("repartition-a-saisir")
    page.get_by_role("button", name="Répartir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enveloppes départementales")
    expect(page.get_by_role("status")).to_contain_text("Répartition enregistrée : Enveloppe 2027 — Loire (42).")
    ligne_2027 = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("^Loire")))
    expect(ligne_2027).to_have_count(1)
    expect(ligne_2027).to_contain_text("2027")
    expect(ligne_2027).to_contain_text(montant_re(Decimal("100000")))
    nat.etape("enveloppes")

    # === 2. The instructrice opens the campaign: it reserves 60 000 € a year for 2027–2029 ====================
    inst = visiteur("instructrice")
    page_i = inst.page
    se_connecter(page_i, monde.instructeur.email)
    page_i.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Campagnes").click()
    page_i.get_by_role("link", name="2027 — Loire").click()
    expect(page_i.get_by_role("heading", level=1)).to_have_text(str(campagne))
    inst.etape("campagne-en-preparation")
    page_i.get_by_role("button", name="Ouvrir la campagne").click()
    expect(page_i.get_by_role("status")).to_contain_text("La campagne est ouverte : les collectifs peuvent déposer.")
    inst.etape("campagne-ouverte")
    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.OUVERTE
    # 2028 and 2029 are not distributed yet: they are projected at the last known amount (100 000 €).
    assert dict(Reservation.objects.filter(campagne=campagne).values_list("annee", "projetee")) == {
        2027: False,
        2028: True,
        2029: True,
    }

    # National staff see the reservation in the Loire's envelope.
    page.reload()
    ligne_2027 = page.get_by_role("row").filter(has_text="2027").filter(has=page.get_by_role("rowheader"))
    expect(ligne_2027.first).to_contain_text(montant_re(Decimal("60000")))
    nat.etape("enveloppes-apres-reservation")

    # === 3. In séance, the instance raises tranche 1 and agrees the declaration ===============================
    point = point_pret(monde, campagne, NOM_COLLECTIF)
    page_i.goto(f"/campagnes/seances/{point.seance_id}/")
    section_point = page_i.get_by_role("region", name=f"1. {NOM_COLLECTIF}")
    expect(section_point).to_contain_text("Inscrite en séance")
    montants = section_point.locator(
        "form", has=page_i.get_by_role("button", name=re.compile("^Enregistrer les montants"))
    )
    expect(champ(montants, "Tranche 1 — 2027 (€)")).to_have_value("10000.00")
    champ(montants, "Tranche 1 — 2027 (€)").fill("12000")
    inst.etape("seance-montants")
    montants.get_by_role("button", name=re.compile("^Enregistrer les montants")).click()
    expect(page_i.get_by_role("status")).to_contain_text(f"Montants des tranches enregistrés pour {NOM_COLLECTIF}.")
    section_point.get_by_role("button", name=f"Statuer sur la déclaration de {NOM_COLLECTIF}").click()
    expect(page_i.get_by_role("status")).to_contain_text(f"{NOM_COLLECTIF} : agrément")
    expect(section_point).to_contain_text("Agréée")
    inst.etape("seance-agrement")

    convention = Convention.objects.get(declaration__collectif__nom=NOM_COLLECTIF)
    assert convention.declaration.etat == EtatDeclaration.AGREEE
    assert list(convention.tranches.order_by("rang").values_list("annee", "montant")) == [
        (2027, Decimal("12000.00")),
        (2028, Decimal("10000.00")),
        (2029, Decimal("10000.00")),
    ]

    # === 4. The convention page: signature, then the payment of tranche 1 =====================================
    page_i.goto("/fonds/conventions/")
    expect(page_i.get_by_role("heading", level=1)).to_contain_text("Conventions")
    inst.etape("conventions")
    page_i.get_by_role("link", name=convention.reference).click()
    expect(page_i.get_by_role("heading", level=1)).to_have_text(f"Convention {convention.reference}")
    expect(page_i.get_by_text("en attente de signature")).to_be_visible()
    tranches = page_i.get_by_role("table", name=re.compile("^Tranches de la convention"))
    expect(tranches.get_by_role("row")).to_have_count(4)
    expect(tranches.get_by_role("row", name=re.compile("^Tranche 1"))).to_contain_text("Prévue")
    inst.etape("convention-a-signer")

    signature = page_i.get_by_role("region", name="Enregistrer la signature")
    expect(champ(signature, "Date de signature")).to_have_value(timezone.localdate().isoformat())
    champ(signature, "Signataire pour le bénéficiaire").fill(SIGNATAIRE_COLLECTIF)
    champ(signature, "Signataire pour le département").fill(SIGNATAIRE_DEPARTEMENT)
    signature.get_by_role("button", name="Enregistrer la signature").click()
    expect(page_i.get_by_role("status")).to_contain_text("Signature enregistrée : la tranche 1 est exigible.")
    expect(page_i.get_by_role("region", name="Enregistrer la signature")).to_have_count(0)
    expect(tranches.get_by_role("row", name=re.compile("^Tranche 1"))).to_contain_text("Exigible")
    expect(tranches.get_by_role("row", name=re.compile("^Tranche 2"))).to_contain_text("Prévue")
    documents = page_i.get_by_role("region", name="Documents")
    expect(documents.get_by_role("link", name=re.compile("^Convention triannuelle de financement"))).to_have_count(1)
    inst.etape("convention-signee")

    versement = page_i.locator("form", has=page_i.get_by_role("button", name=re.compile("^Enregistrer le versement")))
    expect(champ(versement, "Montant versé (€)")).to_have_value("12000.00")
    expect(champ(versement, "Date du versement")).to_have_value(timezone.localdate().isoformat())
    champ(versement, "Référence bancaire").fill(REFERENCE_VIREMENT)
    inst.etape("versement-a-saisir")
    versement.get_by_role("button", name=re.compile("^Enregistrer le versement")).click()
    expect(page_i.get_by_role("status")).to_contain_text("Versement de la tranche 1 enregistré.")
    ligne_tranche_1 = tranches.get_by_role("row", name=re.compile("^Tranche 1"))
    expect(ligne_tranche_1).to_contain_text("Versée")
    expect(ligne_tranche_1).to_contain_text(REFERENCE_VIREMENT)
    expect(page_i.get_by_role("button", name=re.compile("^Enregistrer le versement"))).to_have_count(0)
    expect(documents.get_by_role("link", name=re.compile("^Attestation de versement"))).to_have_count(1)
    inst.etape("versement-enregistre")
    assert convention.tranches.get(rang=1).etat == EtatTranche.VERSEE

    texte = texte_pdf(
        page_i,
        documents.get_by_role("link", name=re.compile("^Convention triannuelle de financement")),
        tmp_path / "convention.pdf",
    )
    assert NOM_COLLECTIF in texte
    assert SIGNATAIRE_DEPARTEMENT in texte

    # === 5. The funder logs in and sees its share of the convention and of the payment ========================
    attendu = {ligne.convention.pk: ligne for ligne in parts_du_financeur(departement_loire)}[convention.pk]
    # Earmarked money first: the Département's 50 000 € earmarked for the Loire in 2027 cover all of tranche 1.
    assert attendu.par_annee[2027] == Decimal("12000.00")
    assert attendu.part_versee == Decimal("12000.00")
    fin = visiteur("financeur")
    page_f = fin.page
    se_connecter(page_f, EMAIL_FINANCEUR)
    page_f.get_by_role("link", name=f"Ce que finance {departement_loire}").click()
    expect(page_f.get_by_role("heading", level=1)).to_have_text(f"Ce que finance {departement_loire}")
    ligne_convention = page_f.get_by_role("table", name=re.compile("^Part de .* dans chaque convention")).get_by_role(
        "row", name=re.compile(f"^{re.escape(convention.reference)}")
    )
    expect(ligne_convention).to_contain_text(NOM_COLLECTIF)
    expect(ligne_convention).to_contain_text(montant_re(Decimal("32000")))  # the convention's amount
    expect(ligne_convention).to_contain_text(montant_re(attendu.part))
    expect(ligne_convention).to_contain_text(re.compile(r"2027 : " + montant_re(Decimal("12000")).pattern))
    ligne_versement = page_f.get_by_role("table", name=re.compile("dans chaque versement")).get_by_role(
        "row", name=re.compile(re.escape(convention.reference))
    )
    expect(ligne_versement).to_contain_text(montant_re(Decimal("12000")))
    expect(ligne_versement).to_contain_text("fléché")
    fin.etape("vue-du-financeur")

    # The funder reads its own view only: the national pages and the conventions are refused.
    reponse = page_f.goto(f"/fonds/{monde.fonds.pk}/")
    assert reponse is not None and reponse.status == 403
    reponse = page_f.goto(f"/fonds/conventions/{convention.pk}/")
    assert reponse is not None and reponse.status == 403
