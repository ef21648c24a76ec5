"""Routes of the fund's pages (R7, R8). Each block belongs to one views module."""

from django.urls import path

from fonds.views import bilans as vues_bilans
from fonds.views import conventions, national
from fonds.views import exports as vues_exports
from fonds.views import financeur as vues_financeur
from fonds.views import mises_a_disposition as vues_mad
from fonds.views import versements as vues_versements

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
    path("versements/", vues_versements.versements, name="versements"),
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
    # --- mises à disposition: requests, the employer's answer, the load per employer (fonds.views.mises_a_disposition)
    path(
        "collectifs/<int:collectif_pk>/mises-a-disposition/",
        vues_mad.mises_a_disposition_collectif,
        name="mises_a_disposition_collectif",
    ),
    path(
        "collectifs/<int:collectif_pk>/mises-a-disposition/nouvelle/",
        vues_mad.mise_a_disposition_nouvelle,
        name="mise_a_disposition_nouvelle",
    ),
    path("mises-a-disposition/<int:pk>/", vues_mad.mise_a_disposition, name="mise_a_disposition"),
    path(
        "mises-a-disposition/<int:pk>/prendre-acte/",
        vues_mad.mise_a_disposition_prendre_acte,
        name="mise_a_disposition_prendre_acte",
    ),
    path(
        "mises-a-disposition/<int:pk>/decliner/",
        vues_mad.mise_a_disposition_decliner,
        name="mise_a_disposition_decliner",
    ),
    path(
        "mises-a-disposition/<int:pk>/annuler/", vues_mad.mise_a_disposition_annuler, name="mise_a_disposition_annuler"
    ),
    path(
        "mises-a-disposition/<int:pk>/documents/<slug:numero>.pdf",
        vues_mad.mise_a_disposition_document,
        name="mise_a_disposition_document",
    ),
    path("employeurs/invitations/<str:jeton>/", vues_mad.invitation_employeur, name="invitation_employeur"),
    path("employeur/", vues_mad.employeur, name="employeur"),
    path("departements/<str:departement>/charge-des-employeurs/", vues_mad.charge_employeurs, name="charge_employeurs"),
    # --- bilans: the yearly check-ins, filed by the collectif, examined by the instructeurs (fonds.views.bilans) ---
    path("conventions/<int:pk>/bilans/", vues_bilans.bilans_convention, name="bilans_convention"),
    path("bilans/<int:pk>/", vues_bilans.bilan, name="bilan"),
    path("bilans/<int:pk>/valider/", vues_bilans.bilan_valider, name="bilan_valider"),
    path("bilans/<int:pk>/renvoyer/", vues_bilans.bilan_retourner, name="bilan_retourner"),
    # --- exports: CSV, XLSX, SCDL (fonds.views.exports) ---
    path("exports/", vues_exports.exports_liste, name="exports"),
    path("exports/scdl-subventions.csv", vues_exports.export_scdl, name="export_scdl"),
    path("exports/<slug:jeu>.<slug:format>", vues_exports.export, name="export"),
]

__all__ = ["path"]
