"""Who may do what on the fund (R8). Pure predicates; deny by default (CONVENTIONS §3.7).

National staff change national objects only: the national fund, its funders, contributions and envelopes
(SPEC §2). A fund managed by a département is changed by that département's instructeurs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_referent
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur_de
from fonds.enums import GestionFonds

if TYPE_CHECKING:
    from fonds.models import Convention, Financeur, Fonds, Tranche


def can_creer_fonds(user: Acteur) -> bool:
    """R8: national staff create the fund (and the fund of a département that runs its own)."""
    return est_equipe_nationale(user)


def can_gerer_financeurs(user: Acteur) -> bool:
    """R8: national staff register the funders."""
    return est_equipe_nationale(user)


def can_gerer_fonds(user: Acteur, fonds: Fonds) -> bool:
    """R8: contributions and envelopes of a national fund are national staff's; those of a fund managed by a
    département are its instructeurs'."""
    if fonds.gestion == GestionFonds.NATIONALE:
        return est_equipe_nationale(user)
    return fonds.departement_id is not None and est_instructeur_de(user, fonds.departement_id)


def can_voir_fonds(user: Acteur) -> bool:
    """R8: the national fund pages (situation, envelopes, ledger) are national staff's."""
    return est_equipe_nationale(user)


def can_financer_projet(user: Acteur, fonds: Fonds, departement_code: str) -> bool:
    """R8: a project of another kind of beneficiary is recorded by national staff (national fund) or by the
    instructeurs of its département."""
    if est_instructeur_de(user, departement_code):
        return fonds.departement_id in (None, departement_code)
    return fonds.gestion == GestionFonds.NATIONALE and est_equipe_nationale(user)


def can_gerer_convention(user: Acteur, convention: Convention) -> bool:
    """R7: the instructeurs of the convention's département record its signature, payments and cancellation;
    national staff change national objects only (SPEC §2)."""
    return est_instructeur_de(user, convention.departement_id)


def can_liberer_tranche(user: Acteur, tranche: Tranche) -> bool:
    """R7: a tranche is released, paid or cancelled by the instructeurs of its convention's département."""
    return est_instructeur_de(user, tranche.convention.departement_id)


def can_voir_convention(user: Acteur, convention: Convention) -> bool:
    """R7: the convention is read by its département's instructeurs, national staff, and, for a collectif, its
    référents (on the follow-up page)."""
    if est_equipe_nationale(user) or est_instructeur_de(user, convention.departement_id):
        return True
    declaration = convention.declaration
    return declaration is not None and est_referent(user, declaration.collectif)


def can_voir_financeur(user: Acteur, financeur: Financeur) -> bool:
    """R8: a funder's view is read by the accounts it was given (invited by national staff) and national staff."""
    if est_equipe_nationale(user):
        return True
    return financeur_de(user) == financeur.pk


def financeur_de(user: Acteur) -> int | None:
    """The funder whose view this account reads (its accepted invitation), or None."""
    acces = getattr(user, "acces_financeur", None) if connecte(user) else None
    return acces.financeur_id if acces is not None else None


def can_inviter_financeur(user: Acteur) -> bool:
    """R8: national staff give a funder its login."""
    return est_equipe_nationale(user)
