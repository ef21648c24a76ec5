"""Who may do what on campaigns (R3). Pure predicates; deny by default (CONVENTIONS §3.7).

The model imports this module for its transition permissions, so the model is imported for types only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campagnes.enums import EtatCampagne
from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale, est_instructeur, est_instructeur_de

if TYPE_CHECKING:
    from campagnes.models import Campagne


def can_voir_campagnes(user: Acteur) -> bool:
    """National staff and instructeurs see the back-office campaign list (national staff: read only)."""
    return est_equipe_nationale(user) or est_instructeur(user)


def can_creer_des_campagnes(user: Acteur) -> bool:
    """Instructeurs (of at least one département) create campaigns; national staff do not (SPEC §2: they see
    everything and change only national objects)."""
    return est_instructeur(user)


def can_creer_campagne(user: Acteur, departement_code: str) -> bool:
    """R3: the département's instructeurs create its campaign (not national staff, SPEC §2)."""
    return est_instructeur_de(user, departement_code)


def can_modifier_campagne(user: Acteur, campagne: Campagne) -> bool:
    """R3: the same people edit it until it closes (locked fields are refused by the service once open)."""
    return campagne.etat != EtatCampagne.CLOSE and est_instructeur_de(user, campagne.departement_id)


def can_ouvrir_campagne(user: Acteur, campagne: Campagne) -> bool:
    """R3: the département's instructeurs open it (national staff only read it)."""
    return est_instructeur_de(user, campagne.departement_id)


def can_clore_campagne(user: Acteur, campagne: Campagne) -> bool:
    """R3: the département's instructeurs close it (national staff only read it)."""
    return est_instructeur_de(user, campagne.departement_id)
