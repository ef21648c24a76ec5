from django.urls import path

from comptes import views
from comptes.oidc import proconnect_active

app_name = "comptes"
urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
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

# ProConnect: no route at all unless the deployment configured it (docs/proconnect.md).
if proconnect_active():
    urlpatterns += [
        path("proconnect/connexion/", views.proconnect_connexion, name="proconnect_connexion"),
        path("proconnect/retour/", views.ProConnectRetourView.as_view(), name="proconnect_retour"),
    ]
