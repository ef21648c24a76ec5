"""Who may do what on campaigns. Pure predicates; deny by default (CONVENTIONS §3.7)."""

from __future__ import annotations

from typing import Any

from instances.enums import EtatCampagne
from instances.models import Campagne, InstanceDepartementale, MembreInstance, PointOrdreDuJour, Seance


def _connecte(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def est_equipe_nationale(user: Any) -> bool:
    return _connecte(user) and bool(user.est_equipe_nationale)


def est_instructeur(user: Any) -> bool:
    return _connecte(user) and getattr(user, "instructeur", None) is not None


def gere_departement(user: Any, departement_code: str) -> bool:
    """National staff, or an instructeur of this département."""
    if est_equipe_nationale(user):
        return True
    instructeur = getattr(user, "instructeur", None) if _connecte(user) else None
    return instructeur is not None and instructeur.departements.filter(code=departement_code).exists()


def can_voir_campagnes(user: Any) -> bool:
    """National staff and instructeurs see the back-office campaign list."""
    return est_equipe_nationale(user) or est_instructeur(user)


def can_creer_campagne(user: Any, departement_code: str) -> bool:
    """R3: national staff, or an instructeur of the département, create its campaign."""
    return gere_departement(user, departement_code)


def can_modifier_campagne(user: Any, campagne: Campagne) -> bool:
    """R3: the same people edit it until it closes (locked fields are refused by the service once open)."""
    return campagne.etat != EtatCampagne.CLOSE and gere_departement(user, campagne.departement_id)


def can_ouvrir_campagne(user: Any, campagne: Campagne) -> bool:
    """R3: national staff or the département's instructeurs open it."""
    return gere_departement(user, campagne.departement_id)


def can_clore_campagne(user: Any, campagne: Campagne) -> bool:
    """R3: national staff or the département's instructeurs close it."""
    return gere_departement(user, campagne.departement_id)


def est_membre_de(user: Any, instance: InstanceDepartementale) -> bool:
    """An active member of this instance, with an account."""
    return _connecte(user) and user.membres_instance.filter(instance=instance, actif=True).exists()


def est_president_de(user: Any, instance: InstanceDepartementale) -> bool:
    """The member holding the current presidency (R6)."""
    return _connecte(user) and instance.presidences.filter(fin__isnull=True, membre__user=user).exists()


def can_voir_instance(user: Any, instance: InstanceDepartementale) -> bool:
    """Instructeurs of the département, national staff and the instance's members see it."""
    return gere_departement(user, instance.departement_id) or est_membre_de(user, instance)


def can_faire_tourner_presidence(user: Any, instance: InstanceDepartementale) -> bool:
    """R6: the département's instructeurs (the secretariat) pass the presidency on, in rotation order."""
    return est_instructeur(user) and gere_departement(user, instance.departement_id)


def can_voir_seance(user: Any, seance: Seance) -> bool:
    """Instructeurs of the département, national staff and the instance's members see a séance."""
    return can_voir_instance(user, seance.instance)


def can_gerer_seance(user: Any, seance: Seance) -> bool:
    """R5: the secretariat (instructeurs of the département) and the president prepare and run a séance."""
    instance = seance.instance
    return (est_instructeur(user) and gere_departement(user, instance.departement_id)) or est_president_de(
        user, instance
    )


def can_declarer_conflit(user: Any, point: PointOrdreDuJour, membre: MembreInstance) -> bool:
    """R5: a member declares their own conflict of interest; the séance's managers record it for them."""
    return (membre.user_id is not None and membre.user_id == getattr(user, "pk", None)) or can_gerer_seance(
        user, point.seance
    )


def can_affecter_accompagnateur(user: Any, departement_code: str) -> bool:
    """R10: the département's instructeurs assign an accompagnateur from its registry."""
    return est_instructeur(user) and gere_departement(user, departement_code)
