"""Who may do what on the instance, its séances and the accompagnement (R5, R6, R10). Pure predicates; deny by
default (CONVENTIONS §3.7). The models import this module for their transition permissions: models for types only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_accompagnateur_de, est_referent
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur, gere_departement

if TYPE_CHECKING:
    from collectifs.models import Collectif
    from instances.models import InstanceDepartementale, MembreInstance, PointOrdreDuJour, Seance


def est_membre_de(user: Acteur, instance: InstanceDepartementale) -> bool:
    """An active member of this instance, with an account."""
    return connecte(user) and user.membres_instance.filter(instance=instance, actif=True).exists()


def est_president_de(user: Acteur, instance: InstanceDepartementale) -> bool:
    """The member holding the current presidency (R6)."""
    return connecte(user) and instance.presidences.filter(fin__isnull=True, membre__user=user).exists()


def can_voir_instance(user: Acteur, instance: InstanceDepartementale) -> bool:
    """Instructeurs of the département, national staff and the instance's members see it."""
    return gere_departement(user, instance.departement_id) or est_membre_de(user, instance)


def can_faire_tourner_presidence(user: Acteur, instance: InstanceDepartementale) -> bool:
    """R6: the département's instructeurs (the secretariat) pass the presidency on, in rotation order."""
    return est_instructeur(user) and gere_departement(user, instance.departement_id)


def can_voir_seance(user: Acteur, seance: Seance) -> bool:
    """Instructeurs of the département, national staff and the instance's members see a séance."""
    return can_voir_instance(user, seance.instance)


def can_gerer_seance(user: Acteur, seance: Seance) -> bool:
    """R5: the secretariat (instructeurs of the département) and the president prepare and run a séance."""
    instance = seance.instance
    return (est_instructeur(user) and gere_departement(user, instance.departement_id)) or est_president_de(
        user, instance
    )


def can_declarer_conflit(user: Acteur, point: PointOrdreDuJour, membre: MembreInstance) -> bool:
    """R5: a member declares their own conflict of interest; the séance's managers record it for them."""
    return (membre.user_id is not None and membre.user_id == getattr(user, "pk", None)) or can_gerer_seance(
        user, point.seance
    )


def can_affecter_accompagnateur(user: Acteur, departement_code: str) -> bool:
    """R10: the département's instructeurs assign an accompagnateur from its registry."""
    return est_instructeur(user) and gere_departement(user, departement_code)


def can_voir_journal(user: Acteur, collectif: Collectif) -> bool:
    """R10: the research-action journal is read by the collectif's référents, its current accompagnateur, the
    département's instructeurs and national staff; not by the public, other collectifs, the instance's members,
    funders or employers."""
    return (
        est_referent(user, collectif)
        or est_accompagnateur_de(user, collectif)
        or gere_departement(user, collectif.departement_id)
    )


def can_ecrire_journal(user: Acteur, collectif: Collectif) -> bool:
    """R10: only the accompagnateur currently assigned to the collectif writes its journal."""
    return est_accompagnateur_de(user, collectif)


def can_voir_equite(user: Acteur, departement_code: str) -> bool:
    """R17: a département's equity dashboard: its instructeurs, the active members of its instance, national
    staff."""
    return gere_departement(user, departement_code) or (
        connecte(user) and user.membres_instance.filter(instance__departement_id=departement_code, actif=True).exists()
    )


def can_voir_equite_nationale(user: Acteur) -> bool:
    """R17: the national equity dashboard is national staff's."""
    return est_equipe_nationale(user)
