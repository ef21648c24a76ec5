"""Routes of the fund's pages (R7, R8). Each block belongs to one views module."""

from django.urls import path

app_name = "fonds"

urlpatterns: list = [
    # --- national: fund, funders, contributions, envelopes, ledger (fonds.views.national) ---
    # --- financeur: a funder's own view, invitations (fonds.views.financeur) ---
    # --- conventions: signature, payments, cancellation, projects (fonds.views.conventions) ---
    # --- exports: CSV, XLSX, SCDL (fonds.views.exports) ---
]

__all__ = ["path"]
