"""The world of the administration tests (issue 11), on top of the shared `distribution`.

The Loire's instance: Hélène Roux (rank 1, presides, an account), Jean Morel (rank 2, an account), Nadia Haddad
(rank 3, no account), Paul Girard (rank 4, non-voting, no account). No instance in the Rhône, the other
instructeur's département. The Loire's registry: Alex Bernard (an account, follows collectif A) and Tom Perrin
(no account, follows nobody). A funder and an employer have accounts with no tie to any of this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from comptes.models import User
from fonds.enums import NatureFinanceur
from fonds.services import acces_financeur_accepter, financeur_creer, financeur_inviter
from instances.enums import CollegeInstance
from instances.models import Accompagnateur, InstanceDepartementale, MembreInstance
from instances.services import accompagnateur_affecter, presidence_faire_tourner
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.fonds.test_vues_conventions import compte_employeur
from tests.instances.factories_seances import AccompagnateurFactory, InstanceFactory, MembreInstanceFactory
from tests.mondes import SurDistribution

ROLES_ADMINISTRATION = [
    *[r for r in ROLES if r != "referent_b"],
    "membre",
    "president",
    "accompagnateur",
    "financeur",
    "employeur",
]

# (prénom, nom, institution, college, votant, with an account), in rotation order.
MEMBRES = [
    ("Hélène", "Roux", "Département de la Loire", CollegeInstance.ELUS, True, True),
    ("Jean", "Morel", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True, True),
    ("Nadia", "Haddad", "CCAS de Saint-Étienne", CollegeInstance.TRAVAILLEURS_SOCIAUX, True, False),
    ("Paul", "Girard", "Amicale des locataires", CollegeInstance.HABITANTS_USAGERS, False, False),
]


@dataclass
class MondeAdministration(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("membre", "president", "accompagnateur", "financeur", "employeur")

    instance: InstanceDepartementale
    membres: dict[str, MembreInstance]
    alex: Accompagnateur
    tom: Accompagnateur
    membre: User
    president: User
    accompagnateur: User
    financeur: User
    employeur: User


def construire_monde_administration(distribution: Any) -> MondeAdministration:
    national, instructeur = distribution.national, distribution.instructeur_42
    instance = InstanceFactory(nom="Instance départementale de la Loire")
    membres = {}
    for rang, (prenom, nom, institution, college, votant, compte) in enumerate(MEMBRES, start=1):
        membres[prenom] = MembreInstanceFactory(
            instance=instance,
            rang_rotation=rang,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            votant=votant,
            user=UserFactory(email=f"{prenom.lower()}.{nom.lower()}@exemple.fr") if compte else None,
        )
    presidence_faire_tourner(acteur=instructeur, instance=instance)  # Hélène presides
    alex = AccompagnateurFactory(
        prenom="Alex", nom="Bernard", email="alex.bernard@exemple.fr", user=UserFactory(email="alex.bernard@exemple.fr")
    )
    tom = AccompagnateurFactory(prenom="Tom", nom="Perrin", email="tom.perrin@exemple.fr")
    accompagnateur_affecter(acteur=instructeur, collectif=distribution.collectif_a, accompagnateur=alex)
    etat = financeur_creer(acteur=national, nom="État", nature=NatureFinanceur.ETAT, siret="11000201100044")
    financeur = UserFactory(email="contact@etat.exemple.fr")
    acces_financeur_accepter(
        acteur=financeur, acces=financeur_inviter(acteur=national, financeur=etat, email=financeur.email)
    )
    return MondeAdministration(
        distribution=distribution,
        instance=instance,
        membres=membres,
        alex=alex,
        tom=tom,
        membre=membres["Jean"].user,
        president=membres["Hélène"].user,
        accompagnateur=alex.user,
        financeur=financeur,
        employeur=compte_employeur(distribution.collectif_a.institutions_origine.first(), distribution.referent_a),
    )
