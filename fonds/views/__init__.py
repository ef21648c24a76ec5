"""Pages of the fund (DSFR, no JavaScript needed): one module per audience — `national` (fund, funders,
contributions, envelopes, ledger), `financeur` (a funder's own view), `conventions` (instructeurs' conventions,
signature, payments, cancellation, other-kind projects), `exports` (CSV, XLSX, SCDL)."""
