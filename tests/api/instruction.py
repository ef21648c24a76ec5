"""The instruction world of the API tests (the API `monde` plus the Loire's instance) and its helpers."""

from __future__ import annotations

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from collectifs.enums import EtatDeclaration
from collectifs.models import AdhesionCharte, Charte, Declaration, DemandeComplements
from documents.models import Document
from instances import services as instances_services
from instances.enums import CollegeInstance
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Seance,
)
from territoires.models import Departement
from tests.api.conftest import PDF_DE_TEST, Monde
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES

R = "/api/v1/"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
ROLES_INSTRUCTION = [*ROLES, "membre_instance", "president", "accompagnateur"]


@dataclass
class MondeInstruction:
    """The API `monde`, plus the Loire's instance: five members (four voting; the first two have an account),
    the presidency given by rotation to the first, and the accompagnateur of collectif A (with an account)
    next to a second, unassigned one. Collectif A's filed declaration has accepted the charter: the R1/R2
    checks pass, so it may be declared recevable."""

    monde: Monde
    instance: InstanceDepartementale
    presidente: MembreInstance  # rank 1, presides; user "president"
    membre: MembreInstance  # rank 2; user "membre_instance"
    habitante: MembreInstance  # rank 3, no account
    partenaire: MembreInstance  # rank 4, no account
    observatrice: MembreInstance  # rank 5, no vote
    accompagnatrice: Accompagnateur  # assigned to collectif A; user "accompagnateur"
    accompagnateur_libre: Accompagnateur
    comptes: dict[str, Any]

    @property
    def d(self) -> Any:
        return self.monde.d

    @property
    def declaration(self) -> Declaration:
        return self.monde.deposee_a

    @property
    def votants(self) -> list[MembreInstance]:
        return [self.presidente, self.membre, self.habitante, self.partenaire]

    def utilisateur(self, role: str) -> Any:
        return self.comptes[role] if role in self.comptes else self.monde.utilisateur(role)


def construire(monde: Monde) -> MondeInstruction:
    d = monde.d
    loire = Departement.objects.get(code="42")
    instance = InstanceDepartementale.objects.create(departement=loire, nom="Instance départementale de la Loire")
    president = UserFactory(email="presidente.instance@exemple.fr", prenom="Hélène", nom="Roux")
    membre = UserFactory(email="membre.instance@exemple.fr", prenom="Marc", nom="Vidal")

    def sieger(rang: int, prenom: str, nom: str, institution: str, college: str, **extra: Any) -> MembreInstance:
        return MembreInstance.objects.create(
            instance=instance,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            rang_rotation=rang,
            **extra,
        )

    presidente = sieger(1, "Hélène", "Roux", "Conseil départemental", CollegeInstance.ELUS, user=president)
    membre_ = sieger(2, "Marc", "Vidal", "CCAS de Saint-Étienne", CollegeInstance.TRAVAILLEURS_SOCIAUX, user=membre)
    habitante = sieger(3, "Nadia", "Benali", "Amicale de Montreynaud", CollegeInstance.HABITANTS_USAGERS)
    partenaire = sieger(4, "Paul", "Chevalier", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS)
    observatrice = sieger(
        5, "Claire", "Morel", "Préfecture de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, votant=False
    )
    instances_services.presidence_faire_tourner(acteur=d.instructeur_42, instance=instance)

    compte_accompagnatrice = UserFactory(email="accompagnatrice@exemple.fr", prenom="Léa", nom="Garnier")
    accompagnatrice = Accompagnateur.objects.create(
        departement=loire, user=compte_accompagnatrice, prenom="Léa", nom="Garnier", structure="Coopérative Ellipse"
    )
    libre = Accompagnateur.objects.create(departement=loire, prenom="Tom", nom="Perrin", structure="Université")
    AffectationAccompagnateur.objects.create(
        collectif=d.collectif_a, accompagnateur=accompagnatrice, affecte_par=d.instructeur_42
    )
    adhesion = AdhesionCharte.objects.create(
        charte=Charte.objects.order_by("-version").first(), collectif=d.collectif_a, personne=d.referent_a
    )
    Declaration.objects.filter(pk=monde.deposee_a.pk).update(adhesion_charte=adhesion)
    return MondeInstruction(
        monde=monde,
        instance=instance,
        presidente=presidente,
        membre=membre_,
        habitante=habitante,
        partenaire=partenaire,
        observatrice=observatrice,
        accompagnatrice=accompagnatrice,
        accompagnateur_libre=libre,
        comptes={"membre_instance": membre, "president": president, "accompagnateur": compte_accompagnatrice},
    )


def mettre_en_etat(declaration: Declaration, etat: str) -> None:
    """Put a declaration in a state behind the services' back (setup only: transitions are tested elsewhere)."""
    Declaration.objects.filter(pk=declaration.pk).update(etat=etat)


def demande_en_attente(mi: MondeInstruction, echeance: datetime.date | None = None) -> DemandeComplements:
    """Collectif A's declaration waits for compléments (deadline in 20 days unless given)."""
    mettre_en_etat(mi.declaration, EtatDeclaration.A_COMPLETER)
    return DemandeComplements.objects.create(
        declaration=mi.declaration,
        message="Joignez le compte rendu de la dernière réunion.",
        echeance=echeance or timezone.localdate() + datetime.timedelta(days=20),
        demandee_par=mi.d.instructeur_42,
    )


def document_de_test(objet: Any, type: str, sequence: int) -> Document:
    """A stored document with fake bytes, attached to an object (real rendering is tested in documents/)."""
    numero = f"{type}-42-2027-{sequence:05d}"
    document = Document(
        numero=numero,
        type=type,
        departement="42",
        annee=2027,
        sequence=sequence,
        sha256=hashlib.sha256(PDF_DE_TEST).hexdigest(),
        taille=len(PDF_DE_TEST),
        titre=f"Document {numero}",
        content_type=ContentType.objects.get_for_model(objet),
        object_id=objet.pk,
    )
    document.fichier.save(f"{numero}.pdf", ContentFile(PDF_DE_TEST), save=False)
    document.save()
    return document


def point_de_test(mi: MondeInstruction, declaration: Declaration, rang: int = 1) -> PointOrdreDuJour:
    """A closed séance of the Loire with this declaration on its agenda (setup for documents)."""
    seance = Seance.objects.create(
        instance=mi.instance, campagne=mi.d.campagne, date=timezone.now(), lieu="Hôtel du département"
    )
    return PointOrdreDuJour.objects.create(seance=seance, declaration=declaration, rang=rang)


def client_de(user: Any) -> APIClient:
    """A second logged-in client, for journeys with two people."""
    client = APIClient()
    client.force_login(user)
    return client


def corps_pdf(reponse: Any) -> bytes:
    return b"".join(reponse.streaming_content if reponse.streaming else [reponse.content])
