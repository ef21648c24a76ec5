from django.contrib import admin

from documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Issued documents are immutable (R19): read-only."""

    list_display = ["numero", "titre", "emis_le", "sha256"]
    search_fields = ["numero"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
