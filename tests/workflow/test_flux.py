"""The declaration process follows the domain (R4, R5): filing starts it, the instruction task is queued to the
département and comes back after compléments, recevable waits for the séance and its decision, the waiting list
loops back, and decision, withdrawal or classement sans suite end it."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.services import declaration_declarer_recevable, declaration_retirer
from instances.models import Seance
from instances.services import (
    point_statuer,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from tests.collectifs.factories import DeclarationFactory
from tests.workflow.scenario import (
    construire_scene,
    demander,
    en_attente,
    instruire,
    minuteurs,
    processus,
    repondre,
    tache_instruction,
    taches,
    transition,
)
from workflow import flows
from workflow.models import ProcessusDeclaration

E = EtatDeclaration


@pytest.fixture
def scene(distribution, django_capture_on_commit_callbacks):
    return construire_scene(distribution, django_capture_on_commit_callbacks)


def test_le_depot_demarre_un_seul_processus_avec_la_tache_d_instruction_en_file(scene):
    declaration = scene.declaration
    assert ProcessusDeclaration.objects.filter(declaration=declaration).count() == 1
    p = processus(declaration)
    assert p.status == PROCESS.NEW
    assert en_attente(declaration) == ["instruction"]
    tache = tache_instruction(declaration)
    # Queued to the département's instructeurs: nobody holds it yet.
    assert (tache.status, tache.owner_id) == (STATUS.NEW, None)
    # The automatic checks and the R17 count are computed once, when the task is created.
    assert tache.data["controles"] == {}
    assert tache.data["financements_anterieurs"] == 0
    # Reminder 7 days before the instruction deadline (60 days after filing), escalation at the deadline.
    echeance = declaration.deposee_le + timedelta(days=60)
    assert minuteurs(declaration) == {
        "instruction__timeout": echeance - flows.RAPPEL_INSTRUCTION_AVANT,
        "instruction__timeout_2": echeance,
    }


def test_le_demarrage_est_idempotent(scene):
    assert flows.processus_demarrer(scene.declaration.pk) is None
    assert ProcessusDeclaration.objects.filter(declaration=scene.declaration).count() == 1
    assert len([t for t in taches(scene.declaration) if t.flow_task.name == "instruction"]) == 1


def test_un_brouillon_n_a_pas_de_processus(distribution):
    brouillon = DeclarationFactory(collectif=distribution.collectif_b, prete=True)
    assert flows.processus_demarrer(brouillon.pk) is None
    assert not ProcessusDeclaration.objects.exists()


def test_prendre_en_instruction_attribue_la_tache(scene, django_capture_on_commit_callbacks):
    instruire(scene.declaration, scene.instructeur_42, django_capture_on_commit_callbacks)
    tache = tache_instruction(scene.declaration)
    assert (tache.status, tache.owner) == (STATUS.ASSIGNED, scene.instructeur_42)
    assert en_attente(scene.declaration) == ["instruction"]


def test_complements_puis_reponse_la_tache_d_instruction_revient(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    declaration = scene.declaration
    premiere = tache_instruction(declaration)
    # Asked straight from « déposée »: the service takes it into instruction first.
    demande = demander(declaration, scene.instructeur_42, capture)
    premiere.refresh_from_db()
    assert (premiere.status, premiere.owner) == (STATUS.DONE, scene.instructeur_42)
    assert en_attente(declaration) == ["complements"]
    # The instruction timers went with their task; the demande's own are armed.
    assert set(minuteurs(declaration)) == {"complements__timeout", "complements__timeout_2"}
    assert {t.status for t in taches(declaration) if t.flow_task.name.startswith("instruction__")} == {STATUS.CANCELED}

    repondre(declaration, capture)

    assert en_attente(declaration) == ["instruction"]
    revenue = tache_instruction(declaration)
    assert revenue.pk != premiere.pk
    # It comes back to the instructeur who asked, with the checks computed again.
    assert (revenue.status, revenue.owner) == (STATUS.ASSIGNED, scene.instructeur_42)
    assert revenue.data["controles"] == {}
    assert set(minuteurs(declaration)) == {"instruction__timeout", "instruction__timeout_2"}
    assert Declaration.objects.get(pk=declaration.pk).etat == E.EN_INSTRUCTION
    assert demande.pk


def test_la_tache_revient_dans_la_file_si_le_responsable_n_instruit_plus(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    demander(scene.declaration, scene.instructeur_42, capture)
    scene.instructeur_42.instructeur.departements.set(["69"])
    repondre(scene.declaration, capture)
    tache = tache_instruction(scene.declaration)
    assert (tache.status, tache.owner_id) == (STATUS.NEW, None)


def _recevable(scene, capture):
    with capture(execute=True):
        declaration_declarer_recevable(acteur=scene.instructeur_42, declaration=scene.declaration)


def test_recevable_attend_la_seance_puis_la_decision(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _recevable(scene, capture)
    assert en_attente(scene.declaration) == ["seance"]
    # Whoever declared it recevable holds the instruction task they completed.
    (instruction,) = [t for t in taches(scene.declaration) if t.flow_task.name == "instruction"]
    assert (instruction.status, instruction.owner) == (STATUS.DONE, scene.instructeur_42)
    assert minuteurs(scene.declaration) == {}

    with capture(execute=True):
        seance = seance_preparer(
            acteur=scene.instructeur_42,
            instance=scene.instance,
            campagne=scene.campagne,
            date=timezone.now() + timedelta(days=7),
        )
    assert en_attente(scene.declaration) == ["decision"]

    with capture(execute=True):
        seance_ouvrir(acteur=scene.instructeur_42, seance=seance)
        seance = Seance.objects.get(pk=seance.pk)
        seance_enregistrer_presences(
            acteur=scene.instructeur_42, seance=seance, presents=list(scene.instance.membres.all())
        )
        point = seance.points.get()
        votes_enregistrer(
            acteur=scene.instructeur_42, point=point, votes=dict.fromkeys(scene.instance.membres.all(), "pour")
        )
        point_statuer(acteur=scene.instructeur_42, point=point)

    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.AGREEE
    p = processus(scene.declaration)
    assert p.status == PROCESS.DONE and p.finished is not None
    assert en_attente(scene.declaration) == []
    assert [t.flow_task.name for t in taches(scene.declaration)][-2:] == ["issue_decision", "agreee"]


def test_la_liste_d_attente_reboucle_sur_la_decision(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _recevable(scene, capture)
    for nom, attendu in [
        ("inscrire_en_seance", ["decision"]),
        ("mettre_en_attente", ["liste_attente"]),
        ("inscrire_en_seance", ["decision"]),
        ("refuser", []),
    ]:
        transition(scene.declaration, nom, scene.instructeur_42, capture)
        assert en_attente(scene.declaration) == attendu, nom
    p = processus(scene.declaration)
    assert p.status == PROCESS.DONE
    noms = [t.flow_task.name for t in taches(scene.declaration)]
    assert noms.count("decision") == 2
    assert noms[-1] == "refusee"


@pytest.mark.parametrize("etape", ["deposee", "a_completer", "recevable", "inscrite_en_seance", "en_attente"])
def test_le_retrait_annule_le_processus(scene, django_capture_on_commit_callbacks, etape):
    capture = django_capture_on_commit_callbacks
    declaration = scene.declaration
    if etape == "a_completer":
        demander(declaration, scene.instructeur_42, capture)
    if etape in ("recevable", "inscrite_en_seance", "en_attente"):
        _recevable(scene, capture)
    if etape in ("inscrite_en_seance", "en_attente"):
        transition(declaration, "inscrire_en_seance", scene.instructeur_42, capture)
    if etape == "en_attente":
        transition(declaration, "mettre_en_attente", scene.instructeur_42, capture)
    assert Declaration.objects.get(pk=declaration.pk).etat == etape
    assert en_attente(declaration)

    with capture(execute=True):
        declaration_retirer(acteur=scene.referent_a, declaration=declaration, motif="Le collectif s'est dissous.")

    p = processus(declaration)
    assert p.status == PROCESS.CANCELED and p.finished is not None
    assert en_attente(declaration) == []
    assert minuteurs(declaration) == {}


def test_le_retrait_apres_agrement_ne_touche_pas_au_processus_termine(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _recevable(scene, capture)
    transition(scene.declaration, "inscrire_en_seance", scene.instructeur_42, capture)
    transition(scene.declaration, "agreer", scene.instructeur_42, capture)
    assert processus(scene.declaration).status == PROCESS.DONE
    with capture(execute=True):
        declaration_retirer(acteur=scene.referent_a, declaration=scene.declaration, motif="Fin du projet.")
    assert processus(scene.declaration).status == PROCESS.DONE


def test_le_classement_sans_suite_termine_le_processus(scene, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    demander(scene.declaration, scene.instructeur_42, capture)
    transition(scene.declaration, "classer_sans_suite", scene.instructeur_42, capture)
    p = processus(scene.declaration)
    assert p.status == PROCESS.DONE
    assert [t.flow_task.name for t in taches(scene.declaration)][-1] == "classee_sans_suite"
    assert minuteurs(scene.declaration) == {}


def test_une_erreur_du_processus_n_empeche_pas_la_transition(scene, django_capture_on_commit_callbacks, caplog):
    """The domain change is committed before the process follows: a failure is logged, not raised."""
    capture = django_capture_on_commit_callbacks
    with mock.patch("workflow.flows.processus_synchroniser", side_effect=RuntimeError("panne")):
        demander(scene.declaration, scene.instructeur_42, capture)
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.A_COMPLETER
    assert "n'a pas suivi la transition" in caplog.text
    # The next synchronisation catches up.
    flows.processus_synchroniser(scene.declaration.pk)
    assert en_attente(scene.declaration) == ["complements"]


def test_un_processus_demarre_en_retard_rattrape_l_etat_de_la_declaration(distribution):
    """A declaration decided before its process existed (data filed before the flow): the process catches up."""
    declaration = DeclarationFactory(
        collectif=distribution.collectif_a, campagne=distribution.campagne, prete=True, agreee=True
    )
    flows.processus_demarrer(declaration.pk)
    assert processus(declaration).status == PROCESS.DONE
    assert [t.flow_task.name for t in taches(declaration)] == [
        "depot",
        "instruction",
        "instruction__timeout",
        "instruction__timeout_2",
        "issue_instruction",
        "seance",
        "decision",
        "issue_decision",
        "agreee",
    ]
