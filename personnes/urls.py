from django.urls import path

from personnes import views

app_name = "personnes"

urlpatterns = [
    path("compte/mes-donnees/", views.mes_donnees, name="mes_donnees"),
    path("compte/mes-donnees.zip", views.mes_donnees_zip, name="mes_donnees_zip"),
    path("collectifs/<int:pk>/membres/<int:membre_pk>/donnees.zip", views.membre_zip, name="membre_zip"),
    path("personnes/", views.recherche, name="recherche"),
    path("personnes/comptes/<int:pk>/donnees.zip", views.compte_zip, name="compte_zip"),
    path("personnes/comptes/<int:pk>/anonymiser/", views.compte_anonymiser, name="compte_anonymiser"),
    path("personnes/membres/<int:pk>/anonymiser/", views.membre_anonymiser, name="membre_anonymiser"),
]
