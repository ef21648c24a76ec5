"""Who may do what on the departmental syntheses and the national report (R15). Pure predicates; deny by default
(CONVENTIONS §3.7).

The synthesis is the département's: its instructeurs (the instance's secretariat) generate its figures; the
instance's text is written by the instructeurs or by the instance's current president, and either transmits it.
The instance's members and national staff read it. The national report is national staff's: they launch it and
read it, with its PDF and open-data files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_membre_instance_de
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur_de
from mutualisation.enums import EtatSynthese

if TYPE_CHECKING:
    from mutualisation.models import SyntheseDepartementale


def preside_instance_de(user: Acteur, departement_code: str) -> bool:
    """The member holding the current presidency (R6) of the département's instance."""
    return (
        connecte(user)
        and user.membres_instance.filter(
            actif=True,
            instance__departement_id=departement_code,
            # One join: a current term (`debut` is never null, so a member without any term does not match).
            presidences__debut__isnull=False,
            presidences__fin__isnull=True,
        ).exists()
    )


def can_voir_syntheses(user: Acteur, departement_code: str) -> bool:
    """R15: a département's syntheses are read by its instructeurs, the members of its instance, and national
    staff."""
    return (
        est_equipe_nationale(user)
        or est_instructeur_de(user, departement_code)
        or est_membre_instance_de(user, departement_code)
    )


def can_voir_synthese(user: Acteur, synthese: SyntheseDepartementale) -> bool:
    """R15: see `can_voir_syntheses`."""
    return can_voir_syntheses(user, synthese.departement_id)


def can_generer_synthese(user: Acteur, departement_code: str) -> bool:
    """R15: the département's instructeurs generate (or regenerate, while it is a draft) the figures of its
    synthesis; national staff change national objects only (SPEC §2)."""
    return est_instructeur_de(user, departement_code)


def can_rediger_synthese(user: Acteur, synthese: SyntheseDepartementale) -> bool:
    """R15: while the synthesis is a draft, the instance's text is written by the département's instructeurs or by
    the instance's current president."""
    return synthese.etat == EtatSynthese.BROUILLON and (
        est_instructeur_de(user, synthese.departement_id) or preside_instance_de(user, synthese.departement_id)
    )


def can_transmettre_synthese(user: Acteur, synthese: SyntheseDepartementale) -> bool:
    """R15: the instance transmits its draft synthesis (through its secretariat, the instructeurs, or its
    president); the service also requires the figures and the text."""
    return can_rediger_synthese(user, synthese)


def can_consolider_synthese(user: Acteur, synthese: SyntheseDepartementale) -> bool:
    """R15: the national report, launched by national staff, consolidates a transmitted synthesis."""
    return est_equipe_nationale(user)


def can_voir_rapports(user: Acteur) -> bool:
    """R15: the national reports, their progress, PDF and open-data files are national staff's."""
    return est_equipe_nationale(user)


def can_lancer_rapport(user: Acteur) -> bool:
    """R15: national staff launch (or relaunch) the national report of a year."""
    return est_equipe_nationale(user)
