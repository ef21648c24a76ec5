"""Reads of the fund (R3, R7, R8): every balance is a sum over the ledger, never a stored number (ADR 0005).
One module per subject: `soldes` (balances and envelopes, re-exported here), `visibilite` (who sees which
convention), `parts` (the funders' shares), `tableaux` (the national and funder pages)."""

from fonds.selectors.soldes import (
    ZERO,
    EtatEnveloppe,
    Situation,
    Tous,
    annees_de_campagne,
    enveloppes_du_departement,
    fonds_du_departement,
    reservation_restante,
    situation_du_fonds,
    solde,
)

__all__ = [
    "ZERO",
    "EtatEnveloppe",
    "Situation",
    "Tous",
    "annees_de_campagne",
    "enveloppes_du_departement",
    "fonds_du_departement",
    "reservation_restante",
    "situation_du_fonds",
    "solde",
]
