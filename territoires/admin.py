from django.contrib import admin

from territoires.models import Departement


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["code", "nom"]

    def has_add_permission(self, request):  # reference data comes from a migration
        return False

    def has_delete_permission(self, request, obj=None):
        return False
