from django.contrib import admin

from documents.models import Document
from workflow.admin import LectureSeuleAdmin


@admin.register(Document)
class DocumentAdmin(LectureSeuleAdmin):
    """Issued documents are immutable (R19)."""

    list_display = ["numero", "titre", "emis_le", "sha256"]
    search_fields = ["numero"]
