from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from comptes.models import Instructeur, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "prenom", "nom", "est_equipe_nationale", "is_staff", "is_active"]
    list_filter = ["est_equipe_nationale", "is_staff", "is_active"]
    search_fields = ["email", "prenom", "nom"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("prenom", "nom")}),
        ("Rôles", {"fields": ("est_equipe_nationale", "is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Instructeur)
class InstructeurAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user"]
    filter_horizontal = ["departements"]
    autocomplete_fields = ["user"]
