"""Who may do what on collectifs and declarations. Pure predicates; deny by default (CONVENTIONS §3.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.enums import ETATS_DECIDES, EtatDeclaration
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur_de

if TYPE_CHECKING:
    from collectifs.models import Collectif, Declaration


def est_referent(user: Acteur, collectif: Collectif) -> bool:
    """A référent of this collectif."""
    if not connecte(user):
        return False
    cache = getattr(collectif, "_prefetched_objects_cache", {})
    if "referents" in cache:
        return any(r.pk == user.pk for r in cache["referents"])
    return collectif.referents.filter(pk=user.pk).exists()


def can_voir_collectif(user: Acteur, collectif: Collectif) -> bool:
    """Référents of the collectif and national staff; instructeurs of its département once it has filed; its
    current accompagnateur (R10) (the same rule as selectors.collectif_visible_to)."""
    if est_referent(user, collectif) or est_equipe_nationale(user) or est_accompagnateur_de(user, collectif):
        return True
    return (
        est_instructeur_de(user, collectif.departement_id)
        and collectif.declarations.exclude(etat=EtatDeclaration.BROUILLON).exists()
    )


def can_modifier_collectif(user: Acteur, collectif: Collectif) -> bool:
    """Only the collectif's référents edit it and its members (R1, R20: on behalf of members without e-mail)."""
    return est_referent(user, collectif)


def can_modifier_declaration(user: Acteur, declaration: Declaration) -> bool:
    """Référents edit their draft, and again while a request for more is pending (R2, R4)."""
    return declaration.etat in (EtatDeclaration.BROUILLON, EtatDeclaration.A_COMPLETER) and est_referent(
        user, declaration.collectif
    )


def can_deposer_declaration(user: Acteur, declaration: Declaration) -> bool:
    """Référents of the collectif file its declaration (auto-proclamation, R2)."""
    return est_referent(user, declaration.collectif)


def can_retirer_declaration(user: Acteur, declaration: Declaration) -> bool:
    """Référents of the collectif withdraw it, with a reason (SPEC §5)."""
    return est_referent(user, declaration.collectif)


def est_membre_instance_de(user: Acteur, departement_code: str) -> bool:
    """An active member (with an account) of the département's instance."""
    return (
        connecte(user) and user.membres_instance.filter(actif=True, instance__departement_id=departement_code).exists()
    )


def est_membre_instance_a_l_ordre_du_jour(user: Acteur, declaration: Declaration) -> bool:
    """An active member (with an account) of the instance of a séance that has this declaration on its agenda
    (SPEC §2). Read through ``declaration.points`` (PointOrdreDuJour.related_name): collectifs sits below
    instances and does not import its models; the same rule as ``selectors.declaration_visible_to``."""
    return (
        connecte(user)
        and declaration.points.filter(
            seance__instance__membres__user=user, seance__instance__membres__actif=True
        ).exists()
    )


def est_accompagnateur_de(user: Acteur, collectif: Collectif) -> bool:
    """The accompagnateur currently assigned to this collectif (R10)."""
    return connecte(user) and collectif.affectations.filter(fin__isnull=True, accompagnateur__user=user).exists()


def can_voir_declaration(user: Acteur, declaration: Declaration) -> bool:
    """Référents always; once filed: instructeurs of the département, national staff and the collectif's
    accompagnateur (R10); the members of the instance once it is on one of its séances' agendas (SPEC §2)."""
    if est_referent(user, declaration.collectif):
        return True
    if declaration.etat == EtatDeclaration.BROUILLON:
        return False
    return can_voir_echanges_instruction(user, declaration) or est_membre_instance_a_l_ordre_du_jour(user, declaration)


def can_voir_echanges_instruction(user: Acteur, declaration: Declaration) -> bool:
    """The exchanges of the instruction (requests for more, their answers and PDFs): the collectif, its
    accompagnateur, the département's instructeurs and national staff; not the instance's members, who see the
    file once it is on an agenda, and the decisions (SPEC §2)."""
    if est_referent(user, declaration.collectif):
        return True
    if declaration.etat == EtatDeclaration.BROUILLON:
        return False
    return (
        est_equipe_nationale(user)
        or est_instructeur_de(user, declaration.collectif.departement_id)
        or est_accompagnateur_de(user, declaration.collectif)
    )


def can_instruire_declaration(user: Acteur, declaration: Declaration) -> bool:
    """R4: the instructeurs of the collectif's département instruct it (national staff do not)."""
    return est_instructeur_de(user, declaration.collectif.departement_id)


def can_repondre_complements(user: Acteur, declaration: Declaration) -> bool:
    """R4: the collectif's référents answer a request for more."""
    return est_referent(user, declaration.collectif)


def can_voir_messages(user: Acteur, declaration: Declaration) -> bool:
    """The thread is private to the collectif and its département's instructeurs (not the instance's members,
    nor national staff, nor the accompagnateur)."""
    if declaration.etat == EtatDeclaration.BROUILLON:
        return False
    return est_referent(user, declaration.collectif) or est_instructeur_de(user, declaration.collectif.departement_id)


def can_ecrire_message(user: Acteur, declaration: Declaration) -> bool:
    """The same people write, until the declaration is decided; then the thread is read-only."""
    return declaration.etat not in ETATS_DECIDES and can_voir_messages(user, declaration)


def can_voir_financements_anterieurs(user: Acteur, declaration: Declaration) -> bool:
    """R17: the département's instructeurs, the instance's members and national staff weigh earlier funding
    of the same institutions and territory; the collectif and its accompagnateur do not see it."""
    departement = declaration.collectif.departement_id
    return (
        est_equipe_nationale(user) or est_instructeur_de(user, departement) or est_membre_instance_de(user, departement)
    )


def can_saisir_pour_le_compte(user: Acteur, collectif: Collectif) -> bool:
    """R10, R20: a référent (for a member without e-mail) or the collectif's accompagnateur may enter data on
    behalf of someone, with their consent recorded."""
    return est_referent(user, collectif) or est_accompagnateur_de(user, collectif)
