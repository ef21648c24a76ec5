"""Building blocks of the follow-up tests: the Loire instance and a séance that decides a declaration."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from collectifs.models import Declaration
from instances.enums import CollegeInstance
from instances.models import (
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Seance,
)
from instances.services import (
    point_motiver_refus,
    seance_clore,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from instances.tasks import emettre_documents_seance
from territoires.models import Departement
from tests.comptes.factories import UserFactory


def instance_de_la_loire() -> tuple[InstanceDepartementale, list[MembreInstance], Any]:
    """The Loire instance: three voting members; the first one has an account."""
    instance = InstanceDepartementale.objects.create(
        departement=Departement.objects.get(code="42"), nom="Instance départementale de la Loire"
    )
    membre_user = UserFactory(email="membre.instance@exemple.fr")
    votants = [
        MembreInstance.objects.create(
            instance=instance,
            user=membre_user if rang == 1 else None,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            rang_rotation=rang,
        )
        for rang, (prenom, nom, institution, college) in enumerate(
            [
                ("Hélène", "Faure", "Département de la Loire", CollegeInstance.ELUS),
                ("Yannick", "Roux", "CCAS de Saint-Étienne", CollegeInstance.TRAVAILLEURS_SOCIAUX),
                ("Aïcha", "Mansouri", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS),
            ],
            start=1,
        )
    ]
    return instance, votants, membre_user


def decider(
    declaration: Declaration,
    instance: InstanceDepartementale,
    votants: list[MembreInstance],
    instructeur: Any,
    choix: list[str],
    refus: tuple[str, str] | None = None,
) -> tuple[Declaration, PointOrdreDuJour, Seance]:
    """A recevable declaration decided by a séance of the instance, through instances.services; the séance's
    documents (decisions and procès-verbal) are issued as after commit."""
    seance = seance_preparer(
        acteur=instructeur,
        instance=instance,
        campagne=declaration.campagne,
        date=timezone.now(),
        lieu="Hôtel du Département, Saint-Étienne",
        declarations=[declaration],
    )
    seance_ouvrir(acteur=instructeur, seance=seance)
    seance_enregistrer_presences(acteur=instructeur, seance=seance, presents=votants)
    point = seance.points.get()
    votes_enregistrer(acteur=instructeur, point=point, votes=dict(zip(votants, choix, strict=True)))
    if refus is not None:
        point_motiver_refus(acteur=instructeur, point=point, motif_refus=refus[0], motifs=refus[1])
    seance_clore(acteur=instructeur, seance=seance)
    emettre_documents_seance.call(seance.pk)
    return Declaration.objects.get(pk=declaration.pk), PointOrdreDuJour.objects.get(pk=point.pk), seance
