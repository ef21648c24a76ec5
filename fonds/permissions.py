"""Who may do what on the fund (R8). Pure predicates; deny by default (CONVENTIONS §3.7).

National staff change national objects only: the national fund, its funders, contributions and envelopes
(SPEC §2). A fund managed by a département is changed by that département's instructeurs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale, est_instructeur_de
from fonds.enums import GestionFonds

if TYPE_CHECKING:
    from fonds.models import Fonds


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
