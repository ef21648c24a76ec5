"""The dashboard per role (issue 11), on the demo data: each role's block says what to do now and what is coming,
with the demo's names, counts, dates and links; the référent's block (and « Déclarer un nouveau collectif ») shows
only to référents and to people holding no other role; each role's page runs a pinned number of queries, the same
with 30 more declarations and collectifs in the Loire.

The demo is loaded once for the module, inside a transaction rolled back at its end (each test runs in a savepoint
of it, as in Django's TestCase); the callbacks its services register « on commit » run as in production (the
instruction processes start, the séance's decisions and minutes are issued, with a stub PDF)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, DemandeComplements
from collectifs.selectors_tableau import _mediane_sql
from comptes.models import User
from config.tableaux import duree_en_clair
from fonds.enums import EtatBilan, EtatMiseADisposition
from fonds.models import BilanAnnuel, Convention, MiseADisposition
from instances.models import InstanceDepartementale, Seance
from instances.selectors import places_restantes
from instances.selectors_tableau import campagnes_ouvertes_avec_places
from instances.services import seance_preparer
from journal.models import TransitionLog
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.documents.pdf import PDF_MINIMAL
from tests.vues import Page

DEMO = "@demo.collectifs-ds.fr"
DECLARER = "Déclarer un nouveau collectif"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # durable services may run inside, as in TestCase
        atomic.__enter__()
        try:
            with (
                mock.patch("documents.services.rendre_pdf", return_value=PDF_MINIMAL),
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def utilisateur(nom: str) -> User:
    return User.objects.get(email=f"{nom}{DEMO}")


def page_de(client: Any, nom: str) -> Page:
    client.force_login(utilisateur(nom))
    reponse = client.get(reverse("tableau_de_bord"))
    assert reponse.status_code == 200
    return Page(reponse)


def texte(page: Page, selecteur: str) -> str:
    return Page.texte(page.un(selecteur))


def date_fr(jour: datetime.date | datetime.datetime) -> str:
    if isinstance(jour, datetime.datetime):
        jour = timezone.localdate(jour)
    return formats.date_format(jour, "j F Y")


pytestmark = pytest.mark.django_db


# --- Référent ---------------------------------------------------------------------------------------------------


def test_la_referente_voit_quel_brouillon_est_pret_et_ce_qui_manque_a_l_autre(demo, client):
    page = page_de(client, "amina.benali")
    cartes = {Page.texte(c.query("h3")): c for c in page.tous("#bloc-referent .fr-card")}
    assert set(cartes) == {"Collectif Solidarités Montreynaud", "Collectif Tarentaize-Beaubrun en transition"}
    prete = Collectif.objects.get(nom="Collectif Solidarités Montreynaud").declarations.get()
    incomplete = Collectif.objects.get(nom="Collectif Tarentaize-Beaubrun en transition").declarations.get()
    texte_prete = Page.texte(cartes["Collectif Solidarités Montreynaud"])
    assert "Prête à déposer" in texte_prete and "manque" not in texte_prete
    lien = cartes["Collectif Solidarités Montreynaud"].query("a.fr-btn")
    assert Page.attribut(lien, "href") == reverse("collectifs:etape_recapitulatif", args=[prete.pk])
    assert Page.texte(lien).startswith("Relire et déposer")
    texte_incomplete = Page.texte(cartes["Collectif Tarentaize-Beaubrun en transition"])
    assert "Prête à déposer" not in texte_incomplete
    assert "Pas encore prête : il manque 4 éléments." in texte_incomplete
    manques = [Page.texte(li) for li in cartes["Collectif Tarentaize-Beaubrun en transition"].query_all(".manques li")]
    assert manques == [
        "Il manque 1 professionnel·le.",
        "Il manque 1 représentant·e d'habitants ou d'usagers.",
        "La charte des collectifs doit être acceptée.",
        "Dites ce qui n'existerait pas sans le collectif.",
    ]
    # « Continuer » leads to the step of the first thing missing: the members.
    lien = cartes["Collectif Tarentaize-Beaubrun en transition"].query("a.fr-btn")
    assert Page.attribut(lien, "href") == reverse("collectifs:etape_membres", args=[incomplete.pk])
    assert DECLARER in Page.texte(page.un("#bloc-referent"))


def test_le_referent_d_un_dossier_depose_lit_son_etat_et_le_delai_d_instruction(demo, client):
    page = page_de(client, "julien.moreau")
    declaration = Collectif.objects.get(nom="Firminy Vert en commun").declarations.get()
    assert declaration.etat == EtatDeclaration.EN_INSTRUCTION or declaration.etat == EtatDeclaration.DEPOSEE
    bloc = texte(page, f"#declaration-{declaration.pk}")
    assert "L'équipe du département va vérifier" in bloc or "Un·e instructeur·rice examine" in bloc
    assert f"L'instruction se termine au plus tard le {date_fr(declaration.echeance_instruction)}." in bloc
    assert page.un(
        f'#declaration-{declaration.pk} a[href="{reverse("instances:declaration_detail", args=[declaration.pk])}"]'
    )


def test_la_referente_a_qui_l_on_demande_des_complements_sait_quoi_faire_et_avant_quand(demo, client):
    page = page_de(client, "sophie.lambert")
    declaration = Collectif.objects.get(nom="Le Parc ensemble").declarations.get()
    demande = DemandeComplements.objects.get(declaration=declaration)
    bloc = texte(page, f"#declaration-{declaration.pk}")
    assert "L'instruction vous demande des compléments." in bloc
    assert f"Des compléments vous sont demandés, à fournir avant le {date_fr(demande.echeance)}." in bloc
    assert "Répondre à la demande" in bloc
    assert "L'instruction se termine" not in bloc


def test_le_referent_d_un_collectif_finance_suit_sa_convention_et_son_prochain_bilan(demo, client):
    page = page_de(client, "mohamed.cherif")
    convention = Convention.objects.get(declaration__collectif__nom="Grand Pont en commun")
    bilan = BilanAnnuel.objects.filter(convention=convention, etat=EtatBilan.ATTENDU).order_by("rang").first()
    bloc = texte(page, f"#declaration-{convention.declaration_id}")
    assert "Votre collectif est agréé." in bloc
    assert f"Convention {convention.reference} : active, signée le {date_fr(convention.signee_le)}." in bloc
    tranches = [Page.texte(li) for li in page.tous(f"#declaration-{convention.declaration_id} .tranches li")]
    assert tranches[0] == "Tranche 1 (2026) : 20 000,00 €, versée"
    assert tranches[1] == "Tranche 2 (2027) : 18 000,00 €, exigible"
    assert f"Prochain bilan annuel (année {bilan.rang}) : à déposer avant le {date_fr(bilan.echeance)}." in bloc
    assert page.un(f'a[href="{reverse("fonds:bilan", args=[bilan.pk])}"]')


# --- Instructeur ----------------------------------------------------------------------------------------------


def test_l_instructrice_voit_ses_taches_ses_echeances_et_les_chiffres_de_la_loire(demo, client):
    page = page_de(client, "claire.dumas")
    assert next(Page.texte(h) for h in page.tous("main h2")) == "Instruction — Loire (42)"
    a_faire = [Page.texte(li) for li in page.tous("#bloc-instructeur .a-faire li")]
    # Firminy Vert en commun's task waits in the queue (the other filed declarations are past instruction).
    assert a_faire[0] == "Tâches d'instruction : 1 à prendre en charge, 0 à vous, aucune en retard."
    assert a_faire[1] == "Conventions : 0 à signer, 1 tranche à verser, 1 non conforme (composition à rétablir)."
    assert a_faire[3].startswith("Mises à disposition qui attendent la réponse de l'employeur : 1")
    a_venir = texte(page, "#bloc-instructeur .a-venir")
    assert "Aucune séance n'est prévue. 1 déclaration recevable attend une séance." in a_venir
    instance = InstanceDepartementale.objects.get(departement_id="42")
    assert page.un(f'#bloc-instructeur .a-venir a[href="{reverse("instances:instance", args=[instance.pk])}"]')
    chiffres = {
        Page.texte(tr.query("th")): Page.texte(tr.query("td")) for tr in page.tous("#instruction-chiffres tbody tr")
    }
    assert chiffres["Déclarations déposées (brouillons exclus)"] == "7"
    assert chiffres["Places prises sur le quota des campagnes ouvertes"] == "0 sur 6"
    assert chiffres["Argent engagé (tranches des conventions)"] == "108 000,00 €"
    assert chiffres["Argent versé"] == "41 000,00 €"
    assert chiffres["Délai médian du dépôt à la décision de l'instance"] == "moins d'un jour (4 déclarations)"
    # One chart, with its title and description in the SVG, and the same data as a table.
    assert len(page.tous("#bloc-instructeur svg[role=img]")) == 1
    assert Page.texte(page.un("#graphique-instruction-titre")) == "Déclarations déposées par état — Loire (42)"
    donnees = [Page.texte(tr) for tr in page.tous("#graphique-instruction-donnees tbody tr")]
    assert donnees == ["Déposée1", "À compléter1", "Recevable1", "Agréée2", "Refusée1", "En liste d'attente1"]
    assert DECLARER not in Page.texte(page.un("main"))


def test_l_instructeur_d_un_departement_sans_instance_sait_qui_la_constitue(demo, client):
    page = page_de(client, "marc.giraud")
    encart = texte(page, "#bloc-instructeur .sans-instance")
    assert "Rhône (69) : pas encore d'instance départementale" in encart
    assert "Les instructeur·rices du département la constituent" in encart
    try:
        url = reverse("instances:instance_nouvelle")
    except NoReverseMatch:  # the instance administration pages are not there yet: no link
        assert not page.tous("#bloc-instructeur .sans-instance a")
    else:
        assert page.un(f'#bloc-instructeur .sans-instance a[href="{url}?departement=69"]')
    assert "Aucune déclaration n'a encore été déposée" in texte(page, "#bloc-instructeur")


# --- Instance ---------------------------------------------------------------------------------------------------


def test_la_presidente_sait_ce_qu_elle_fait_ensuite_et_lit_les_decisions(demo, client):
    page = page_de(client, "francoise.vernay")
    assert Page.texte(page.un("#titre-instance")) == "Présidence de l'instance — Loire (42)"
    assert "Aucune séance n'est prévue. 1 déclaration recevable attend une séance" in texte(page, ".presidence")
    lignes = [
        Page.texte(tr.query("th")) + " : " + Page.texte(list(tr.query_all("td"))[1])
        for tr in page.tous("#dernieres-decisions tbody tr")
    ]
    assert sorted(lignes) == sorted(
        [
            "Grand Pont en commun : Agrément",
            "Fonsala en partage : Agrément",
            "Collectif du Forum : Refus",
            "La Montagne solidaire : Mise en liste d'attente",
        ]
    )
    seance = Seance.objects.get(campagne__annee=2026)
    point = seance.points.get(declaration__collectif__nom="Collectif du Forum")
    assert page.un(f'a[href="{reverse("instances:point_decision", args=[seance.pk, point.pk])}"]')
    assert len(page.tous(f'a[href="{reverse("instances:seance_proces_verbal", args=[seance.pk])}"]')) == 4
    principal = Page.texte(page.un("main"))
    assert DECLARER not in principal and "référent·e d'aucun collectif" not in principal


def test_la_prochaine_seance_avec_sa_convocation_et_ce_que_fait_la_presidente(demo, client):
    instance = InstanceDepartementale.objects.get(departement_id="42")
    campagne = instance.departement.campagnes.get(annee=2027)
    date = timezone.localtime() + datetime.timedelta(days=10)
    seance = seance_preparer(
        acteur=utilisateur("claire.dumas"), instance=instance, campagne=campagne, date=date, lieu="Salle des fêtes"
    )
    page = page_de(client, "francoise.vernay")
    prochaine = texte(page, ".prochaine-seance")
    assert f"Le {date_fr(date)} à {date:%H:%M}, Salle des fêtes (Loire (42)) — 1 point à l'ordre du jour." in prochaine
    assert "Vous êtes convoqué·e à cette séance." in prochaine
    assert "Préparer et ouvrir la séance" in texte(page, ".presidence")
    assert page.un(f'.presidence a[href="{reverse("instances:seance", args=[seance.pk])}"]')
    page = page_de(client, "laurent.bouchet")
    assert "Vous êtes convoqué·e à cette séance." in texte(page, ".prochaine-seance")
    page = page_de(client, "claire.dumas")
    assert "Prochaine séance : Loire (42), le" in texte(page, "#bloc-instructeur .a-venir")


def test_le_membre_de_l_instance_n_a_ni_presidence_ni_bouton_de_declaration(demo, client):
    page = page_de(client, "laurent.bouchet")
    assert Page.texte(page.un("#titre-instance")) == "Instance départementale — Loire (42)"
    assert "collège « Travailleurs sociaux des collectivités », avec voix délibérative." in texte(page, ".mandats")
    assert not page.tous(".presidence")
    assert "Aucune séance n'est prévue pour l'instant." in texte(page, "#bloc-instance")
    assert len(page.tous("#dernieres-decisions tbody tr")) == 4
    principal = Page.texte(page.un("main"))
    assert DECLARER not in principal and "référent·e d'aucun collectif" not in principal


# --- Accompagnatrice, employer, funder, national staff --------------------------------------------------------


def test_l_accompagnatrice_voit_le_collectif_qu_elle_suit_et_ses_bilans(demo, client):
    page = page_de(client, "celine.marcoux")
    lignes = [Page.texte(tr) for tr in page.tous("#bloc-accompagnateur tbody tr")]
    assert len(lignes) == 1 and lignes[0].startswith("Grand Pont en communLoire (42)")
    assert "3 entrées, la dernière le" in lignes[0]
    collectif = Collectif.objects.get(nom="Grand Pont en commun")
    assert page.un(f'#bloc-accompagnateur a[href="{reverse("instances:journal", args=[collectif.pk])}"]')
    assert "rien d'urgent" in texte(page, "#bloc-accompagnateur .a-faire")
    bilans = [Page.texte(li) for li in page.tous("#bloc-accompagnateur .bilans li")]
    attendus = BilanAnnuel.objects.filter(convention__declaration__collectif=collectif, etat=EtatBilan.ATTENDU)
    assert len(bilans) == attendus.count() > 0
    premier = attendus.order_by("echeance").first()
    assert bilans[0].startswith(
        f"Grand Pont en commun : bilan de l'année {premier.rang} à déposer avant le {date_fr(premier.echeance)}"
    )
    principal = Page.texte(page.un("main"))
    assert DECLARER not in principal and "référent·e d'aucun collectif" not in principal


def test_l_employeur_voit_la_demande_a_laquelle_repondre_et_celle_en_cours(demo, client):
    page = page_de(client, "rh.centre-social")
    attente = MiseADisposition.objects.get(etat=EtatMiseADisposition.DEMANDEE)
    assert Page.texte(page.un("#titre-employeur")) == f"Mises à disposition — {attente.employeur}"
    assert "1 demande attend votre réponse" in texte(page, "#bloc-employeur")
    assert [Page.texte(li) for li in page.tous(".a-repondre li")] == [
        f"Thomas Vial — Grand Pont en commun, 10 % du temps de travail, à partir du {date_fr(attente.date_debut)}"
    ]
    assert page.un(f'.a-repondre a[href="{reverse("fonds:mise_a_disposition", args=[attente.pk])}"]')
    assert [Page.texte(li).split(",")[0] for li in page.tous(".en-cours li")] == ["Hélène Royer — Grand Pont en commun"]
    assert DECLARER not in Page.texte(page.un("main"))


def test_le_financeur_voit_sa_part_de_l_annee(demo, client):
    page = page_de(client, "veronique.bardin")
    lignes = [Page.texte(tr) for tr in page.tous("#part-financeur tbody tr")]
    annee = timezone.localdate().year
    assert lignes[0].startswith(f"Année {annee}")
    assert lignes[1] == "Toutes années240 000,00 €108 000,00 €41 000,00 €"
    financeur = utilisateur("veronique.bardin").acces_financeur.financeur
    assert page.un(f'a[href="{reverse("fonds:financeur", args=[financeur.pk])}"]')
    assert DECLARER not in Page.texte(page.un("main"))


def test_l_equipe_nationale_voit_les_chiffres_nationaux_sans_bouton_de_declaration(demo, client):
    page = page_de(client, "equipe.nationale")
    bloc = texte(page, "#bloc-national")
    annee = timezone.localdate().year - 1
    assert f"Synthèses départementales {annee} : 3 transmises sur 101 départements attendus, 1 en brouillon." in bloc
    assert f"Rapport national {annee} : généré le" in bloc
    assert "Départements avec une campagne ouverte : 1." in bloc
    chiffres = {
        Page.texte(tr.query("th")): Page.texte(tr.query("td")) for tr in page.tous("#national-chiffres tbody tr")
    }
    assert chiffres["Déclarations déposées (brouillons exclus)"] == "7"
    assert chiffres["Argent versé"] == "41 000,00 €"
    assert len(page.tous("#bloc-national svg[role=img]")) == 1
    assert len(page.tous("#graphique-national-donnees tbody tr")) == 6
    for url in ("fonds:fonds_liste", "fonds:conventions", "mutualisation:syntheses", "mutualisation:rapports"):
        assert page.tous(f'#bloc-national a[href="{reverse(url)}"]'), url
    principal = Page.texte(page.un("main"))
    assert DECLARER not in principal and "référent·e d'aucun collectif" not in principal


def test_plusieurs_roles_un_bloc_chacun_le_plus_urgent_d_abord(demo, client):
    """National staff who also is the référent of a collectif: both blocks, the référent's (a draft to file) first,
    with « Déclarer un nouveau collectif »; a person with no role at all gets the référent's block."""
    nationale = utilisateur("equipe.nationale")
    CollectifFactory(referent=nationale, nom="Collectif de l'équipe")
    DeclarationFactory(collectif=Collectif.objects.get(nom="Collectif de l'équipe"))
    page = page_de(client, "equipe.nationale")
    assert [Page.texte(h) for h in page.tous("main h2")][:2] == ["Mes collectifs", "Pilotage national"]
    assert [Page.texte(a) for a in page.tous(".fr-summary__link")] == [
        "Mes collectifs (1 à faire)",
        "Pilotage national",
    ]
    assert DECLARER in Page.texte(page.un("#bloc-referent"))
    client.force_login(User.objects.create_user(email="nouvelle@exemple.fr", password=None))
    page = Page(client.get(reverse("tableau_de_bord")))
    assert "Vous n'êtes référent·e d'aucun collectif pour l'instant." in texte(page, "#bloc-referent")
    assert DECLARER in texte(page, "#bloc-referent")


# --- Query counts -------------------------------------------------------------------------------------------------

# Per role, the queries of the dashboard: session and user, then the role detection (collectifs as référent with
# their declarations, départements instructed with their instance, memberships, accompaniments, employer, funder),
# then each block's own reads (see config.tableaux). The same with 30 more collectifs and declarations in the Loire.
REQUETES = {
    "amina.benali": 19,
    "julien.moreau": 10,
    "mohamed.cherif": 13,
    "claire.dumas": 25,
    "marc.giraud": 25,
    "equipe.nationale": 20,
    "francoise.vernay": 12,
    "laurent.bouchet": 11,
    "celine.marcoux": 10,
    "rh.centre-social": 11,
    "veronique.bardin": 20,
}
ETATS_AJOUTES = [
    EtatDeclaration.DEPOSEE,
    EtatDeclaration.EN_INSTRUCTION,
    EtatDeclaration.A_COMPLETER,
    EtatDeclaration.RECEVABLE,
    EtatDeclaration.AGREEE,
    EtatDeclaration.REFUSEE,
]


def _compter(client: Any, nom: str) -> int:
    client.force_login(utilisateur(nom))
    client.get(reverse("tableau_de_bord"))  # warm the process-wide caches (content types, charter)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("tableau_de_bord")).status_code == 200
    return len(requetes)


def _grossir() -> None:
    """30 more collectifs of the Loire, with declarations in most filed states, for three référents of the demo."""
    referents = [utilisateur(n) for n in ("julien.moreau", "mohamed.cherif", "sophie.lambert")]
    for rang in range(30):
        collectif = CollectifFactory(referent=referents[rang % 3], nom=f"Collectif ajouté n°{rang:02d}")
        DeclarationFactory(collectif=collectif, **{str(ETATS_AJOUTES[rang % len(ETATS_AJOUTES)]): True})


def test_requetes_constantes_par_role(demo, client):
    avant = {nom: _compter(client, nom) for nom in REQUETES}
    _grossir()
    apres = {nom: _compter(client, nom) for nom in REQUETES}
    assert avant == apres == REQUETES


# The référent's drafts: the blockers of the first five are listed (a few queries each), the others link to their
# summary; so the count is the same for 7 drafts as for 37.
REQUETES_BROUILLONS = 26


def test_requetes_des_brouillons_plafonnees(demo, client):
    amina = utilisateur("amina.benali")
    for rang in range(5):
        DeclarationFactory(collectif=CollectifFactory(referent=amina, nom=f"Brouillon n°{rang:02d}"))
    sept = _compter(client, "amina.benali")
    for rang in range(5, 35):
        DeclarationFactory(collectif=CollectifFactory(referent=amina, nom=f"Brouillon n°{rang:02d}"))
    trente_sept = _compter(client, "amina.benali")
    assert sept == trente_sept == REQUETES_BROUILLONS
    page = Page(client.get(reverse("tableau_de_bord")))
    assert len(page.tous("#bloc-referent .fr-card")) == 37
    assert texte(page, "#bloc-referent").count("Le récapitulatif dit ce qui manque encore avant le dépôt.") == 32


# --- Helpers ------------------------------------------------------------------------------------------------------


def _recevable_apres(jours: int, delai: datetime.timedelta) -> Declaration:
    """A declaration filed `jours` days ago, declared admissible `delai` after its filing (then decided)."""
    depot = timezone.now() - datetime.timedelta(days=jours)
    declaration = DeclarationFactory(deposee=True)
    Declaration.objects.filter(pk=declaration.pk).update(deposee_le=depot)
    type_declaration = ContentType.objects.get_for_model(Declaration)
    for cible, quand in (("recevable", depot + delai), ("recevable", depot + delai * 3), ("agreee", depot + delai * 2)):
        TransitionLog.objects.create(
            content_type=type_declaration,
            object_id=declaration.pk,
            transition="declarer_recevable",
            source="deposee",
            cible=cible,
            horodatage=quand,
        )
    return declaration


def test_la_mediane_des_delais_est_calculee_par_la_base(db, django_assert_num_queries):
    """The database ranks the delays and returns the middle ones: the first move only, an odd and an even count,
    a negative delay (a clock set back) counted as none, nothing to measure."""
    ids = [DeclarationFactory(deposee=True).pk]  # filed, not yet admissible
    assert _mediane_sql(Declaration.objects.filter(pk__in=ids), ("recevable",)) == (None, 0)
    ids += [_recevable_apres(30, datetime.timedelta(days=delai)).pk for delai in (5, 1, 2)]
    declarations = Declaration.objects.filter(pk__in=ids)
    with django_assert_num_queries(1):
        assert _mediane_sql(declarations, ("recevable",)) == (datetime.timedelta(days=2), 3)
    ids.append(_recevable_apres(30, datetime.timedelta(days=-1)).pk)  # ranks first, counted as 0
    declarations = Declaration.objects.filter(pk__in=ids)
    assert _mediane_sql(declarations, ("recevable",)) == (datetime.timedelta(days=1, hours=12), 4)
    assert _mediane_sql(declarations, ("agreee", "refusee")) == (datetime.timedelta(days=3), 4)


def test_duree_en_clair():
    assert duree_en_clair(None) == "—"
    assert duree_en_clair(datetime.timedelta(hours=5)) == "moins d'un jour"
    assert duree_en_clair(datetime.timedelta(days=1, hours=3)) == "1 jour"
    assert duree_en_clair(datetime.timedelta(days=12)) == "12 jours"


def test_places_occupees_suit_la_regle_de_places_restantes(demo):
    for campagne in campagnes_ouvertes_avec_places(None):
        assert campagne.quota - campagne.places_occupees == places_restantes(campagne)
    campagne = Campagne.objects.get(departement_id="42", annee=2027)
    DeclarationFactory(collectif=CollectifFactory(), campagne=campagne, agreee=True)
    (ouverte,) = campagnes_ouvertes_avec_places(["42"])
    assert ouverte.places_occupees == 1 and places_restantes(campagne) == campagne.quota - 1


@pytest.mark.parametrize("nom", sorted(REQUETES))
def test_chaque_lien_du_tableau_de_bord_s_ouvre_pour_ce_role(demo, client, nom):
    """No dead end: every link of the role's blocks opens for that same person (200), never a 403 or a 404. (PDF
    links are left out: their files live in the module's media folder, not this test's; their own tests read them.)"""
    page = page_de(client, nom)
    liens = {
        lien.split("#")[0]
        for lien in (Page.attribut(a, "href") for a in page.tous("main a[href]"))
        if lien and lien.startswith("/") and not lien.startswith("/compte/deconnexion") and ".pdf" not in lien
    }
    assert liens, nom
    fermes = {lien: code for lien in sorted(liens) if (code := client.get(lien).status_code) != 200}
    assert not fermes, (nom, fermes)
