"""Helpers of the fund tests: a funded Loire (a national fund, contributions, envelopes), a campaign opened
through the real service (which reserves), and séance decisions taken through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from campagnes.models import Campagne
from campagnes.services import campagne_ouvrir
from collectifs.models import Declaration
from comptes.models import User
from fonds.enums import NatureFinanceur
from fonds.models import Financeur, Fonds
from fonds.services import abondement_enregistrer, enveloppe_repartir, financeur_creer, fonds_creer
from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance, PointOrdreDuJour
from instances.services import (
    point_statuer,
    presidence_faire_tourner,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.instances.factories import CampagneFactory

E = Decimal


@dataclass
class LoireFinancee:
    national: User
    instructeur: User
    fonds: Fonds
    financeurs: dict[str, Financeur]
    instance: InstanceDepartementale
    membres: list[MembreInstance]


def loire_financee(
    *, enveloppes: dict[int, Decimal] | None = None, instructeur: User | None = None, national: User | None = None
) -> LoireFinancee:
    """A national fund with three funders (one contribution earmarked for the Loire), the given Loire envelopes
    (default: 2027 and 2028 at 100 000 €; 2029 is then projected), and the Loire's instance with 3 voters."""
    national = national or UserFactory(email="fonds.national@exemple.fr", national=True)
    instructeur = (
        instructeur or InstructeurFactory(user__email="fonds.instructeur@exemple.fr", departements=["42"]).user
    )
    fonds = fonds_creer(acteur=national, nom="Fonds national d'innovation sociale")
    financeurs = {
        "etat": financeur_creer(acteur=national, nom="État", nature=NatureFinanceur.ETAT, siret="11000201100044"),
        "loire": financeur_creer(acteur=national, nom="Département de la Loire", nature=NatureFinanceur.DEPARTEMENT),
        "fondation": financeur_creer(acteur=national, nom="Fondation Solidarités", nature=NatureFinanceur.FONDATION),
    }
    loire = Departement.objects.get(code="42")
    enveloppes = enveloppes if enveloppes is not None else {2027: E("100000.00"), 2028: E("100000.00")}
    for annee in range(2026, 2031):
        abondement_enregistrer(
            acteur=national, fonds=fonds, financeur=financeurs["etat"], annee=annee, montant=E("300000")
        )
        abondement_enregistrer(
            acteur=national, fonds=fonds, financeur=financeurs["fondation"], annee=annee, montant=E("100000")
        )
        abondement_enregistrer(
            acteur=national,
            fonds=fonds,
            financeur=financeurs["loire"],
            annee=annee,
            montant=E("50000"),
            departement_fleche=loire,
        )
    for annee, montant in enveloppes.items():
        enveloppe_repartir(acteur=national, fonds=fonds, departement=loire, annee=annee, montant=montant)
    instance = InstanceDepartementale.objects.create(departement=loire, nom="Instance départementale de la Loire")
    membres = [
        MembreInstance.objects.create(
            instance=instance,
            prenom=prenom,
            nom="Votant",
            institution=f"Institution {rang}",
            college=college,
            rang_rotation=rang,
        )
        for rang, (prenom, college) in enumerate(
            [
                ("Anne", CollegeInstance.ELUS),
                ("Bruno", CollegeInstance.TRAVAILLEURS_SOCIAUX),
                ("Chloé", CollegeInstance.HABITANTS_USAGERS),
            ],
            start=1,
        )
    ]
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    return LoireFinancee(national, instructeur, fonds, financeurs, instance, membres)


def campagne_ouverte(monde: LoireFinancee, *, annee: int = 2027, **champs: Any) -> Campagne:
    """A Loire campaign in preparation, opened through `campagne_ouvrir` (which reserves its envelope)."""
    valeurs = {"quota": 5, "enveloppe_annuelle": E("60000.00"), "montant_minimal_annuel": E("10000.00"), **champs}
    campagne = CampagneFactory(annee=annee, **valeurs)
    return campagne_ouvrir(acteur=monde.instructeur, campagne=campagne)


def point_pret(monde: LoireFinancee, campagne: Campagne, nom: str) -> PointOrdreDuJour:
    """A recevable declaration alone on the agenda of a séance in progress, every member present and « pour »."""
    declaration = DeclarationFactory(collectif=CollectifFactory(nom=nom), campagne=campagne, recevable=True)
    seance = seance_preparer(
        acteur=monde.instructeur,
        instance=monde.instance,
        campagne=campagne,
        date=datetime.datetime(campagne.annee, 3, 15, 14, 30, tzinfo=datetime.UTC),
        declarations=[declaration],
    )
    seance_ouvrir(acteur=monde.instructeur, seance=seance)
    seance_enregistrer_presences(acteur=monde.instructeur, seance=seance, presents=monde.membres)
    point = seance.points.get()
    votes_enregistrer(acteur=monde.instructeur, point=point, votes=dict.fromkeys(monde.membres, "pour"))
    return point


def agreer(monde: LoireFinancee, campagne: Campagne, nom: str) -> Declaration:
    """Take a declaration through a séance that votes « pour »: agreed, or waitlisted when no place or money."""
    point = point_statuer(acteur=monde.instructeur, point=point_pret(monde, campagne, nom))
    return Declaration.objects.get(pk=point.declaration_id)
