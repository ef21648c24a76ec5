"""Reads of the instances app, scoped to a user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from instances.enums import EtatCampagne
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    Campagne,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Presidence,
    Seance,
)
from territoires.models import Departement
from territoires.selectors import departements


def campagnes_ouvertes() -> QuerySet[Campagne]:
    """Public: the open campaigns, by département (home page)."""
    return (
        Campagne.objects.filter(etat=EtatCampagne.OUVERTE)
        .select_related("departement")
        .order_by("departement__code", "-annee")
    )


def departements_instruits_par(user: Any) -> QuerySet[Departement]:
    """The départements a user instructs; all of them for national staff; none otherwise."""
    if not getattr(user, "is_authenticated", False):
        return Departement.objects.none()
    if user.est_equipe_nationale:
        return departements()
    return Departement.objects.filter(instructeurs__user=user)


def campagne_visible_to(user: Any) -> QuerySet[Campagne]:
    """Campaigns a user may see in the back office: national staff all, instructeurs their départements."""
    qs = Campagne.objects.select_related("departement")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    return qs.filter(departement__instructeurs__user=user)


def campagne_de_depot(departement: Departement) -> Campagne | None:
    """The campaign a declaration of this département is filed in: the open one, else the latest (R2)."""
    campagnes = Campagne.objects.filter(departement=departement).select_related("departement")
    return (
        campagnes.filter(etat=EtatCampagne.OUVERTE).order_by("-annee").first() or campagnes.order_by("-annee").first()
    )


def emails_des_instructeurs(departement_code: str) -> list[str]:
    """E-mail addresses of the active instructeurs of a département."""
    from comptes.models import User

    return list(
        User.objects.filter(instructeur__departements__code=departement_code, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def instance_visible_to(user: Any) -> QuerySet[InstanceDepartementale]:
    """Instances a user may see: national staff all; instructeurs their départements'; members their own."""
    qs = InstanceDepartementale.objects.select_related("departement")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.est_equipe_nationale:
        return qs
    return qs.filter(Q(departement__instructeurs__user=user) | Q(membres__user=user, membres__actif=True)).distinct()


def seance_visible_to(user: Any) -> QuerySet[Seance]:
    """Séances of the instances the user may see."""
    return Seance.objects.filter(instance__in=instance_visible_to(user)).select_related(
        "instance__departement", "campagne", "president"
    )


def presidence_en_cours(instance: InstanceDepartementale) -> Presidence | None:
    return instance.presidences.filter(fin__isnull=True).select_related("membre").first()


def presidence_suivante_proposee(instance: InstanceDepartementale) -> MembreInstance | None:
    """R6: the next active member in rotation order after the current president, wrapping around."""
    membres = list(instance.membres.filter(actif=True).order_by("rang_rotation"))
    if not membres:
        return None
    courante = presidence_en_cours(instance)
    if courante is None:
        return membres[0]
    suivants = [m for m in membres if m.rang_rotation > courante.membre.rang_rotation]
    return suivants[0] if suivants else membres[0]


def points_de(seance: Seance) -> QuerySet[PointOrdreDuJour]:
    """The agenda, in order, with what the séance page shows per point (constant number of queries)."""
    return (
        seance.points.select_related("declaration__collectif", "declaration__campagne")
        .prefetch_related("votes__membre", "conflits__membre")
        .order_by("rang")
    )


def places_restantes(campagne: Campagne) -> int:
    """R5: quota minus accepted declarations minus waitlisted ones already put back on an agenda."""
    from collectifs.enums import EtatDeclaration

    occupees = campagne.declarations.filter(
        Q(etat=EtatDeclaration.AGREEE) | Q(etat=EtatDeclaration.INSCRITE_EN_SEANCE, promue_le__isnull=False)
    ).count()
    return max(campagne.quota - occupees, 0)


def accompagnateurs_disponibles(departement_code: str) -> QuerySet[Accompagnateur]:
    """R10: the département's registry of active accompagnateurs."""
    return Accompagnateur.objects.filter(departement_id=departement_code, actif=True).order_by("nom", "prenom")


def accompagnement_en_cours(collectif: Any) -> dict[str, Any]:
    """R10: the collectif's current accompagnateur and since when, or None for both."""
    affectation = (
        AffectationAccompagnateur.objects.filter(collectif=collectif, fin__isnull=True)
        .select_related("accompagnateur")
        .first()
    )
    if affectation is None:
        return {"accompagnateur": None, "affecte_le": None}
    return {"accompagnateur": affectation.accompagnateur, "affecte_le": affectation.affecte_le}
