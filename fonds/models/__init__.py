"""Models of the fund, one module per subject: `fonds` (the fund, its funders, envelopes, conventions, tranches,
payments and the ledger). Later subjects (the yearly check-in, secondments) get their own module, re-exported
here, so that `from fonds.models import …` stays the one way to import them."""

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

__all__ = [
    "AJOUT_SEUL",
    "ANNEE_MAX",
    "ANNEE_MIN",
    "Abondement",
    "AccesFinanceur",
    "Convention",
    "EcritureFonds",
    "EcritureFondsQuerySet",
    "Enveloppe",
    "Financeur",
    "Fonds",
    "Reservation",
    "Tranche",
    "Versement",
    "bilan_annuel_valide",
]
