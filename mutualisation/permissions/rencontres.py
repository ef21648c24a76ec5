"""Who may do what on the departmental meetings (R13). Pure predicates; deny by default (CONVENTIONS §3.7).

A meeting belongs to its département: its instructeurs plan it, invite collectifs, record attendance, share notes and
documents, and cancel it. National staff read every meeting and change none (SPEC §2). The référents and the
accompagnateur of an invited collectif read the meeting, its notes and its documents; other collectifs do not
(`mutualisation.selectors.rencontres.rencontres_visibles` gives them 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_accompagnateur_de, est_referent
from comptes.models import Acteur
from comptes.permissions import connecte, est_instructeur_de, gere_departement

if TYPE_CHECKING:
    from mutualisation.models import Rencontre


def can_planifier_rencontre(user: Acteur, departement_code: str) -> bool:
    """R13: the instructeurs of a département plan its meetings."""
    return est_instructeur_de(user, departement_code)


def can_voir_rencontres_departement(user: Acteur, departement_code: str) -> bool:
    """R13: the département's meetings page (the list and the yearly count against the target) is read by its
    instructeurs and by national staff."""
    return gere_departement(user, departement_code)


def est_invite(user: Acteur, rencontre: Rencontre) -> bool:
    """A référent or the current accompagnateur of a collectif invited to the meeting."""
    if not connecte(user):
        return False
    return any(
        est_referent(user, invitation.collectif) or est_accompagnateur_de(user, invitation.collectif)
        for invitation in rencontre.invitations.select_related("collectif")
    )


def can_voir_rencontre(user: Acteur, rencontre: Rencontre) -> bool:
    """R13: a meeting, its notes and its documents are read by the département's instructeurs, national staff, and
    the référents and accompagnateur of the invited collectifs."""
    return gere_departement(user, rencontre.departement_id) or est_invite(user, rencontre)


def can_gerer_rencontre(user: Acteur, rencontre: Rencontre) -> bool:
    """R13: the département's instructeurs change a meeting (details, invitations, attendance, notes, documents)
    until it is cancelled; national staff do not (SPEC §2)."""
    return rencontre.annulee_le is None and est_instructeur_de(user, rencontre.departement_id)


def can_annuler_rencontre(user: Acteur, rencontre: Rencontre) -> bool:
    """R13, R19: the département's instructeurs cancel a meeting, with a reason; a cancelled meeting stays."""
    return can_gerer_rencontre(user, rencontre)
