"""The admin base shared by every app."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class LectureSeuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Audited objects change only through their services (R19): the admin reads them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
