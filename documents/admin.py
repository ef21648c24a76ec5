from django.contrib import admin

from core.admin import LectureSeuleAdmin
from documents.models import Document


@admin.register(Document)
class DocumentAdmin(LectureSeuleAdmin):
    """Issued documents are immutable (R19)."""

    list_display = ["numero", "titre", "emis_le", "sha256"]
    search_fields = ["numero"]
