"""Who may do what on practice sheets (R14). Pure predicates; deny by default (CONVENTIONS §3.7).

A sheet is the collectif's until it is proposed: its référents write it (its accompagnateur too, on its behalf and
with its consent: R10, R20). Once proposed, the instructeurs of its département examine it (publish it, or return
it with a comment); once published it is public, and national staff may retain it for the national
capitalisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_accompagnateur_de, est_referent
from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale, est_instructeur_de
from mutualisation.enums import FICHE_PUBLIQUE, EtatFiche

if TYPE_CHECKING:
    from collectifs.models import Collectif
    from mutualisation.models import FichePratique


def est_publique(fiche: FichePratique) -> bool:
    """R14: a published or retained sheet is public (the catalogue, its page and its PDF)."""
    return fiche.etat in FICHE_PUBLIQUE


def ecrit_pour(user: Acteur, collectif: Collectif) -> bool:
    """The people who write the collectif's sheets: its référents and its current accompagnateur (R10)."""
    return est_referent(user, collectif) or est_accompagnateur_de(user, collectif)


def can_creer_fiche(user: Acteur, collectif: Collectif) -> bool:
    """R14: the collectif's référents start a sheet; its accompagnateur may, on its behalf (R10, R20)."""
    return ecrit_pour(user, collectif)


def can_voir_fiche(user: Acteur, fiche: FichePratique) -> bool:
    """R14: anyone reads a public sheet; the collectif's référents and accompagnateur read it in every state; the
    instructeurs of its département and national staff read it once it has been proposed (a draft is the
    collectif's own work)."""
    if est_publique(fiche) or ecrit_pour(user, fiche.collectif):
        return True
    if fiche.etat == EtatFiche.BROUILLON:
        return False
    return est_equipe_nationale(user) or est_instructeur_de(user, fiche.departement_id)


def can_rediger_fiche(user: Acteur, fiche: FichePratique) -> bool:
    """R14: a draft (new, or returned by the département) is written by the collectif's référents or its
    accompagnateur; a proposed sheet no longer changes."""
    return fiche.etat == EtatFiche.BROUILLON and ecrit_pour(user, fiche.collectif)


def redige_pour_le_compte(user: Acteur, collectif: Collectif) -> bool:
    """R10, R20: the accompagnateur (not a référent) writes on the collectif's behalf: the service asks for its
    consent."""
    return not est_referent(user, collectif) and est_accompagnateur_de(user, collectif)


def can_proposer_fiche(user: Acteur, fiche: FichePratique) -> bool:
    """R14: whoever writes the draft proposes it to the département (the service checks it is complete)."""
    return can_rediger_fiche(user, fiche)


def can_examiner_fiche(user: Acteur, fiche: FichePratique) -> bool:
    """R14: the instructeurs of the sheet's département publish a proposed sheet or return it with a comment;
    national staff change national objects only (SPEC §2)."""
    return fiche.etat == EtatFiche.PROPOSEE and est_instructeur_de(user, fiche.departement_id)


def can_retenir_fiche(user: Acteur, fiche: FichePratique) -> bool:
    """R14: national staff retain a published sheet for the national capitalisation."""
    return fiche.etat == EtatFiche.PUBLIEE and est_equipe_nationale(user)


def can_voir_fiches_departement(user: Acteur, departement_code: str) -> bool:
    """R14: the list of a département's sheets to examine is its instructeurs' (and national staff's)."""
    return est_equipe_nationale(user) or est_instructeur_de(user, departement_code)


def can_voir_fiches_nationales(user: Acteur) -> bool:
    """R14: the national list of published sheets, to retain, is national staff's."""
    return est_equipe_nationale(user)
