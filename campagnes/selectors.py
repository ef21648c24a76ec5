"""Reads of the campagnes app, scoped to a user (R3)."""

from __future__ import annotations

from django.db.models import QuerySet

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale
from territoires.models import Departement


def campagnes_ouvertes() -> QuerySet[Campagne]:
    """Public: the open campaigns, by département (home page)."""
    return (
        Campagne.objects.filter(etat=EtatCampagne.OUVERTE)
        .select_related("departement")
        .order_by("departement__code", "-annee")
    )


def campagne_visible_to(user: Acteur) -> QuerySet[Campagne]:
    """Campaigns a user may see in the back office: national staff all, instructeurs their départements."""
    qs = Campagne.objects.select_related("departement")
    if not connecte(user):
        return qs.none()
    if est_equipe_nationale(user):
        return qs
    return qs.filter(departement__instructeurs__user=user)


def campagne_de_depot(departement: Departement) -> Campagne | None:
    """The campaign a declaration of this département is filed in: the open one, else the latest (R2)."""
    campagnes = Campagne.objects.filter(departement=departement).select_related("departement")
    return (
        campagnes.filter(etat=EtatCampagne.OUVERTE).order_by("-annee").first() or campagnes.order_by("-annee").first()
    )
