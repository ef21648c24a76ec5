"""Routes of the fund's pages (R7, R8). Each block belongs to one views module."""

from django.urls import path

from fonds.views import conventions, national
from fonds.views import exports as vues_exports
from fonds.views import financeur as vues_financeur

app_name = "fonds"

urlpatterns: list = [
    # --- national: fund, funders, contributions, envelopes, ledger (fonds.views.national) ---
    path("", national.fonds_liste, name="fonds_liste"),
    path("nouveau/", national.fonds_nouveau, name="fonds_nouveau"),
    path("<int:pk>/", national.fonds_detail, name="fonds"),
    path("<int:pk>/enveloppes/", national.enveloppes, name="enveloppes"),
    path("<int:pk>/enveloppes/repartir/", national.enveloppe_repartir, name="enveloppe_repartir"),
    path("<int:pk>/abondements/", national.abondements, name="abondements"),
    path("<int:pk>/abondements/nouveau/", national.abondement_nouveau, name="abondement_nouveau"),
    path("<int:pk>/grand-livre/", national.grand_livre_page, name="grand_livre"),
    path("financeurs/", national.financeurs, name="financeurs"),
    path("financeurs/nouveau/", national.financeur_nouveau, name="financeur_nouveau"),
    path("financeurs/<int:pk>/inviter/", national.financeur_inviter, name="financeur_inviter"),
    # --- financeur: a funder's own view, invitations (fonds.views.financeur) ---
    path("financeurs/<int:pk>/", vues_financeur.financeur, name="financeur"),
    path("financeurs/invitations/<str:jeton>/", vues_financeur.invitation, name="invitation_financeur"),
    # --- conventions: signature, payments, cancellation, projects (fonds.views.conventions) ---
    path("conventions/", conventions.conventions, name="conventions"),
    path("conventions/projets/nouveau/", conventions.projet_nouveau, name="projet_nouveau"),
    path("conventions/<int:pk>/", conventions.convention, name="convention"),
    path("conventions/<int:pk>/signer/", conventions.convention_signer, name="convention_signer"),
    path("conventions/<int:pk>/annuler/", conventions.convention_annuler, name="convention_annuler"),
    path(
        "conventions/<int:pk>/tranches/<int:tranche_pk>/versement/",
        conventions.versement_enregistrer,
        name="versement_enregistrer",
    ),
    path(
        "conventions/<int:pk>/tranches/<int:tranche_pk>/liberer/", conventions.tranche_liberer, name="tranche_liberer"
    ),
    path(
        "conventions/<int:pk>/documents/<slug:numero>.pdf", conventions.convention_document, name="convention_document"
    ),
    # --- exports: CSV, XLSX, SCDL (fonds.views.exports) ---
    path("exports/", vues_exports.exports_liste, name="exports"),
    path("exports/scdl-subventions.csv", vues_exports.export_scdl, name="export_scdl"),
    path("exports/<slug:jeu>.<slug:format>", vues_exports.export, name="export"),
]

__all__ = ["path"]
