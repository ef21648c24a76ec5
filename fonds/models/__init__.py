"""Models of the fund, one module per subject: `fonds` (the fund, its funders, envelopes, conventions, tranches,
payments and the ledger). Later subjects (the yearly check-in, secondments) get their own module, re-exported
here, so that `from fonds.models import …` stays the one way to import them."""

from fonds.models.bilans import BilanAnnuel, ValeurIndicateur
from fonds.models.fonds import (
    AJOUT_SEUL,
    ANNEE_MAX,
    ANNEE_MIN,
    Abondement,
    AccesFinanceur,
    Convention,
    EcritureFonds,
    EcritureFondsQuerySet,
    Enveloppe,
    Financeur,
    Fonds,
    Reservation,
    Tranche,
    Versement,
    bilan_annuel_valide,
)
from fonds.models.mises_a_disposition import AccesEmployeur, MiseADisposition

__all__ = [
    "AJOUT_SEUL",
    "ANNEE_MAX",
    "ANNEE_MIN",
    "Abondement",
    "AccesEmployeur",
    "AccesFinanceur",
    "BilanAnnuel",
    "Convention",
    "EcritureFonds",
    "EcritureFondsQuerySet",
    "Enveloppe",
    "Financeur",
    "Fonds",
    "MiseADisposition",
    "Reservation",
    "Tranche",
    "ValeurIndicateur",
    "Versement",
    "bilan_annuel_valide",
]
