"""Writes of the fund (R3 reservation, R7, R8): one module per subject, re-exported here."""

from fonds.services.conventions import (
    DonneesProjet,
    convention_annuler,
    convention_creer_pour_agrement,
    convention_signer,
    message_reservation,
    montants_par_defaut,
    projet_financer,
    reservation_couvre,
    tranche_liberer,
    verifier_montants,
    versement_enregistrer,
)
from fonds.services.financeurs import acces_financeur_accepter, financeur_inviter
from fonds.services.fonds import (
    abondement_enregistrer,
    enveloppe_repartir,
    financeur_creer,
    fonds_creer,
    mouvement_extourner,
)
from fonds.services.reservations import campagne_reserver

__all__ = [
    "DonneesProjet",
    "abondement_enregistrer",
    "acces_financeur_accepter",
    "campagne_reserver",
    "convention_annuler",
    "convention_creer_pour_agrement",
    "convention_signer",
    "enveloppe_repartir",
    "financeur_creer",
    "financeur_inviter",
    "fonds_creer",
    "message_reservation",
    "montants_par_defaut",
    "mouvement_extourner",
    "projet_financer",
    "reservation_couvre",
    "tranche_liberer",
    "verifier_montants",
    "versement_enregistrer",
]
