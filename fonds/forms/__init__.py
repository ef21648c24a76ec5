"""Forms of the fund's pages (DSFR): `national` (fund, funders, contributions, envelopes, invitations) and
`conventions` (signature, payment, cancellation, other-kind projects)."""
