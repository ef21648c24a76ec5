"""Routes of mutualisation and capitalisation (R13, R14, R15, R18). Each block belongs to one views module."""

from django.urls import path  # noqa: F401  (each block adds its routes)

app_name = "mutualisation"

urlpatterns: list = [
    # --- rencontres: departmental meetings, invitations, attendance, notes and documents (views.rencontres) ---
    # --- fiches: practice sheets, their lifecycle, the sheet's PDF (views.fiches) ---
    # --- catalogue: the public catalogue /pratiques/ and its search (views.catalogue) ---
    # --- syntheses: the département's yearly synthesis (views.syntheses) ---
    # --- rapports: the national report, its job's progress, open-data files (views.rapports) ---
    # --- prix: departmental and national prizes (views.prix) ---
    # --- donnees: public open data (views.donnees) ---
]
