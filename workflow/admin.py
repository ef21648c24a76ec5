from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from workflow.models import TransitionLog


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    """The journal is append-only (R19): read-only."""

    list_display = ["horodatage", "content_type", "object_id", "source", "cible", "acteur"]
    list_filter = ["content_type", "cible"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
