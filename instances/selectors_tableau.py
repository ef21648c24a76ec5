"""Reads of the dashboards (`config.tableaux`) about the departmental instances: the instructeur's départements and
their instance, the places used per open campaign, the séances to come, the last decisions, and who presides. Each
function runs a constant number of queries, whatever the number of séances, points or declarations.

A scope is a list of département codes, or None for every département (national staff)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from comptes.models import Acteur
from comptes.permissions import connecte
from documents.enums import TypeDocument
from documents.models import Document
from instances.enums import EtatSeance
from instances.models import MembreInstance, PointOrdreDuJour, Presidence, Seance
from instances.selectors import place_occupee
from territoires.models import Departement

# How many decisions a member's dashboard lists (the séance pages hold the rest).
DECISIONS_AFFICHEES = 5
ETATS_A_VENIR = (EtatSeance.PREPARATION, EtatSeance.EN_COURS)


def departements_et_instances(user: Acteur) -> list[Departement]:
    """The départements a user instructs, each with its instance (`departement.instance`, or none yet), in one
    query (`getattr(departement, "instance", None)` reads it without a query)."""
    if not connecte(user):
        return []
    return list(Departement.objects.filter(instructeurs__user=user).select_related("instance").order_by("code"))


def campagnes_ouvertes_avec_places(departements: list[str] | None) -> list[Campagne]:
    """R5: the open campaigns of the scope, each with `places_occupees` (`instances.selectors.place_occupee`), in
    one query."""
    occupees = Count("declarations", filter=place_occupee("declarations__"), distinct=True)
    campagnes = Campagne.objects.filter(etat=EtatCampagne.OUVERTE).select_related("departement")
    if departements is not None:
        campagnes = campagnes.filter(departement_id__in=departements)
    return list(campagnes.annotate(places_occupees=occupees).order_by("departement_id", "annee"))


def _seances_a_venir() -> QuerySet[Seance]:
    return (
        Seance.objects.filter(etat__in=ETATS_A_VENIR)
        .select_related("instance__departement", "campagne")
        .annotate(nombre_points=Count("points"))
        .order_by("date", "pk")
    )


def prochaine_seance(departements: list[str]) -> Seance | None:
    """R5: the first séance in preparation or in progress of these départements' instances (one query)."""
    return _seances_a_venir().filter(instance__departement_id__in=departements).first()


def recevables_sans_seance(departements: list[str]) -> int:
    """R5: the admissible declarations of these départements waiting for a séance's agenda (one query)."""
    return Declaration.objects.filter(
        collectif__departement_id__in=departements, etat=EtatDeclaration.RECEVABLE
    ).count()


def mandats_de(user: Acteur) -> list[MembreInstance]:
    """The active memberships of a user, with their instance, each carrying `preside` (holds the current
    presidency, R6), in one query."""
    if not connecte(user):
        return []
    presidence = Presidence.objects.filter(membre=OuterRef("pk"), fin__isnull=True)
    return list(
        MembreInstance.objects.filter(user=user, actif=True)
        .select_related("instance__departement")
        .annotate(preside=Exists(presidence))
        .order_by("instance__departement_id")
    )


def seances_a_venir_du_membre(user: Acteur, instance_ids: list[int]) -> list[Seance]:
    """R5: the séances to come of these instances, each with `nombre_points` and `convoque` (this user was
    convened), in one query."""
    convocation = Seance.convoques.through.objects.filter(seance_id=OuterRef("pk"), membreinstance__user_id=user.pk)
    return list(_seances_a_venir().filter(instance_id__in=instance_ids).annotate(convoque=Exists(convocation)))


def dernieres_decisions(instance_ids: list[int]) -> list[PointOrdreDuJour]:
    """R5: the last decisions of these instances' closed séances, newest first, each with `decision_emise` (its
    PDF exists) and `pv_emis` (the séance's minutes exist), in one query."""
    decision = Document.objects.filter(
        type=TypeDocument.DECISION,
        content_type__app_label="instances",
        content_type__model="pointordredujour",
        object_id=OuterRef("pk"),
    )
    proces_verbal = Document.objects.filter(
        type=TypeDocument.PROCES_VERBAL,
        content_type__app_label="instances",
        content_type__model="seance",
        object_id=OuterRef("seance_id"),
    )
    return list(
        PointOrdreDuJour.objects.filter(seance__instance_id__in=instance_ids, seance__etat=EtatSeance.CLOSE)
        .exclude(resultat="")
        .select_related("seance", "declaration__collectif")
        .annotate(decision_emise=Exists(decision), pv_emis=Exists(proces_verbal))
        .order_by("-seance__date", "rang")[:DECISIONS_AFFICHEES]
    )
