"""The world of the research-action journal and the proxy entries (R10, R20), on top of the shared `distribution`:
collectif A (Loire) has filed and is accompanied by Alex Bernard (an account); a second accompagnateur of the
registry, Tom Perrin, accompanies collectif B; a member of the Loire's instance, a funder and an employer have
accounts with no tie to collectif A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils import timezone

from collectifs.enums import ModeConsentement
from collectifs.services import DonneesConsentement
from instances.models import Accompagnateur, EntreeJournal
from instances.services import accompagnateur_affecter
from instances.services_journal import entree_journal_ajouter
from tests.collectifs.factories import DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.instances.factories_seances import AccompagnateurFactory, InstanceFactory, MembreInstanceFactory
from tests.mondes import SurDistribution

ROLES_JOURNAL = [*ROLES, "accompagnateur", "accompagnateur_b", "membre_instance", "financeur", "employeur"]

TEXTE_ENTREE = "Atelier de co-construction avec les habitant·es : la cuisine partagée ouvrira le jeudi."


def accord(**extra: Any) -> DonneesConsentement:
    """An oral consent gathered yesterday (the member is filled in by the service)."""
    valeurs: dict[str, Any] = {
        "pour_le_compte_de": "",
        "mode": ModeConsentement.ORAL,
        "recueilli_le": timezone.localdate() - datetime.timedelta(days=1),
    }
    valeurs.update(extra)
    return DonneesConsentement(**valeurs)


@dataclass
class MondeJournal(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = (
        "accompagnateur",
        "accompagnateur_b",
        "membre_instance",
        "financeur",
        "employeur",
    )

    accompagnatrice: Accompagnateur
    accompagnateur: Any
    accompagnateur_b: Any
    membre_instance: Any
    financeur: Any
    employeur: Any
    entree: EntreeJournal


def construire_monde_journal(distribution: Any) -> MondeJournal:
    DeclarationFactory(collectif=distribution.collectif_a, campagne=distribution.campagne, recevable=True)
    user_a = UserFactory(email="alex.bernard@exemple.fr")
    user_b = UserFactory(email="tom.perrin@exemple.fr")
    alex = AccompagnateurFactory(prenom="Alex", nom="Bernard", user=user_a)
    tom = AccompagnateurFactory(prenom="Tom", nom="Perrin", user=user_b)
    instructeur = distribution.instructeur_42
    # Assigned yesterday, so that entries dated yesterday are allowed.
    affectation = accompagnateur_affecter(acteur=instructeur, collectif=distribution.collectif_a, accompagnateur=alex)
    affectation.affecte_le = timezone.now() - datetime.timedelta(days=30)
    affectation.save(update_fields=["affecte_le"])
    accompagnateur_affecter(acteur=instructeur, collectif=distribution.collectif_b, accompagnateur=tom)
    membre_instance = UserFactory(email="membre.instance@exemple.fr")
    MembreInstanceFactory(instance=InstanceFactory(), user=membre_instance, rang_rotation=1)
    entree = entree_journal_ajouter(
        acteur=user_a,
        collectif=distribution.collectif_a,
        date_entree=timezone.localdate() - datetime.timedelta(days=2),
        texte=TEXTE_ENTREE,
    )
    return MondeJournal(
        distribution=distribution,
        accompagnatrice=alex,
        accompagnateur=user_a,
        accompagnateur_b=user_b,
        membre_instance=membre_instance,
        financeur=UserFactory(email="financeur@exemple.fr"),
        employeur=UserFactory(email="rh@exemple.fr"),
        entree=entree,
    )
