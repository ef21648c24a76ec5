"""Writes of the fund (R3 reservation, R7, R8): one module per subject, re-exported here."""

from fonds.services.bilans import (
    DonneesBilan,
    bilan_deposer,
    bilan_enregistrer,
    bilan_retourner,
    bilan_valider,
    bilans_prevoir,
    echeance_bilan,
)
from fonds.services.conformite import (
    conformite_verifier,
    conformites_reverifier,
    convention_reverifier,
    convention_suspendre_apres_grace,
)
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
from fonds.services.mises_a_disposition import (
    DonneesMiseADisposition,
    acces_employeur_accepter,
    mise_a_disposition_annuler,
    mise_a_disposition_decliner,
    mise_a_disposition_demander,
    mise_a_disposition_prendre_acte,
)
from fonds.services.reservations import campagne_reserver

__all__ = [
    "DonneesBilan",
    "DonneesMiseADisposition",
    "DonneesProjet",
    "abondement_enregistrer",
    "acces_employeur_accepter",
    "acces_financeur_accepter",
    "bilan_deposer",
    "bilan_enregistrer",
    "bilan_retourner",
    "bilan_valider",
    "bilans_prevoir",
    "campagne_reserver",
    "conformite_verifier",
    "conformites_reverifier",
    "convention_annuler",
    "convention_creer_pour_agrement",
    "convention_reverifier",
    "convention_signer",
    "convention_suspendre_apres_grace",
    "echeance_bilan",
    "enveloppe_repartir",
    "financeur_creer",
    "financeur_inviter",
    "fonds_creer",
    "message_reservation",
    "mise_a_disposition_annuler",
    "mise_a_disposition_decliner",
    "mise_a_disposition_demander",
    "mise_a_disposition_prendre_acte",
    "montants_par_defaut",
    "mouvement_extourner",
    "projet_financer",
    "reservation_couvre",
    "tranche_liberer",
    "verifier_montants",
    "versement_enregistrer",
]
