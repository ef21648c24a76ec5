"""Who may do what on the fund (R8). Pure predicates; deny by default (CONVENTIONS §3.7).

National staff change national objects only: the national fund, its funders, contributions and envelopes
(SPEC §2). A fund managed by a département is changed by that département's instructeurs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_accompagnateur_de, est_membre_instance_de, est_referent
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur_de
from fonds.enums import EtatBilan, EtatConvention, GestionFonds

if TYPE_CHECKING:
    from collectifs.models import Collectif
    from fonds.models import Convention, Financeur, Fonds, MiseADisposition, Tranche
    from fonds.models.bilans import BilanAnnuel


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


# --- mises à disposition (R9) ---


def employeur_de(user: Acteur) -> int | None:
    """The organisation whose secondments this account answers as its employer (its accepted invitation), or
    None."""
    acces = getattr(user, "acces_employeur", None) if connecte(user) else None
    return acces.organisation_id if acces is not None else None


def can_demander_mise_a_disposition(user: Acteur, collectif: Collectif) -> bool:
    """R9: a référent of the collectif requests the secondment of one of its professional members."""
    return est_referent(user, collectif)


def can_annuler_mise_a_disposition(user: Acteur, mise: MiseADisposition) -> bool:
    """R9: a référent of the collectif withdraws its request before the employer answered."""
    return est_referent(user, mise.collectif)


def can_repondre_mise_a_disposition(user: Acteur, mise: MiseADisposition) -> bool:
    """R9: only the employer (an accepted employer's login of the seconded person's organisation) acknowledges or
    declines a secondment."""
    return employeur_de(user) == mise.employeur_id and mise.employeur_id is not None


def can_voir_charge_employeurs(user: Acteur, departement_code: str) -> bool:
    """R9: the instance sees the load per employer: the département's instructeurs and instance members, and
    national staff."""
    return (
        est_equipe_nationale(user)
        or est_instructeur_de(user, departement_code)
        or est_membre_instance_de(user, departement_code)
    )


def can_voir_mise_a_disposition(user: Acteur, mise: MiseADisposition) -> bool:
    """R9: a secondment is read by the collectif's référents, its employer, and the instance (instructeurs and
    members of the département, national staff)."""
    return (
        est_referent(user, mise.collectif)
        or can_repondre_mise_a_disposition(user, mise)
        or can_voir_charge_employeurs(user, mise.collectif.departement_id)
    )


# --- bilans annuels (R11) ---------------------------------------------------------------------------------------


def _collectif_du_bilan(bilan: BilanAnnuel) -> Collectif | None:
    declaration = bilan.convention.declaration
    return declaration.collectif if declaration is not None else None


def can_voir_bilan(user: Acteur, bilan: BilanAnnuel) -> bool:
    """R11: a check-in is read by whoever reads its convention (the département's instructeurs, national staff, the
    collectif's référents) and by the collectif's accompagnateur (R10)."""
    if can_voir_convention(user, bilan.convention):
        return True
    collectif = _collectif_du_bilan(bilan)
    return collectif is not None and est_accompagnateur_de(user, collectif)


def can_saisir_bilan(user: Acteur, bilan: BilanAnnuel) -> bool:
    """R11, R10: the collectif's référents fill in, save and file their check-in while it is awaited or returned
    « à compléter », unless the convention was cancelled (a non-compliant or suspended convention still owes its
    check-in, R12); its accompagnateur may do it on the collectif's behalf (the service then requires a consent)."""
    if bilan.etat not in (EtatBilan.ATTENDU, EtatBilan.A_COMPLETER) or bilan.convention.etat == EtatConvention.ANNULEE:
        return False
    collectif = _collectif_du_bilan(bilan)
    return collectif is not None and (est_referent(user, collectif) or est_accompagnateur_de(user, collectif))


def saisit_pour_le_compte(user: Acteur, bilan: BilanAnnuel) -> bool:
    """R10, R20: the accompagnateur (not a référent) types this check-in on behalf of the collectif."""
    collectif = _collectif_du_bilan(bilan)
    return collectif is not None and not est_referent(user, collectif) and est_accompagnateur_de(user, collectif)


def can_instruire_bilan(user: Acteur, bilan: BilanAnnuel) -> bool:
    """R11: the instructeurs of the convention's département validate a filed check-in or return it « à
    compléter »; national staff change national objects only (SPEC §2)."""
    return bilan.etat == EtatBilan.DEPOSE and est_instructeur_de(user, bilan.convention.departement_id)
