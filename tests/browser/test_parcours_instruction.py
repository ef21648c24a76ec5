"""Issue 3's journey, in a real browser: from a filed declaration to the instance's decision.

The instructeur 42 takes the declaration's task and asks for compléments; the référent answers and files again;
the instructeur declares it recevable, prepares a séance of the Loire's instance and runs it (attendance with
quorum, a conflict of interest, votes, decision, closing); the minutes and the decision are downloaded and read;
the référent finds the decision on the declaration page, whose messages are then read-only.

Only the world before the journey is built with factories and services: the open campaign, the accounts, the
declaration filed through `collectifs.services.declaration_deposer` (the live server's tests are transactional,
so its after-commit callbacks, which start the viewflow process, run as in production) and the instance with its
president. Each step is screenshotted and checked with axe (see conftest.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import formats, timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from instances.enums import EtatSeance, ResultatPoint
from instances.forms import libelle_membre
from instances.models import MembreInstance, PointOrdreDuJour, Seance
from instances.services import presidence_faire_tourner
from tests.browser.outils import champ, cocher, se_connecter
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.instances.factories import CampagneFactory
from tests.instances.factories_seances import MEMBRES_LOIRE, InstanceFactory, MembreInstanceFactory
from tests.vues import brouillon_pret, deposer
from tests.workflow.scenario import en_attente, tache_instruction

pytestmark = [pytest.mark.browser, pytest.mark.pdf]

NOM_COLLECTIF = "Collectif Cuisine partagée de Montreynaud"
EMAIL_REFERENTE = "claire.besson@exemple.fr"
EMAIL_INSTRUCTRICE = "instructrice.42@loire.fr"
MESSAGE_DEMANDE = "Merci de joindre la délibération de la mairie annexe qui met le local à disposition."
REPONSE = "La délibération du conseil de quartier du 12 mars est jointe ; le local est prêté pour trois ans."
MESSAGE_REFERENTE = "Le local pourra-t-il être visité par l'instance avant la séance ?"
LIEU = "Hôtel du Département, salle Jean Monnet, Saint-Étienne"
PRECISION_CONFLIT = "administrateur de l'amicale porteuse du projet"


def date_fr(jour) -> str:
    return formats.date_format(jour, "j F Y")


def texte_pdf(page: Page, lien: Locator, fichier: Path) -> str:
    """Download the PDF behind `lien` as a user does, and return its text with whitespace normalised."""
    with page.expect_download() as telechargement:
        lien.click()
    telechargement.value.save_as(fichier)
    assert telechargement.value.suggested_filename.endswith(".pdf"), telechargement.value.suggested_filename
    assert fichier.read_bytes().startswith(b"%PDF-")
    return " ".join(" ".join(p.extract_text() for p in PdfReader(fichier).pages).split())


def badge_etat(page: Page) -> Locator:
    """The declaration's state badge, right under the page title."""
    return page.locator("#contenu h1 + p .fr-badge")


def test_instruction_complements_seance_et_decision(visiteur, tmp_path):
    # --- The world before the journey ------------------------------------------------------------------------
    campagne = CampagneFactory(ouverte=True, quota=3)
    instructrice = InstructeurFactory(
        user__email=EMAIL_INSTRUCTRICE, user__prenom="Inès", user__nom="Garnier", departements=["42"]
    ).user
    referente = UserFactory(email=EMAIL_REFERENTE, prenom="Claire", nom="Besson")
    collectif = CollectifFactory(referent=referente, nom=NOM_COLLECTIF)
    declaration, _ = deposer(brouillon_pret(collectif))
    assert declaration.etat == EtatDeclaration.DEPOSEE
    # The process started after commit: its instruction task is queued to the Loire's instructeurs.
    assert en_attente(declaration) == ["instruction"]
    assert tache_instruction(declaration).owner_id is None

    # The Loire's instance: four voting members and one with a consultative voice; none needs an account.
    instance = InstanceFactory(nom="Instance départementale de la Loire")
    membres: dict[str, MembreInstance] = {}
    for rang, (prenom, nom, institution, college, votant, _compte) in enumerate(MEMBRES_LOIRE, start=1):
        membres[prenom] = MembreInstanceFactory(
            instance=instance,
            rang_rotation=rang,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            votant=votant,
        )
    presidence_faire_tourner(acteur=instructrice, instance=instance)  # Hélène Roux, first in rotation order
    helene, jean, nadia, paul, lucie = (membres[p] for p in ("Hélène", "Jean", "Nadia", "Paul", "Lucie"))
    mail.outbox.clear()

    # === 1. The instructeur takes the task and asks for compléments ===========================================
    inst = visiteur("instructrice")
    page = inst.page
    se_connecter(page, EMAIL_INSTRUCTRICE)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Mes tâches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes tâches d'instruction")
    file_attente = page.get_by_role("table", name=re.compile("^À prendre en charge"))
    expect(file_attente.get_by_role("row")).to_have_count(2)  # header + the filed declaration
    expect(file_attente).to_contain_text("Conforme")
    expect(page.get_by_role("heading", name="Prises en charge par vous (0)")).to_be_visible()
    inst.etape("taches-file")

    file_attente.get_by_role("link", name=NOM_COLLECTIF).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Instruction de la déclaration de {NOM_COLLECTIF}")
    expect(page.locator("#responsable")).to_contain_text("À prendre en charge")
    expect(badge_etat(page)).to_have_text("Déposée")
    inst.etape("tache-a-prendre")

    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_role("status")).to_contain_text("Vous avez pris en charge l'instruction de cette déclaration.")
    expect(page.locator("#responsable")).to_contain_text("Prise en charge par Inès Garnier")
    expect(badge_etat(page)).to_have_text("En instruction")
    expect(page.get_by_role("button", name="Prendre en charge")).to_have_count(0)
    inst.etape("tache-prise-en-charge")

    # The deadline defaults to the campaign's delay (30 days); only the message is typed.
    echeance = timezone.localdate() + timedelta(days=campagne.delai_complements_jours)
    expect(champ(page, "À fournir avant le")).to_have_value(echeance.isoformat())
    champ(page, "Ce qui est demandé au collectif").fill(MESSAGE_DEMANDE)
    page.get_by_role("button", name="Demander des compléments").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"La demande de compléments est envoyée au collectif, avec une réponse attendue avant le {echeance:%d/%m/%Y}."
    )
    expect(badge_etat(page)).to_have_text("À compléter")
    demande = page.get_by_role("region", name="Demande de compléments en cours")
    expect(demande).to_contain_text(MESSAGE_DEMANDE)
    expect(demande).to_contain_text(date_fr(echeance))
    expect(page.locator("#sans-suite-impossible")).to_contain_text(date_fr(echeance))
    inst.etape("complements-demandes")
    # The référent is told by e-mail.
    assert [m.to for m in mail.outbox] == [[EMAIL_REFERENTE]]
    assert MESSAGE_DEMANDE in mail.outbox[0].body

    # While the collectif has the hand, the task has left the list.
    page.get_by_role("link", name="Mes tâches").first.click()
    expect(page.get_by_text("Aucune déclaration n'attend d'instruction dans vos départements.")).to_be_visible()
    inst.etape("taches-vides")

    # === 2. The référent answers and files again ==============================================================
    ref = visiteur("referente")
    page_r = ref.page
    se_connecter(page_r, EMAIL_REFERENTE)
    page_r.get_by_role("link", name=f"Répondre à la demande de compléments pour {NOM_COLLECTIF}").click()
    expect(page_r.get_by_role("heading", level=1)).to_have_text(f"Déclaration de {NOM_COLLECTIF}")
    expect(badge_etat(page_r)).to_have_text("À compléter")
    complements = page_r.get_by_role("region", name="Compléments demandés")
    expect(complements).to_contain_text(MESSAGE_DEMANDE)
    expect(complements).to_contain_text(f"À fournir avant le {date_fr(echeance)}")
    ref.etape("complements-a-fournir")
    texte_demande = texte_pdf(
        page_r,
        page_r.get_by_role("link", name=re.compile("^Télécharger la demande de compléments")),
        tmp_path / "demande.pdf",
    )
    assert NOM_COLLECTIF in texte_demande
    assert MESSAGE_DEMANDE in texte_demande
    assert date_fr(echeance) in texte_demande

    # A question on the messages thread on the way (the instructeur is told by e-mail).
    messages_ = page_r.get_by_role("region", name="Messages")
    champ(messages_, "Votre message").fill(MESSAGE_REFERENTE)
    messages_.get_by_role("button", name="Envoyer le message").click()
    expect(page_r.get_by_role("status")).to_contain_text("Votre message est envoyé.")
    expect(page_r.get_by_role("list", name="Conversation")).to_contain_text(MESSAGE_REFERENTE)

    champ(complements, "Votre réponse à la demande").fill(REPONSE)
    complements.get_by_role("button", name="Répondre et déposer à nouveau").click()
    expect(page_r.get_by_role("status")).to_contain_text(
        "Votre réponse est envoyée et la déclaration est déposée à nouveau : l'instruction reprend."
    )
    expect(badge_etat(page_r)).to_have_text("En instruction")
    expect(page_r.get_by_role("region", name="Compléments demandés")).to_have_count(0)
    expect(page_r.get_by_role("region", name="Suivi du dossier")).to_contain_text(REPONSE)
    ref.etape("reponse-envoyee")

    # === 3. The task is back with the instructeur, who declares the declaration recevable =====================
    page.get_by_role("link", name="Mes tâches").first.click()
    mes_taches = page.get_by_role("table", name=re.compile("^Prises en charge par vous"))
    expect(mes_taches.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("heading", name="À prendre en charge (0)")).to_be_visible()
    inst.etape("taches-retour")

    mes_taches.get_by_role("link", name=NOM_COLLECTIF).click()
    expect(page.locator("#responsable")).to_contain_text("Prise en charge par Inès Garnier")
    expect(page.locator("#controles")).to_contain_text("Conforme")
    page.get_by_role("button", name="Déclarer recevable").click()
    expect(page.get_by_role("status")).to_contain_text(
        "La déclaration est recevable : elle pourra être inscrite à l'ordre du jour d'une séance."
    )
    expect(badge_etat(page)).to_have_text("Recevable")
    expect(page.get_by_role("button", name="Déclarer recevable")).to_have_count(0)
    inst.etape("recevable")

    # === 4. The séance: prepare, open, attendance, conflict of interest, votes, decision, closing =============
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Instance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instance départementale de la Loire")
    expect(page.get_by_role("region", name="Présidence")).to_contain_text("Hélène Roux — Département de la Loire")
    navigation = page.get_by_role("navigation", name="Menu principal")
    expect(navigation.locator("[aria-current=page]")).to_have_count(1)
    expect(navigation.locator("[aria-current=page]")).to_have_text("Instance")
    inst.etape("instance")

    page.get_by_role("link", name="Préparer une séance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparer une séance")
    ordre_du_jour = page.get_by_role("list").filter(has=page.get_by_role("link", name=NOM_COLLECTIF))
    expect(ordre_du_jour.get_by_role("listitem")).to_have_count(1)
    jour = timezone.localdate()
    champ(page, "Date de la séance").fill(jour.isoformat())
    champ(page, "Heure de début").fill("14:30")
    champ(page, "Lieu").fill(LIEU)
    expect(champ(page, "Campagne")).to_have_value(str(campagne.pk))
    for membre in membres.values():  # everyone is convened by default
        expect(page.get_by_role("checkbox", name=libelle_membre(membre))).to_be_checked()
    inst.etape("seance-a-preparer")
    page.get_by_role("button", name="Préparer la séance").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Séance du {formats.date_format(jour, 'l j F Y')} à 14:30"
    )
    expect(page.get_by_role("status")).to_contain_text("1 déclaration(s) à l'ordre du jour.")
    seance = Seance.objects.get(instance=instance)
    point = PointOrdreDuJour.objects.get(seance=seance)
    section_point = page.get_by_role("region", name=f"1. {NOM_COLLECTIF}")
    expect(section_point).to_contain_text("Inscrite en séance")
    inst.etape("seance-preparee")

    page.get_by_role("button", name="Ouvrir la séance").click()
    expect(page.get_by_role("status")).to_contain_text("La séance est ouverte : enregistrez les présences.")
    presidence = page.get_by_role("heading", name="Présidence de séance").locator("xpath=following-sibling::p[1]")
    expect(presidence).to_have_text("Hélène Roux — Département de la Loire")
    # No one is recorded present yet: no vote is possible.
    expect(section_point).to_contain_text("Aucun membre votant présent ne peut voter sur ce point")
    inst.etape("seance-ouverte")

    # Attendance: 3 of the 4 voting members (Paul Girard is absent) and the consultative member. Quorum: 3 of 4.
    presences = page.locator("form", has=page.get_by_role("button", name="Enregistrer les présences"))
    for membre in (helene, jean, nadia, lucie):
        cocher(presences.get_by_role("checkbox", name=libelle_membre(membre)))
    presences.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Présences enregistrées. Quorum atteint : 3 membre(s) votant(s) présent(s) sur 4, 3 requis."
    )
    quorum = page.get_by_role("heading", name="Quorum", exact=True).locator("xpath=following-sibling::div[1]")
    expect(quorum).to_have_class(re.compile("fr-alert--success"))
    expect(quorum).to_have_text("Quorum atteint : 3 membre(s) votant(s) présent(s) sur 4, 3 requis.")
    inst.etape("presences")

    # Jean Morel declares a conflict of interest with the collectif.
    conflit = section_point.locator("form", has=page.get_by_role("button", name="Déclarer le conflit d'intérêts"))
    champ(conflit, "Membre en conflit d'intérêts").select_option(label=libelle_membre(jean))
    champ(conflit, "Précision").fill(PRECISION_CONFLIT)
    conflit.get_by_role("button", name="Déclarer le conflit d'intérêts").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Conflit d'intérêts enregistré : {jean} ne vote pas sur {NOM_COLLECTIF}."
    )
    expect(section_point).to_contain_text(f"Jean Morel (CAF de la Loire) : « {PRECISION_CONFLIT} »")
    inst.etape("conflit")

    # The vote form holds the present voting members without a conflict: Jean Morel is not in it, nor are the
    # absent Paul Girard and Lucie Faure (consultative voice).
    votes = section_point.locator("form", has=page.get_by_role("button", name="Enregistrer les votes"))
    groupes = votes.get_by_role("group")
    expect(groupes).to_have_count(2)
    expect(groupes.nth(0)).to_contain_text("Hélène Roux — Département de la Loire")
    expect(groupes.nth(1)).to_contain_text("Nadia Haddad — CCAS de Saint-Étienne")
    for absent in (jean, paul, lucie):
        expect(votes).not_to_contain_text(f"{absent.prenom} {absent.nom}")
    cocher(votes.get_by_role("group", name=re.compile("^Hélène Roux")).get_by_role("radio", name="Pour"))
    cocher(votes.get_by_role("group", name=re.compile("^Nadia Haddad")).get_by_role("radio", name="Abstention"))
    inst.etape("votes-a-saisir")
    votes.get_by_role("button", name="Enregistrer les votes").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Votes enregistrés pour {NOM_COLLECTIF} : 1 pour, 0 contre, 1 abstention(s)."
    )
    expect(section_point).to_contain_text("1 pour, 0 contre, 1 abstention")
    inst.etape("votes")

    section_point.get_by_role("button", name=f"Statuer sur la déclaration de {NOM_COLLECTIF}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{NOM_COLLECTIF} : agrément (1 pour, 0 contre, 1 abstention(s))."
    )
    expect(section_point).to_contain_text("Agrément")
    expect(section_point).to_contain_text("Agréée")
    expect(page.get_by_text("Places restantes dans la campagne : 2")).to_be_visible()
    inst.etape("statue")

    page.get_by_role("button", name="Clore la séance").click()
    expect(page.get_by_role("status")).to_contain_text("La séance est close.")
    seance.refresh_from_db()
    assert seance.etat == EtatSeance.CLOSE
    point.refresh_from_db()
    assert point.resultat == ResultatPoint.AGREEE
    expect(page.get_by_role("button", name="Statuer", exact=False)).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer les votes")).to_have_count(0)
    inst.etape("seance-close")

    # === 5. The minutes and the decision, downloaded and read =================================================
    pv = texte_pdf(
        page, page.get_by_role("link", name=re.compile("^Télécharger le procès-verbal")), tmp_path / "pv.pdf"
    )
    assert NOM_COLLECTIF in pv
    assert "sous la présidence de Hélène Roux (Département de la Loire)" in pv
    assert LIEU in pv
    assert "Votants présents 3 Requis 3 Quorum atteint" in pv
    assert "1 / 0 / 1" in pv  # the agenda table: pour / contre / abstention
    assert "1 pour, 0 contre, 1 abstention ; 1 suffrage exprimé, majorité favorable" in pv
    assert f"Jean Morel (CAF de la Loire) — {PRECISION_CONFLIT}, n'a pas pris part au vote" in pv
    assert "Agrément" in pv
    assert "Paul Girard Amicale des locataires de Montreynaud délibérative Absent·e" in pv
    assert "La présidence de séance Hélène Roux" in pv  # the signature block

    decision = texte_pdf(
        page,
        section_point.get_by_role("link", name=re.compile("^Télécharger la décision")),
        tmp_path / "decision-instructrice.pdf",
    )
    assert "Décision : agrément du collectif" in decision
    assert f"Le collectif « {NOM_COLLECTIF} » est agréé au titre de la campagne {campagne.annee}" in decision
    assert "Résultat du vote : 1 voix pour, 0 voix contre, 1 abstention." in decision
    assert "Quorum atteint : 3 membres votants présents sur 4, 3 requis." in decision
    assert (
        "1 membre a déclaré un conflit d'intérêts avec le collectif et n'a pas pris part au vote : Jean Morel"
        in decision
    )
    assert "la présidence de séance : Hélène Roux" in decision

    # === 6. The référent sees the decision, downloads it; the thread is read-only =============================
    assert EMAIL_REFERENTE in [destinataire for m in mail.outbox for destinataire in m.to if "Décision" in m.subject]
    page_r.reload()
    expect(badge_etat(page_r)).to_have_text("Agréée")
    section_decision = page_r.get_by_role("region", name="Décision de l'instance départementale")
    expect(section_decision).to_contain_text(f"Agrément — séance du {date_fr(jour)}")
    expect(section_decision).to_contain_text("1 pour, 0 contre, 1 abstention(s)")
    messages_ = page_r.get_by_role("region", name="Messages")
    expect(messages_).to_contain_text(MESSAGE_REFERENTE)
    expect(messages_).to_contain_text("La déclaration est décidée : la messagerie est en lecture seule.")
    expect(messages_.get_by_role("button", name="Envoyer le message")).to_have_count(0)
    expect(messages_.get_by_role("textbox")).to_have_count(0)
    expect(messages_.get_by_role("link", name=re.compile("^Répondre"))).to_have_count(0)
    ref.etape("decision")

    decision_referente = texte_pdf(
        page_r,
        section_decision.get_by_role("link", name=re.compile("^Télécharger la décision")),
        tmp_path / "decision-referente.pdf",
    )
    assert decision_referente == decision

    page_r.get_by_role("link", name="Tableau de bord").click()
    carte = page_r.locator(".fr-card", has=page_r.get_by_role("heading", name=NOM_COLLECTIF))
    expect(carte.locator(".fr-badge")).to_have_text("Agréée")
    expect(carte.locator(".fr-badge")).to_have_class(re.compile("fr-badge--success"))
    ref.etape("tableau-de-bord")
    assert Declaration.objects.get(pk=declaration.pk).etat == EtatDeclaration.AGREEE
    assert en_attente(declaration) == []
