"""Factories of the departmental instance (R5, R6, R10), and helpers that build séance states through the
real services (a séance is prepared, opened, attended, voted and closed by instances.services)."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone

from collectifs.models import Collectif, Declaration
from collectifs.services import declaration_declarer_recevable
from instances.enums import CollegeInstance
from instances.models import Accompagnateur, InstanceDepartementale, MembreInstance, PointOrdreDuJour, Seance
from instances.services import (
    accompagnateur_affecter,
    point_statuer,
    presidence_faire_tourner,
    seance_clore,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from instances.tasks import emettre_documents_seance
from territoires.models import Departement
from tests.comptes.factories import UserFactory
from tests.instances.factories import CampagneFactory
from tests.mondes import SurDistribution
from tests.vues import brouillon_pret, deposer


class InstanceFactory(factory.django.DjangoModelFactory):
    """The instance of the Loire (one per département)."""

    class Meta:
        model = InstanceDepartementale
        django_get_or_create = ("departement",)

    departement = factory.LazyFunction(lambda: Departement.objects.get(code="42"))
    nom = factory.LazyAttribute(lambda o: f"Instance départementale — {o.departement.nom}")


class MembreInstanceFactory(factory.django.DjangoModelFactory):
    """A voting member of the Loire's instance, last in rotation order. Traits: `consultatif` (no vote),
    `avec_compte` (a user account, to log in)."""

    class Meta:
        model = MembreInstance

    instance = factory.SubFactory(InstanceFactory)
    prenom = factory.Sequence(lambda n: f"Claude{n}")
    nom = "Martin"
    institution = factory.Sequence(lambda n: f"Institution n°{n}")
    college = CollegeInstance.ELUS
    votant = True
    rang_rotation = factory.Sequence(lambda n: n + 1)

    class Params:
        consultatif = factory.Trait(votant=False)
        avec_compte = factory.Trait(user=factory.SubFactory(UserFactory))


class AccompagnateurFactory(factory.django.DjangoModelFactory):
    """An accompagnateur of the Loire's registry (R10)."""

    class Meta:
        model = Accompagnateur

    departement = factory.LazyFunction(lambda: Departement.objects.get(code="42"))
    prenom = factory.Sequence(lambda n: f"Alex{n}")
    nom = "Bernard"
    structure = "Coopérative d'accompagnement"
    email = factory.Sequence(lambda n: f"accompagnement{n}@exemple.fr")


class SeanceFactory(factory.django.DjangoModelFactory):
    """A bare séance in preparation, without agenda. Prefer `seance_preparer` (through `preparer`) to get the
    agenda and the convened members."""

    class Meta:
        model = Seance

    instance = factory.SubFactory(InstanceFactory)
    campagne = factory.SubFactory(CampagneFactory, departement=factory.SelfAttribute("..instance.departement"))
    date = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    lieu = "Hôtel du Département, Saint-Étienne"


def declaration_recevable(collectif: Collectif, instructeur: Any) -> Declaration:
    """File a complete declaration of the collectif as its référent, then declare it recevable (R4)."""
    declaration, _ = deposer(brouillon_pret(collectif))
    return declaration_declarer_recevable(acteur=instructeur, declaration=declaration)


def emettre_documents(seance: Seance) -> list[str]:
    """Run the job that closing queues after commit (minutes and decisions)."""
    return emettre_documents_seance.call(seance.pk)


PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# --- The world of the séance tests ---------------------------------------------------------------------------

# (prénom, nom, institution, college, votant, with an account): rang_rotation follows this order.
MEMBRES_LOIRE = [
    ("Hélène", "Roux", "Département de la Loire", CollegeInstance.ELUS, True, True),
    ("Jean", "Morel", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True, True),
    ("Nadia", "Haddad", "CCAS de Saint-Étienne", CollegeInstance.TRAVAILLEURS_SOCIAUX, True, False),
    ("Paul", "Girard", "Amicale des locataires de Montreynaud", CollegeInstance.HABITANTS_USAGERS, True, False),
    ("Lucie", "Faure", "MSA Ardèche Drôme Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, False, False),
]


@dataclass
class MondeSeances(SurDistribution):
    """On top of the shared `distribution`: the Loire's instance (4 voting members and 1 non-voting; Hélène
    Roux presides, Jean Morel is a member with an account), a Rhône instance, an accompagnateur assigned to
    collectif A, and a séance in preparation whose agenda holds collectif A's recevable declaration.
    Collectif B's declaration became recevable after the séance was prepared: it waits for the next one."""

    ROLES_PROPRES = ("membre", "president", "accompagnateur")

    instance: InstanceDepartementale
    instance_rhone: InstanceDepartementale
    membres: dict[str, MembreInstance]
    membre: Any
    president: Any
    accompagnateur: Any
    declaration_a: Declaration
    declaration_b: Declaration
    seance: Seance
    point: PointOrdreDuJour

    @property
    def votants(self) -> list[MembreInstance]:
        return [m for m in self.membres.values() if m.votant]

    def recharger(self) -> None:
        self.seance = Seance.objects.get(pk=self.seance.pk)
        self.point = PointOrdreDuJour.objects.get(pk=self.point.pk)


def construire_monde_seances(distribution: Any) -> MondeSeances:
    instructeur = distribution.instructeur_42
    instance = InstanceFactory(nom="Instance départementale de la Loire")
    membres = {}
    for rang, (prenom, nom, institution, college, votant, compte) in enumerate(MEMBRES_LOIRE, start=1):
        membres[prenom] = MembreInstanceFactory(
            rang_rotation=rang,
            instance=instance,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            votant=votant,
            user=UserFactory(email=f"{prenom.lower()}.{nom.lower()}@exemple.fr") if compte else None,
        )
    presidence_faire_tourner(acteur=instructeur, instance=instance)  # the first in rotation order presides
    instance_rhone = InstanceFactory(departement=Departement.objects.get(code="69"), nom="Instance du Rhône")
    MembreInstanceFactory(
        instance=instance_rhone, prenom="Rémi", nom="Chabert", institution="Métropole de Lyon", rang_rotation=1
    )
    accompagnateur = AccompagnateurFactory(
        prenom="Alex", nom="Bernard", user=UserFactory(email="alex.bernard@exemple.fr")
    )
    accompagnateur_affecter(acteur=instructeur, collectif=distribution.collectif_a, accompagnateur=accompagnateur)
    declaration_a = declaration_recevable(distribution.collectif_a, instructeur)
    seance = seance_preparer(
        acteur=instructeur,
        instance=instance,
        campagne=distribution.campagne,
        date=datetime.datetime(2027, 3, 15, 14, 30, tzinfo=PARIS),
        lieu="Hôtel du Département, Saint-Étienne",
    )
    declaration_b = declaration_recevable(distribution.collectif_b, instructeur)
    return MondeSeances(
        distribution=distribution,
        instance=instance,
        instance_rhone=instance_rhone,
        membres=membres,
        membre=membres["Jean"].user,
        president=membres["Hélène"].user,
        accompagnateur=accompagnateur.user,
        declaration_a=declaration_a,
        declaration_b=declaration_b,
        seance=seance,
        point=seance.points.get(),
    )


# --- States of the séance, reached through the services, as instructeur 42 ----------------------------------


def ouvrir(m: MondeSeances) -> None:
    seance_ouvrir(acteur=m.instructeur_42, seance=m.seance)
    m.recharger()


def en_seance(m: MondeSeances, presents: list[str] | None = None) -> None:
    """Opened, with these members present (by first name; default: everyone)."""
    ouvrir(m)
    choisis = [m.membres[p] for p in presents] if presents is not None else list(m.membres.values())
    seance_enregistrer_presences(acteur=m.instructeur_42, seance=m.seance, presents=choisis)


def votes(m: MondeSeances, choix: dict[str, str]) -> None:
    votes_enregistrer(acteur=m.instructeur_42, point=m.point, votes={m.membres[p]: c for p, c in choix.items()})


def votee(m: MondeSeances) -> None:
    """In session, everyone present, and the four voting members voted « pour » collectif A."""
    en_seance(m)
    votes(m, {"Hélène": "pour", "Jean": "pour", "Nadia": "pour", "Paul": "pour"})


def close(m: MondeSeances) -> None:
    """Voted, decided (agreed), closed, and the minutes and the decision issued."""
    votee(m)
    point_statuer(acteur=m.instructeur_42, point=m.point)
    seance_clore(acteur=m.instructeur_42, seance=m.seance)
    emettre_documents(m.seance)
    m.recharger()
