from django.contrib import admin

from instances.models import Campagne, Instructeur
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
