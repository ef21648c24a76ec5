from django.contrib.auth import views as auth_views
from django.urls import path

from comptes import views

app_name = "comptes"
urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path("inscription/", views.inscription, name="inscription"),
    path("mot-de-passe/oublie/", views.MotDePasseOublieView.as_view(), name="mot_de_passe_oublie"),
    path("mot-de-passe/oublie/envoye/", views.MotDePasseOublieEnvoyeView.as_view(), name="mot_de_passe_oublie_envoye"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.MotDePasseNouveauView.as_view(), name="mot_de_passe_nouveau"),
    path("mot-de-passe/reinitialise/", views.MotDePasseReinitialiseView.as_view(), name="mot_de_passe_reinitialise"),
    path("", views.compte, name="compte"),
    path("mot-de-passe/", views.mot_de_passe_changer, name="mot_de_passe_changer"),
    path("nom/", views.identite, name="identite"),
    path("adresse/", views.email_changer, name="email_changer"),
    path("adresse/confirmer/<str:jeton>/", views.email_confirmer, name="email_confirmer"),
    path("jeton/creer/", views.jeton_creer, name="jeton_creer"),
    path("jeton/revoquer/", views.jeton_revoquer, name="jeton_revoquer"),
]
