from django.urls import path

from instances.views import equite, instances, journal, seances, suivi

app_name = "instances"
urlpatterns = [
    # The follow-up of a filed declaration (R4, R5)
    path("declarations/<int:pk>/", suivi.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/documents/<slug:numero>.pdf", suivi.declaration_document, name="document"),
    path("declarations/<int:pk>/complements/", suivi.complements_repondre, name="repondre_complements"),
    path("declarations/<int:pk>/messages/", suivi.message_envoyer, name="message_envoyer"),
    # The accompagnateur's research-action journal on a collectif, with the proxy entries (R10, R20)
    path("collectifs/<int:pk>/journal/", journal.journal, name="journal"),
    # The departmental instance (R6, R10) and the preparation of its séances (R5)
    path("campagnes/instances/", instances.instances, name="instances"),
    path("campagnes/instances/<int:pk>/", instances.instance, name="instance"),
    path("campagnes/instances/<int:pk>/presidence/", instances.presidence_tourner, name="presidence_tourner"),
    path("campagnes/instances/<int:pk>/seances/nouvelle/", instances.seance_nouvelle, name="seance_nouvelle"),
    # Séances and decisions (R5)
    path("campagnes/seances/<int:pk>/", seances.seance, name="seance"),
    path("campagnes/seances/<int:pk>/ouvrir/", seances.seance_ouvrir, name="seance_ouvrir"),
    path("campagnes/seances/<int:pk>/presences/", seances.seance_presences, name="seance_presences"),
    path("campagnes/seances/<int:pk>/clore/", seances.seance_clore, name="seance_clore"),
    path(
        "campagnes/seances/<int:pk>/documents/emettre/",
        seances.seance_emettre_documents,
        name="seance_emettre_documents",
    ),
    path("campagnes/seances/<int:pk>/proces-verbal.pdf", seances.seance_proces_verbal, name="seance_proces_verbal"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/conflit/", seances.point_conflit, name="point_conflit"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/votes/", seances.point_votes, name="point_votes"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/refus/", seances.point_refus, name="point_refus"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/montants/", seances.point_montants, name="point_montants"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/statuer/", seances.point_statuer, name="point_statuer"),
    path("campagnes/seances/<int:pk>/points/<int:point_pk>/equite/", seances.point_equite, name="point_equite"),
    path(
        "campagnes/seances/<int:pk>/points/<int:point_pk>/decision.pdf", seances.point_decision, name="point_decision"
    ),
    # The equity dashboard (R17)
    path("campagnes/equite/", equite.equite_nationale, name="equite_nationale"),
    path("campagnes/equite/<str:code>/", equite.equite_departement, name="equite_departement"),
]
