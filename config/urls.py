"""Root URL configuration."""

from django.contrib import admin
from django.urls import include, path

from config import api_urls, views

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("compte/tableau-de-bord/", views.tableau_de_bord, name="tableau_de_bord"),
    path("compte/", include("comptes.urls")),
    path("campagnes/", include("campagnes.urls")),
    path("", include("collectifs.urls")),
    path("", include("instances.urls")),
    path("fonds/", include("fonds.urls")),
    path("", include("mutualisation.urls")),
    path("documents/", include("documents.urls")),
    path("taches/", include("workflow.urls")),
    path("", include("personnes.urls")),
    path("api/v1/", include(api_urls)),
    path("admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT, not even under DEBUG: issued documents carry personal data and leave the
# server only through the views that check permissions (documents.views.reponse_pdf).
