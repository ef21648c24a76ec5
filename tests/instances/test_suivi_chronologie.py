"""Issue 11, « Jargon »: the follow-up page /declarations/<pk>/ first gives a plain timeline (what happened, with
dates; what comes next, who acts and by when; the instruction deadline), the BPMN chart one link away.
Built by instances.selectors_suivi.chronologie_du_dossier."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from collectifs.models import Declaration
from collectifs.services import (
    complements_demander,
    complements_repondre,
    declaration_declarer_recevable,
    declaration_retirer,
)
from collectifs.services.depot import date_fr
from fonds.models import BilanAnnuel
from instances.enums import ChoixVote
from instances.services import seance_preparer
from tests.collectifs.suivi import decider, instance_de_la_loire
from tests.fonds.test_vues_bilans import construire
from tests.vues import Page, brouillon_pret, deposer

DEMANDE = "Précisez qui représente les habitant·es."


def _page(client, user, declaration: Declaration) -> Page:
    client.force_login(user)
    reponse = client.get(reverse("instances:declaration_detail", args=[declaration.pk]))
    assert reponse.status_code == 200
    return Page(reponse)


def _chronologie(page: Page) -> Any:
    return page.un("#ou-en-est")


def _evenements(page: Page) -> list[tuple[str, str]]:
    """Each line of « Ce qui s'est passé »: its machine-readable date and its text."""
    lignes = []
    for li in _chronologie(page).query_all("ol > li"):
        temps = li.query("time")
        lignes.append((Page.attribut(temps, "datetime") or "", Page.texte(li)))
    return lignes


def _titres(page: Page) -> list[str]:
    return [Page.texte(p) for p in _chronologie(page).query_all("ol > li p.fr-text--bold")]


def _prochaine(page: Page) -> str:
    return Page.texte(page.un("#prochaine-etape"))


def _qui(page: Page) -> str:
    """Who acts next (the first term of the next step's list)."""
    return Page.texte(page.tous("#prochaine-etape dd")[0])


def _depose(distribution) -> Declaration:
    declaration, _ = deposer(brouillon_pret(distribution.collectif_a))
    return declaration


# --- Filed: the instruction deadline, stated plainly -------------------------------------------------------------


def test_la_chronologie_vient_en_premier_avec_l_echeance_de_l_instruction(distribution, client):
    declaration = _depose(distribution)
    page = _page(client, distribution.referent_a, declaration)

    premiere = page.tous(".fr-col-md-8 > section")[0]
    assert Page.attribut(premiere, "id") == "ou-en-est"
    echeance = timezone.localtime(declaration.echeance_instruction).date()
    phrase = page.un("#examen-au-plus-tard")
    assert Page.texte(phrase) == f"Votre dossier sera examiné au plus tard le {date_fr(echeance)}."
    assert Page.attribut(phrase.query("time"), "datetime") == echeance.isoformat()
    assert _prochaine(page).startswith("Prochaine étape L’équipe départementale examine votre dossier.")
    assert _qui(page) == "L’équipe départementale"
    assert _titres(page) == ["Déclaration commencée", "Déclaration déposée"]
    depot = timezone.localtime(declaration.deposee_le)
    assert _evenements(page)[1][0][:16] == depot.isoformat()[:16]
    # The process chart stays one link away.
    lien = reverse("workflow:processus_declaration", kwargs={"pk": declaration.pk})
    assert Page.texte(page.un(f'#ou-en-est a[href="{lien}"]')) == "Voir le schéma détaillé du traitement"


def test_le_personnel_lit_la_meme_chronologie_a_la_troisieme_personne(distribution, client):
    declaration = _depose(distribution)
    page = _page(client, distribution.instructeur_42, declaration)
    assert Page.texte(page.un("#examen-au-plus-tard")).startswith("Le dossier sera examiné au plus tard le ")
    assert "L’équipe départementale examine le dossier." in _prochaine(page)


# --- A request for more: who must answer, by when --------------------------------------------------------------


def test_une_demande_de_complements_dit_qui_doit_repondre_et_avant_quand(distribution, client):
    declaration = _depose(distribution)
    demande = complements_demander(acteur=distribution.instructeur_42, declaration=declaration, message=DEMANDE)
    declaration = Declaration.objects.get(pk=declaration.pk)

    page = _page(client, distribution.referent_a, declaration)
    echeance = date_fr(demande.echeance)
    assert f"Vous devez répondre à la demande de compléments avant le {echeance}." in _prochaine(page)
    assert Page.attribut(page.un("#prochaine-etape dd time"), "datetime") == demande.echeance.isoformat()
    assert "Compléments demandés par l’équipe départementale" in _titres(page)
    assert f"À fournir avant le {echeance}." in Page.texte(_chronologie(page))
    # The instruction is still under way: its deadline stays stated.
    assert page.tous("#examen-au-plus-tard")

    page = _page(client, distribution.instructeur_42, declaration)
    assert f"Le collectif doit répondre à la demande de compléments avant le {echeance}." in _prochaine(page)


def test_la_reponse_apparait_et_l_examen_reprend(distribution, client):
    declaration = _depose(distribution)
    complements_demander(acteur=distribution.instructeur_42, declaration=declaration, message=DEMANDE)
    complements_repondre(acteur=distribution.referent_a, declaration=declaration, reponse="Mme Granger.")
    page = _page(client, distribution.referent_a, Declaration.objects.get(pk=declaration.pk))
    titres = _titres(page)
    assert titres.index("Compléments demandés par l’équipe départementale") < titres.index(
        "Compléments envoyés par le collectif : la déclaration est déposée à nouveau"
    )
    assert "L’équipe départementale examine votre dossier." in _prochaine(page)


# --- Séance, decision --------------------------------------------------------------------------------------------


def test_inscrite_en_seance_la_date_de_la_seance_est_donnee(distribution, client):
    declaration = _depose(distribution)
    declaration = declaration_declarer_recevable(acteur=distribution.instructeur_42, declaration=declaration)
    instance, _, _ = instance_de_la_loire()
    quand = timezone.now() + datetime.timedelta(days=20)
    assert declaration.campagne is not None
    seance_preparer(
        acteur=distribution.instructeur_42,
        instance=instance,
        campagne=declaration.campagne,
        date=quand,
        lieu="Hôtel du Département",
        declarations=[declaration],
    )
    page = _page(client, distribution.referent_a, Declaration.objects.get(pk=declaration.pk))
    jour = date_fr(timezone.localtime(quand).date())
    assert f"L’instance départementale examine votre dossier lors de sa séance du {jour}." in _prochaine(page)
    assert _qui(page) == "L’instance départementale"
    assert "Dossier inscrit à l’ordre du jour de l’instance départementale" in _titres(page)
    assert f"Séance du {jour}." in Page.texte(_chronologie(page))
    # Past the instruction: no instruction deadline any more.
    assert not page.tous("#examen-au-plus-tard")


def test_la_decision_et_ce_que_le_membre_de_l_instance_ne_lit_pas(distribution, client):
    declaration = _depose(distribution)
    complements_demander(acteur=distribution.instructeur_42, declaration=declaration, message=DEMANDE)
    complements_repondre(acteur=distribution.referent_a, declaration=declaration, reponse="Mme Granger.")
    declaration = declaration_declarer_recevable(acteur=distribution.instructeur_42, declaration=declaration)
    instance, votants, membre = instance_de_la_loire()
    declaration, _, seance = decider(declaration, instance, votants, distribution.instructeur_42, [ChoixVote.POUR] * 3)

    page = _page(client, distribution.referent_a, declaration)
    assert "Décision de l’instance départementale : agrément" in _titres(page)
    assert f"Séance du {date_fr(timezone.localtime(seance.date).date())}." in Page.texte(_chronologie(page))
    assert "L’équipe départementale prépare la convention de financement." in _prochaine(page)

    # The instance's members do not read the exchanges of the instruction (SPEC §2).
    page = _page(client, membre, declaration)
    texte = Page.texte(_chronologie(page))
    assert "Décision de l’instance départementale : agrément" in _titres(page)
    assert "Compléments" not in texte and "À fournir avant le" not in texte


def test_un_dossier_retire_est_clos_avec_son_motif(distribution, client):
    declaration = _depose(distribution)
    declaration_retirer(acteur=distribution.referent_a, declaration=declaration, motif="Le projet est abandonné.")
    page = _page(client, distribution.referent_a, Declaration.objects.get(pk=declaration.pk))
    assert _prochaine(page) == "Le dossier est clos : il n’y a plus d’étape à venir."
    assert "Déclaration retirée par le collectif Motif : « Le projet est abandonné. »" in Page.texte(_chronologie(page))


# --- The convention: signature, payments, check-ins ----------------------------------------------------------------


def test_la_convention_ses_versements_et_le_prochain_bilan(distribution, client):
    monde = construire(distribution)
    declaration = monde.convention.declaration
    assert declaration is not None
    page = _page(client, distribution.referent_a, declaration)
    titres = _titres(page)
    assert f"Convention de financement {monde.convention.reference} signée" in titres
    premiere = monde.tranche(1)
    assert any(t.startswith("Tranche 1 versée : ") and t.endswith(" €") for t in titres)
    assert titres.index(f"Convention de financement {monde.convention.reference} signée") < next(
        i for i, t in enumerate(titres) if t.startswith("Tranche 1 versée")
    )
    bilan = BilanAnnuel.objects.get(convention=monde.convention, rang=1)
    assert f"Vous devez déposer le bilan de l’année 1 avant le {date_fr(bilan.echeance)}." in _prochaine(page)
    assert premiere.etat == "versee"


# --- Query counts: the same with 2 and with 20 events -----------------------------------------------------------

# The follow-up page (tests/collectifs/test_views_suivi_requetes.py details each query): for the référent of a file
# back in instruction, the timeline adds only the requests for more (one query), whatever their number.
REQUETES = {"referent_a": 16, "instructeur_42": 18}


@pytest.mark.parametrize("role", sorted(REQUETES))
@pytest.mark.parametrize("cycles", [1, 10])
def test_le_nombre_de_requetes_ne_depend_pas_de_la_longueur_de_la_chronologie(
    cycles, role, distribution, client, django_assert_num_queries
):
    declaration = _depose(distribution)
    for rang in range(cycles):
        complements_demander(acteur=distribution.instructeur_42, declaration=declaration, message=f"Demande {rang}")
        complements_repondre(acteur=distribution.referent_a, declaration=declaration, reponse=f"Réponse {rang}")
    client.force_login(distribution.utilisateur(role))
    url = reverse("instances:declaration_detail", args=[declaration.pk])
    client.get(url)
    with django_assert_num_queries(REQUETES[role]):
        reponse = client.get(url)
    page = Page(reponse)
    # Created, filed, taken in, then a request and its answer per cycle.
    assert len(_evenements(page)) == 3 + 2 * cycles
