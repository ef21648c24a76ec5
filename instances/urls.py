from django.urls import path

from instances.views import administration, equite, instances, journal, seances, suivi

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
    path(
        "campagnes/instances/<int:pk>/presidence/confirmer/",
        instances.presidence_confirmer,
        name="presidence_confirmer",
    ),
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
    # Administration of the instance and of the département's staff, without /admin/ (issue 11)
    path("campagnes/instances/nouvelle/", administration.instance_nouvelle, name="instance_nouvelle"),
    path("campagnes/instances/<int:pk>/modifier/", administration.instance_modifier, name="instance_modifier"),
    path("campagnes/instances/<int:pk>/membres/", administration.membres, name="membres"),
    path("campagnes/instances/<int:pk>/membres/nouveau/", administration.membre_nouveau, name="membre_nouveau"),
    path("campagnes/instances/<int:pk>/membres/ordre/", administration.membres_ordre, name="membres_ordre"),
    path(
        "campagnes/instances/<int:pk>/membres/<int:membre_pk>/modifier/",
        administration.membre_modifier,
        name="membre_modifier",
    ),
    path("campagnes/instances/<int:pk>/membres/<int:membre_pk>/fin/", administration.membre_fin, name="membre_fin"),
    path(
        "campagnes/instances/<int:pk>/membres/<int:membre_pk>/inviter/",
        administration.membre_inviter,
        name="membre_inviter",
    ),
    path("campagnes/departements/<str:code>/accompagnateurs/", administration.accompagnateurs, name="accompagnateurs"),
    path(
        "campagnes/departements/<str:code>/accompagnateurs/nouveau/",
        administration.accompagnateur_nouveau,
        name="accompagnateur_nouveau",
    ),
    path(
        "campagnes/accompagnateurs/<int:pk>/modifier/",
        administration.accompagnateur_modifier,
        name="accompagnateur_modifier",
    ),
    path(
        "campagnes/accompagnateurs/<int:pk>/retirer/",
        administration.accompagnateur_retirer,
        name="accompagnateur_retirer",
    ),
    path(
        "campagnes/accompagnateurs/<int:pk>/remettre/",
        administration.accompagnateur_remettre,
        name="accompagnateur_remettre",
    ),
    path(
        "campagnes/accompagnateurs/<int:pk>/inviter/",
        administration.accompagnateur_inviter,
        name="accompagnateur_inviter",
    ),
    path("campagnes/equipes/", administration.equipes, name="equipes"),
    path("campagnes/departements/<str:code>/equipe/", administration.equipe, name="equipe"),
    path(
        "campagnes/departements/<str:code>/instructeurs/<int:instructeur_pk>/retirer/",
        administration.instructeur_retirer,
        name="instructeur_retirer",
    ),
    path("campagnes/invitations/<int:pk>/annuler/", administration.invitation_annuler, name="invitation_annuler"),
    path("invitations/personnel/<str:jeton>/", administration.invitation_personnel, name="invitation_personnel"),
    # The equity dashboard (R17)
    path("campagnes/equite/", equite.equite_nationale, name="equite_nationale"),
    path("campagnes/equite/<str:code>/", equite.equite_departement, name="equite_departement"),
]
