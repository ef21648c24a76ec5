from django.contrib import admin

from instances.models import (
    Accompagnateur,
    Campagne,
    InstanceDepartementale,
    Instructeur,
    MembreInstance,
    Presidence,
    Seance,
)
from workflow.admin import LectureSeuleAdmin


@admin.register(Instructeur)
class InstructeurAdmin(admin.ModelAdmin):
    list_display = ["user"]
    filter_horizontal = ["departements"]
    autocomplete_fields = ["user"]


@admin.register(Campagne)
class CampagneAdmin(LectureSeuleAdmin):
    """Read-only here: campaigns change through their services (R3 locks, TransitionLog)."""

    list_display = ["annee", "departement", "etat", "quota", "enveloppe_annuelle", "montant_minimal_annuel"]
    list_filter = ["etat", "annee"]
    list_select_related = ["departement"]


class MembreInstanceInline(admin.TabularInline):
    model = MembreInstance
    extra = 0
    fields = ["rang_rotation", "prenom", "nom", "institution", "college", "votant", "actif", "user"]
    autocomplete_fields = ["user"]


@admin.register(InstanceDepartementale)
class InstanceDepartementaleAdmin(admin.ModelAdmin):
    """National staff set up each instance and its members; the presidency changes only by rotation (R6)."""

    list_display = ["nom", "departement", "quorum_fraction", "duree_mandat_mois"]
    inlines = [MembreInstanceInline]


@admin.register(Accompagnateur)
class AccompagnateurAdmin(admin.ModelAdmin):
    """The département's registry of accompagnateurs (R10)."""

    list_display = ["nom", "prenom", "structure", "departement", "actif"]
    list_filter = ["departement", "actif"]
    autocomplete_fields = ["user"]


@admin.register(Presidence)
class PresidenceAdmin(LectureSeuleAdmin):
    list_display = ["instance", "membre", "debut", "fin_prevue", "fin"]


@admin.register(Seance)
class SeanceAdmin(LectureSeuleAdmin):
    list_display = ["instance", "date", "etat"]
