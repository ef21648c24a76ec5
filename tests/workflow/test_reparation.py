"""A filed declaration whose process failed to start after commit (a crash between the commit and the receiver,
an error the receiver only logs) gets it back: `manage.py workflow_timers` (and `manage.py processus_reparer`)
start it and bring it to the node matching the declaration's state; `processus_synchroniser` does the same."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.status import STATUS

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from documents.models import Document
from journal.models import TransitionLog
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.workflow.scenario import deposer_avec_processus, en_attente, instruire, minuteurs, tache_instruction
from workflow import flows
from workflow.models import ProcessusDeclaration
from workflow.selectors import taches_instruction_de

E = EtatDeclaration


def deposer_sans_processus(collectif, capture) -> Declaration:
    """File through the real service while the start of the process fails after commit."""
    with mock.patch("workflow.flows.processus_demarrer", side_effect=RuntimeError("processus tué")):
        declaration = deposer_avec_processus(collectif, capture)
    assert declaration.etat == E.DEPOSEE
    assert not ProcessusDeclaration.objects.filter(declaration=declaration).exists()
    return declaration


def test_workflow_timers_repare_le_processus_manquant(distribution, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    declaration = deposer_sans_processus(distribution.collectif_a, capture)
    # The filing itself is complete: its journal row and its récépissé.
    assert TransitionLog.objects.filter(object_id=declaration.pk, transition="deposer").exists()
    assert Document.objects.filter(object_id=declaration.pk).exists()

    sortie = StringIO()
    with capture(execute=True):
        call_command("workflow_timers", stdout=sortie)
    assert sortie.getvalue().startswith("0 timer(s) fired")
    assert "1 processus réparé(s)" in sortie.getvalue()

    assert ProcessusDeclaration.objects.filter(declaration=declaration).count() == 1
    tache = tache_instruction(declaration)
    assert tache.status == STATUS.NEW and tache.owner_id is None
    # Queued to the Loire's instructeurs, not to the Rhône's.
    assert flows.DeclarationFlow.instruction.can_assign(distribution.instructeur_42, tache)
    assert not flows.DeclarationFlow.instruction.can_assign(distribution.instructeur_autre, tache)
    assert list(taches_instruction_de(distribution.instructeur_42)) == [tache]
    assert list(taches_instruction_de(distribution.instructeur_autre)) == []
    # Its reminder and escalation are scheduled from the filing date.
    assert set(minuteurs(declaration)) == {"instruction__timeout", "instruction__timeout_2"}

    # Idempotent.
    sortie = StringIO()
    call_command("workflow_timers", stdout=sortie)
    assert "0 processus réparé(s)" in sortie.getvalue()
    assert ProcessusDeclaration.objects.filter(declaration=declaration).count() == 1
    assert tache_instruction(declaration) == tache


def test_la_commande_processus_reparer(distribution, django_capture_on_commit_callbacks):
    declaration = deposer_sans_processus(distribution.collectif_a, django_capture_on_commit_callbacks)
    sortie = StringIO()
    call_command("processus_reparer", stdout=sortie)
    assert sortie.getvalue().strip() == "1 processus réparé(s), 0 encore manquant(s)."
    assert en_attente(declaration) == ["instruction"]
    sortie = StringIO()
    call_command("processus_reparer", stdout=sortie)
    assert sortie.getvalue().strip() == "0 processus réparé(s), 0 encore manquant(s)."


@pytest.mark.parametrize(
    ("etat", "attente"),
    [
        (E.EN_INSTRUCTION, ["instruction"]),
        (E.A_COMPLETER, ["complements"]),
        (E.RECEVABLE, ["seance"]),
        (E.INSCRITE_EN_SEANCE, ["decision"]),
        (E.EN_ATTENTE, ["liste_attente"]),
    ],
)
def test_le_processus_repare_rejoint_l_etat_de_la_declaration(distribution, etat, attente):
    declaration = DeclarationFactory(
        collectif=distribution.collectif_a, campagne=distribution.campagne, etat=etat, deposee_le=timezone.now()
    )
    assert flows.processus_reparer() == 1
    assert en_attente(declaration) == attente
    assert flows.processus_reparer() == 0


@pytest.mark.parametrize("etat", [E.BROUILLON, E.AGREEE, E.REFUSEE, E.RETIREE, E.CLASSEE_SANS_SUITE])
def test_ni_brouillon_ni_etat_final(distribution, etat):
    """A draft has no process yet; in a final state the process would have ended: nothing is started."""
    DeclarationFactory(collectif=distribution.collectif_a, campagne=distribution.campagne, etat=etat)
    assert flows.processus_reparer() == 0
    assert not ProcessusDeclaration.objects.exists()


def test_un_echec_n_arrete_pas_les_autres(distribution):
    premiere, seconde = (
        DeclarationFactory(collectif=c, campagne=distribution.campagne, etat=E.DEPOSEE, deposee_le=timezone.now())
        for c in (distribution.collectif_a, CollectifFactory(nom="Collectif C"))
    )
    vrai_demarrer = flows.processus_demarrer

    def demarrer(pk):
        if pk == premiere.pk:
            raise RuntimeError("échec")
        return vrai_demarrer(pk)

    with mock.patch("workflow.flows.processus_demarrer", side_effect=demarrer):
        assert flows.processus_reparer() == 1
    assert list(flows.declarations_sans_processus()) == [premiere]
    assert en_attente(seconde) == ["instruction"]


def test_la_transition_suivante_demarre_le_processus_manquant(distribution, django_capture_on_commit_callbacks):
    """`processus_synchroniser` (run after every transition) starts a missing process, and the instructeur who
    took the declaration holds its task."""
    capture = django_capture_on_commit_callbacks
    declaration = deposer_sans_processus(distribution.collectif_a, capture)
    instruire(declaration, distribution.instructeur_42, capture)
    tache = tache_instruction(declaration)
    assert tache.owner == distribution.instructeur_42
