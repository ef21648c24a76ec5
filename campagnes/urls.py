from django.urls import path

from campagnes import views

app_name = "campagnes"
urlpatterns = [
    path("", views.campagnes, name="campagnes"),
    path("nouvelle/", views.campagne_nouvelle, name="campagne_nouvelle"),
    path("<int:pk>/", views.campagne, name="campagne"),
    path("<int:pk>/modifier/", views.campagne_modifier, name="campagne_modifier"),
    path("<int:pk>/ouvrir/", views.campagne_ouvrir, name="campagne_ouvrir"),
    path("<int:pk>/clore/", views.campagne_clore, name="campagne_clore"),
]
