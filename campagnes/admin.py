from django.contrib import admin

from campagnes.models import Campagne
from core.admin import LectureSeuleAdmin


@admin.register(Campagne)
class CampagneAdmin(LectureSeuleAdmin):
    """Read-only here: campaigns change through their services (R3 locks, TransitionLog)."""

    list_display = ["annee", "departement", "etat", "quota", "enveloppe_annuelle", "montant_minimal_annuel"]
    list_filter = ["etat", "annee"]
    list_select_related = ["departement"]
