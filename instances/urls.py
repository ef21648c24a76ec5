from django.urls import path

from instances.views import seances as views
from instances.views import suivi

app_name = "instances"
urlpatterns = [
    # The follow-up of a filed declaration (R4, R5)
    path("declarations/<int:pk>/", suivi.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/documents/<slug:numero>.pdf", suivi.declaration_document, name="document"),
    path("declarations/<int:pk>/complements/", suivi.complements_repondre, name="repondre_complements"),
    path("declarations/<int:pk>/messages/", suivi.message_envoyer, name="message_envoyer"),
    # The departmental instance (R6, R10)
    path("campagnes/instances/", views.instances, name="instances"),
    path("campagnes/instances/<int:pk>/", views.instance, name="instance"),
    path("campagnes/instances/<int:pk>/presidence/", views.presidence_tourner, name="presidence_tourner"),
    path("campagnes/instances/<int:pk>/seances/nouvelle/", views.seance_nouvelle, name="seance_nouvelle"),
    # Séances and decisions (R5)
    path("campagnes/seances/<int:pk>/", views.seance, name="seance"),
    path("campagnes/seances/<int:pk>/ouvrir/", views.seance_ouvrir, name="seance_ouvrir"),
    path("campagnes/seances/<int:pk>/presences/", views.seance_presences, name="seance_presences"),
    path("campagnes/seances/<int:pk>/clore/", views.seance_clore, name="seance_clore"),
    path("campagnes/seances/<int:pk>/proces-verbal.pdf", views.seance_proces_verbal, name="seance_proces_verbal"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/conflit/", views.point_conflit, name="point_conflit"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/votes/", views.point_votes, name="point_votes"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/refus/", views.point_refus, name="point_refus"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/statuer/", views.point_statuer, name="point_statuer"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/decision.pdf", views.point_decision, name="point_decision"),
]
