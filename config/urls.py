"""Root URL configuration."""

from django.conf import settings
from django.conf.urls.static import static
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
    path("documents/", include("documents.urls")),
    path("taches/", include("workflow.urls")),
    path("api/v1/", include(api_urls)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
