"""Reads of the instances app, scoped to a user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from instances.enums import EtatCampagne
from instances.models import Campagne
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
