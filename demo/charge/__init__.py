"""The bounded load test (issue 13): virtual users per role doing their journeys against a running server.

`demo.charge.parcours` holds the journeys and the runner (standard library only: threads and http.client);
`manage.py charge_preparer` creates the accounts they log in with, `manage.py charge_verifier` checks the invariants
afterwards. `make charge` (scripts/charge.sh) runs the three against gunicorn on PostgreSQL; docs/charge.md explains.
"""

# The accounts of the load test: `charge_preparer` creates them, the journeys log in with them.
DOMAINE_COMPTES = "charge.collectifs-ds.invalid"
ROLES = ("referent", "instructeur", "seance", "paiement", "catalogue")
# The campaign the référents file in and the instructeurs instruct: the demo's open Loire campaign.
DEPARTEMENT = "42"
# Every collectif created by the load test starts with this, so that the instructeurs pick only those.
PREFIXE_COLLECTIF = "Collectif de charge"
VARIABLE_MOT_DE_PASSE = "CHARGE_MOT_DE_PASSE"


def email_de(role: str, rang: int) -> str:
    """The login of the `rang`-th (from 1) virtual user of a role."""
    return f"{role}-{rang}@{DOMAINE_COMPTES}"
