from django.urls import path

from workflow import views

app_name = "workflow"
urlpatterns = [
    path("", views.taches, name="taches"),
    path("declarations/<int:pk>/", views.tache, name="tache"),
    path("declarations/<int:pk>/prendre-en-charge/", views.prendre_en_charge, name="prendre_en_charge"),
    path("declarations/<int:pk>/complements/", views.demander_complements, name="demander_complements"),
    path("declarations/<int:pk>/recevable/", views.declarer_recevable, name="declarer_recevable"),
    path("declarations/<int:pk>/sans-suite/", views.classer_sans_suite, name="classer_sans_suite"),
    path("declarations/<int:pk>/accompagnateur/", views.affecter_accompagnateur, name="affecter_accompagnateur"),
    path("declarations/<int:pk>/processus/", views.processus_declaration, name="processus_declaration"),
    path("declarations/<int:pk>/processus.bpmn", views.processus_bpmn, name="processus_bpmn"),
]
