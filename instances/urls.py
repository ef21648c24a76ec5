from django.urls import path

from instances import views

app_name = "instances"
urlpatterns = [
    # Campaigns (R3)
    path("", views.campagnes, name="campagnes"),
    path("nouvelle/", views.campagne_nouvelle, name="campagne_nouvelle"),
    path("<int:pk>/", views.campagne, name="campagne"),
    path("<int:pk>/modifier/", views.campagne_modifier, name="campagne_modifier"),
    path("<int:pk>/ouvrir/", views.campagne_ouvrir, name="campagne_ouvrir"),
    path("<int:pk>/clore/", views.campagne_clore, name="campagne_clore"),
    # The departmental instance (R6, R10)
    path("instances/", views.instances, name="instances"),
    path("instances/<int:pk>/", views.instance, name="instance"),
    path("instances/<int:pk>/presidence/", views.presidence_tourner, name="presidence_tourner"),
    path("instances/<int:pk>/seances/nouvelle/", views.seance_nouvelle, name="seance_nouvelle"),
    # Séances and decisions (R5)
    path("seances/<int:pk>/", views.seance, name="seance"),
    path("seances/<int:pk>/ouvrir/", views.seance_ouvrir, name="seance_ouvrir"),
    path("seances/<int:pk>/presences/", views.seance_presences, name="seance_presences"),
    path("seances/<int:pk>/clore/", views.seance_clore, name="seance_clore"),
    path("seances/<int:pk>/proces-verbal.pdf", views.seance_proces_verbal, name="seance_proces_verbal"),
    path("seances/<int:pk>/points/<int:point_pk>/conflit/", views.point_conflit, name="point_conflit"),
    path("seances/<int:pk>/points/<int:point_pk>/votes/", views.point_votes, name="point_votes"),
    path("seances/<int:pk>/points/<int:point_pk>/refus/", views.point_refus, name="point_refus"),
    path("seances/<int:pk>/points/<int:point_pk>/statuer/", views.point_statuer, name="point_statuer"),
    path("seances/<int:pk>/points/<int:point_pk>/decision.pdf", views.point_decision, name="point_decision"),
]
