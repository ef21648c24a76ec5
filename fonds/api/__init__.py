"""API of the fund (R3, R7, R8): the same services and predicates as the pages, one module per sub-domain:

- `fonds`: the fund and its situation per year, funders and a funder's view, contributions, envelopes and their
  distribution, the ledger ↔ services.fonds;
- `conventions`: conventions, tranches and payments, signature, release, payment, cancellation, and projects of
  the other kinds of beneficiary ↔ services.conventions;
- `serializers`: how all of these read and what they accept (money as decimal strings).

The viewsets config/api_urls.py routes are re-exported here."""

from fonds.api.conventions import ConventionViewSet, TrancheViewSet, VersementViewSet
from fonds.api.fonds import AbondementViewSet, EcritureViewSet, EnveloppeViewSet, FinanceurViewSet, FondsViewSet

__all__ = [
    "AbondementViewSet",
    "ConventionViewSet",
    "EcritureViewSet",
    "EnveloppeViewSet",
    "FinanceurViewSet",
    "FondsViewSet",
    "TrancheViewSet",
    "VersementViewSet",
]
