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


# --- Administration of the instance and of the département's staff (issue 11) -----------------------------------


def can_administrer_instance(user: Acteur, departement_code: str) -> bool:
    """R5, R6: the département's instructeurs (and national staff, for any département) create the instance, set
    its quorum, presidency term and contact, add, edit and end its members and order the presidency rotation."""
    return gere_departement(user, departement_code)


def can_gerer_registre_accompagnateurs(user: Acteur, departement_code: str) -> bool:
    """R10: the département's instructeurs and national staff keep the registry of accompagnateur·rices: add,
    edit, take off the registry (once they follow no collectif) and put back."""
    return gere_departement(user, departement_code)


def can_voir_equipe(user: Acteur, departement_code: str) -> bool:
    """The « Équipe et invitations » page of a département (its instructeurs, the invitations and their
    history): the département's instructeurs and national staff."""
    return gere_departement(user, departement_code)


def can_inviter_personnel(user: Acteur, departement_code: str) -> bool:
    """National staff invite instructeurs, instance members and accompagnateur·rices in any département; an
    instructeur invites colleagues, members and accompagnateur·rices of their own départements only."""
    return gere_departement(user, departement_code)


def can_retirer_instructeur(user: Acteur, departement_code: str) -> bool:
    """Only national staff take a département away from an instructeur (SPEC §2: roles are given by national
    staff; an instructeur cannot remove a colleague)."""
    return est_equipe_nationale(user)
