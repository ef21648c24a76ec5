from django.contrib import admin

from core.admin import LectureSeuleAdmin
from territoires.models import Departement, QuartierPrioritaire


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["code", "nom"]

    def has_add_permission(self, request):  # reference data comes from a migration
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuartierPrioritaire)
class QuartierPrioritaireAdmin(LectureSeuleAdmin):
    """Read only: the quartiers come from the ANCT's official list (manage.py importer_quartiers_prioritaires),
    which a new import updates; collectifs name them, so none is deleted."""

    list_display = ["code", "nom", "code_insee", "departement"]
    list_filter = ["departement"]
    search_fields = ["code", "nom", "code_insee"]
    list_select_related = ["departement"]
