"""The benchmark's dataset generator (issue 13): a small run creates every kind of row, the same shape in each
département, every declaration state, sealed chains and a balanced ledger."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from viewflow.workflow.models import Process, Task

from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, Membre
from collectifs.selectors import declaration_visible_to
from comptes.models import User
from demo.banc.generateur import generer
from documents.models import Document
from fonds.models import BilanAnnuel, Convention, EcritureFonds, Fonds, Tranche, Versement
from instances.models import InstanceDepartementale, PointOrdreDuJour, Seance, Vote
from journal.models import TransitionLog
from mutualisation.models import FichePratique, SyntheseDepartementale
from tests.collectifs.factories import CollectifFactory
from tests.fonds.test_proprietes import verifier_invariants
from workflow.models import ProcessusDeclaration

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# 7 collectifs rather than 4: 6 bulk declarations per campaign cover the 5 states of a decided campaign and the
# 6 of an open one (one sampled collectif per campaign goes through the services).
PARAMETRES = {"campagnes": 2, "collectifs": 7, "membres": 5, "echantillon": 1}


def _par_departement(code: str) -> dict[str, int]:
    return {
        "collectifs": Collectif.objects.filter(departement_id=code).count(),
        "membres": Membre.objects.filter(collectif__departement_id=code).count(),
        "declarations": Declaration.objects.filter(collectif__departement_id=code).count(),
        "etats": sorted(Declaration.objects.filter(collectif__departement_id=code).values_list("etat", flat=True)),
        "seances": Seance.objects.filter(instance__departement_id=code).count(),
        "points": PointOrdreDuJour.objects.filter(seance__instance__departement_id=code).count(),
        "votes": Vote.objects.filter(point__seance__instance__departement_id=code).count(),
        "processus": ProcessusDeclaration.objects.filter(declaration__collectif__departement_id=code).count(),
        "conventions": Convention.objects.filter(departement_id=code).count(),
        "tranches": Tranche.objects.filter(convention__departement_id=code).count(),
        "versements": Versement.objects.filter(tranche__convention__departement_id=code).count(),
        "ecritures": EcritureFonds.objects.filter(departement_id=code).count(),
        "documents": Document.objects.filter(departement=code).count(),
        "fiches": FichePratique.objects.filter(departement_id=code).count(),
        "bilans": BilanAnnuel.objects.filter(convention__departement_id=code).count(),
        "processus_bilans": Process.objects.filter(
            artifact_content_type=ContentType.objects.get_for_model(BilanAnnuel),
            artifact_object_id__in=BilanAnnuel.objects.filter(convention__departement_id=code).values("pk"),
        ).count(),
        "syntheses": SyntheseDepartementale.objects.filter(departement_id=code).count(),
    }


def _processus_echantillon_et_copie(etat: str) -> tuple[ProcessusDeclaration, ProcessusDeclaration]:
    """The first sampled declaration's process in this state (collectifs made by the services are named
    « échantillon »), and the last copied one."""
    processus = ProcessusDeclaration.objects.filter(declaration__etat=etat).order_by("pk")
    sample = processus.filter(declaration__collectif__nom__contains="échantillon").first()
    copie = processus.exclude(declaration__collectif__nom__contains="échantillon").last()
    assert sample is not None and copie is not None
    return sample, copie


def _champs(processus: ProcessusDeclaration) -> dict[str, object]:
    return {
        "flow_class": str(processus.flow_class),
        "status": processus.status,
        "data": processus.data,
        "termine": processus.finished is not None,
        "parent_task": processus.parent_task_id,
        "seed": processus.seed_content_type_id,
        "artifact": processus.artifact_content_type_id,
    }


def _taches(processus: ProcessusDeclaration) -> list[tuple[str, str, bool]]:
    return [
        (str(tache.flow_task), tache.status, tache.owner_id is None)
        for tache in Task.objects.filter(process=processus).order_by("pk")
    ]


def test_un_petit_banc_cree_chaque_sorte_de_ligne_avec_la_meme_forme_par_departement():
    comptes = generer(["42", "69"], **PARAMETRES)

    for modele in (
        Collectif,
        Membre,
        Declaration,
        InstanceDepartementale,
        Seance,
        PointOrdreDuJour,
        Vote,
        TransitionLog,
        Document,
        Process,
        ProcessusDeclaration,
        Task,
        Convention,
        Tranche,
        Versement,
        EcritureFonds,
        FichePratique,
        SyntheseDepartementale,
        BilanAnnuel,
    ):
        assert modele.objects.exists(), modele
    assert comptes["collectifs.Collectif"] == 2 * 2 * 7
    assert comptes["collectifs.Membre"] == 2 * 2 * 7 * 5
    assert set(Declaration.objects.values_list("etat", flat=True)) == set(EtatDeclaration.values)
    loire, rhone = _par_departement("42"), _par_departement("69")
    assert loire == rhone
    assert all(nombre for nombre in loire.values())
    assert InstanceDepartementale.objects.count() == 2
    # Every filed declaration has its process, and the copies carry the tasks of the sampled process they copy.
    assert ProcessusDeclaration.objects.count() == Declaration.objects.exclude(etat="brouillon").count()
    # A copied process has, field by field, the rows the flow wrote for the sampled declaration in the same state.
    for etat in (EtatDeclaration.INSCRITE_EN_SEANCE, EtatDeclaration.AGREEE):
        sample, copie = _processus_echantillon_et_copie(etat)
        assert _taches(copie) == _taches(sample)
        assert _champs(copie) == _champs(sample)
    # A filed declaration waits in the instructeurs' queue (its instruction task is new, nobody holds it).
    deposee = ProcessusDeclaration.objects.filter(declaration__etat="deposee").order_by("-pk").first()
    assert ("Instruction", "NEW", True) in _taches(deposee)
    # Every check-in planned by a signature has its process, copied or started by the flow.
    assert loire["processus_bilans"] == loire["bilans"] == 3 * loire["conventions"]

    sortie = StringIO()
    call_command("verifier_journal", stdout=sortie)  # raises (non-zero exit) on a broken chain
    assert not TransitionLog.objects.filter(rang__isnull=True).exists()
    assert not EcritureFonds.objects.filter(rang__isnull=True).exists()
    assert not Document.objects.filter(rang__isnull=True).exists()
    verifier_invariants(Fonds.objects.get())

    national = User.objects.get(email="national@banc.invalid")
    assert national.est_equipe_nationale and not national.has_usable_password()
    instructeur = User.objects.get(email="instructeur.42@banc.invalid")
    premier = Collectif.objects.filter(departement_id="42").order_by("pk").first()
    assert User.objects.get(email=f"referent.{premier.pk}@banc.invalid").collectifs_referent.get() == premier
    referents = User.objects.filter(email__startswith="referent.", email__endswith="@banc.invalid")
    assert referents.count() == Collectif.objects.count()
    assert not referents.filter(collectifs_referent__isnull=True).exists()
    visibles = declaration_visible_to(instructeur)
    assert visibles.exists()
    assert set(visibles.values_list("collectif__departement_id", flat=True)) == {"42"}


def test_la_commande_refuse_une_base_non_vide():
    CollectifFactory()
    with pytest.raises(CommandError, match="La base contient déjà des collectifs"):
        call_command("banc_generer", "--departements", "42", stdout=StringIO())


def test_la_commande_refuse_un_departement_inconnu_sans_rien_ecrire():
    with pytest.raises(CommandError, match="Départements inconnus : 999"):
        call_command("banc_generer", "--departements", "42,999", stdout=StringIO())
    assert not User.objects.exists()
