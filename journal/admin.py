from django.contrib import admin

from core.admin import LectureSeuleAdmin
from journal.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(LectureSeuleAdmin):
    """The journal is append-only (R19)."""

    list_display = ["horodatage", "content_type", "object_id", "source", "cible", "acteur"]
    list_filter = ["content_type", "cible"]
