from django.urls import path

from collectifs import views

app_name = "collectifs"
urlpatterns = [
    path("collectifs/", views.collectifs, name="collectifs"),
    path("collectifs/nouveau/", views.collectif_nouveau, name="collectif_nouveau"),
    path("collectifs/<int:pk>/referents/", views.referent_inviter, name="referent_inviter"),
    path("collectifs/<int:pk>/membres/", views.membres_pour_autrui, name="membres_pour_autrui"),
    path("collectifs/<int:pk>/membres/<int:membre_pk>/", views.membre_pour_autrui, name="membre_pour_autrui"),
    path("invitations/<str:jeton>/", views.invitation, name="invitation"),
    path("declarations/<int:pk>/collectif/", views.etape_collectif, name="etape_collectif"),
    path("declarations/<int:pk>/membres/", views.etape_membres, name="etape_membres"),
    path("declarations/<int:pk>/membres/<int:membre_pk>/", views.membre_modifier, name="membre_modifier"),
    path("declarations/<int:pk>/projet/", views.etape_projet, name="etape_projet"),
    path("declarations/<int:pk>/indicateurs/", views.etape_indicateurs, name="etape_indicateurs"),
    path("declarations/<int:pk>/charte/", views.etape_charte, name="etape_charte"),
    path("declarations/<int:pk>/recapitulatif/", views.etape_recapitulatif, name="etape_recapitulatif"),
    path("declarations/<int:pk>/deposer/", views.declaration_deposer, name="deposer"),
    path("declarations/<int:pk>/recepisse.pdf", views.declaration_recepisse, name="recepisse"),
    path("declarations/<int:pk>/retirer/", views.declaration_retirer, name="retirer"),
    path("instruction/", views.instruction, name="instruction"),
    path("formulaire-declaration.pdf", views.formulaire_vierge, name="formulaire_vierge"),
]
