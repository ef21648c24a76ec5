"""Helpers of the declaration process tests: the nine roles of the permission matrices, filing through the real
service with the process started after commit, and what the process is waiting for.

Every object has fixed names (no Faker value is asserted on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from collectifs.models import Declaration, DemandeComplements
from collectifs.services import complements_demander, complements_repondre, declaration_instruire
from instances.enums import CollegeInstance
from instances.models import Accompagnateur, AffectationAccompagnateur, InstanceDepartementale, MembreInstance
from instances.services import presidence_faire_tourner
from journal.fsm import transition_appliquer
from tests.comptes.factories import UserFactory
from tests.mondes import SurDistribution
from tests.vues import brouillon_pret, deposer
from workflow.models import ProcessusDeclaration

# The roles of SPEC §2 that the task pages must tell apart (R4, R5, R10).
ROLES = [
    "anonyme",
    "referent_a",
    "referent_b",
    "instructeur_42",
    "instructeur_autre",
    "national",
    "membre_instance",
    "president",
    "accompagnateur",
]


@dataclass
class Scene(SurDistribution):
    """The shared `distribution` (collectifs A and B of the Loire, their référents, the instructeurs of the Loire
    and of the Rhône, national staff, the open campaign), plus the Loire's instance with a member and its
    president, and the accompagnateur of collectif A. `declaration` is collectif A's filed declaration."""

    ROLES_PROPRES = ("membre_instance", "president", "accompagnateur")

    instance: InstanceDepartementale
    membre_instance: Any
    president: Any
    accompagnateur: Any
    declaration: Declaration


def instance_de_la_loire(instructeur: Any) -> tuple[InstanceDepartementale, Any, Any]:
    """The Loire's instance: Anne Président (rank 1, made president by the rotation service) and Marc Membre."""
    instance = InstanceDepartementale.objects.create(departement_id="42", nom="Instance départementale de la Loire")
    president = UserFactory(email="presidente.instance@exemple.fr")
    membre = UserFactory(email="membre.instance@exemple.fr")
    MembreInstance.objects.create(
        instance=instance,
        user=president,
        prenom="Anne",
        nom="Président",
        institution="Conseil départemental",
        college=CollegeInstance.ELUS,
        rang_rotation=1,
    )
    MembreInstance.objects.create(
        instance=instance,
        user=membre,
        prenom="Marc",
        nom="Membre",
        institution="CAF de la Loire",
        college=CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        rang_rotation=2,
    )
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    return instance, membre, president


def accompagnateur_de(collectif: Any, instructeur: Any) -> Any:
    """Léa Accompagne, of the Loire's registry, assigned to the collectif (R10)."""
    user = UserFactory(email="accompagnatrice@exemple.fr")
    accompagnateur = Accompagnateur.objects.create(
        departement_id="42", user=user, prenom="Léa", nom="Accompagne", structure="Fédération des centres sociaux"
    )
    AffectationAccompagnateur.objects.create(
        collectif=collectif, accompagnateur=accompagnateur, affecte_par=instructeur
    )
    return user


def deposer_avec_processus(collectif: Any, capture: Any) -> Declaration:
    """File a ready draft of the collectif through the real service; the process starts after commit."""
    with capture(execute=True):
        declaration, _ = deposer(brouillon_pret(collectif))
    return declaration


def construire_scene(distribution: Any, capture: Any) -> Scene:
    """The `scene` fixture of each test module (fixtures are not shared outside a conftest)."""
    instance, membre, president = instance_de_la_loire(distribution.instructeur_42)
    return Scene(
        distribution=distribution,
        instance=instance,
        membre_instance=membre,
        president=president,
        accompagnateur=accompagnateur_de(distribution.collectif_a, distribution.instructeur_42),
        declaration=deposer_avec_processus(distribution.collectif_a, capture),
    )


# --- What the process is doing -------------------------------------------------------------------------------------


def processus(declaration: Declaration) -> ProcessusDeclaration:
    return ProcessusDeclaration.objects.get(declaration=declaration)


def taches(declaration: Declaration, *statuts: str) -> list[Task]:
    qs = Task.objects.filter(process_id=processus(declaration).pk).order_by("created", "pk")
    if statuts:
        qs = qs.filter(status__in=statuts)
    return list(qs)


def en_attente(declaration: Declaration) -> list[str]:
    """The nodes waiting for someone (human tasks and handles), by name."""
    return sorted(t.flow_task.name for t in taches(declaration, STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED))


def minuteurs(declaration: Declaration) -> dict[str, Any]:
    """The scheduled timers, by node name, with their due moment."""
    return {t.flow_task.name: t.scheduled for t in taches(declaration, STATUS.SCHEDULED)}


def tache_instruction(declaration: Declaration) -> Task:
    (tache,) = [
        t for t in taches(declaration, STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED) if t.flow_task.name == "instruction"
    ]
    return tache


# --- Domain steps, through the real services, with the process following after commit -----------------------------


def instruire(declaration: Declaration, instructeur: Any, capture: Any) -> None:
    with capture(execute=True):
        declaration_instruire(acteur=instructeur, declaration=declaration)


def demander(
    declaration: Declaration, instructeur: Any, capture: Any, echeance: date | None = None
) -> DemandeComplements:
    with capture(execute=True):
        return complements_demander(
            acteur=instructeur,
            declaration=declaration,
            message="Ajoutez la délibération de la mairie.",
            echeance=echeance,
        )


def repondre(declaration: Declaration, capture: Any) -> None:
    with capture(execute=True):
        complements_repondre(
            acteur=declaration.collectif.referents.first(),
            declaration=declaration,
            reponse="La délibération est jointe.",
        )


def transition(declaration: Declaration, nom: str, acteur: Any, capture: Any) -> None:
    """A séance transition journalled as the séance services do it (their rules are tested in tests/instances):
    the process only follows what the journal says."""
    with capture(execute=True), transaction.atomic():
        objet = Declaration.objects.select_for_update().get(pk=declaration.pk)
        transition_appliquer(objet, nom, acteur=acteur, verifier_permission=False)
