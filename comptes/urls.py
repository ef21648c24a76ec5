from django.contrib.auth import views as auth_views
from django.urls import path

from comptes import views

app_name = "comptes"
urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path("inscription/", views.inscription, name="inscription"),
    path("", views.compte, name="compte"),
    path("jeton/creer/", views.jeton_creer, name="jeton_creer"),
    path("jeton/revoquer/", views.jeton_revoquer, name="jeton_revoquer"),
]
