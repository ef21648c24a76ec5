from django.contrib import admin

from collectifs.models import Charte, Collectif, Consentement, Declaration, Membre, Organisation
from core.admin import LectureSeuleAdmin


@admin.register(Charte)
class CharteAdmin(admin.ModelAdmin):
    """National staff publish new versions; a used version is never edited (R16)."""

    list_display = ["version", "titre", "publiee_le"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.adhesions.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "siret", "rna"]
    search_fields = ["nom", "siret", "rna"]


@admin.register(Collectif)
class CollectifAdmin(LectureSeuleAdmin):
    list_display = ["nom", "departement"]
    list_filter = ["departement"]
    search_fields = ["nom"]
    list_select_related = ["departement"]


@admin.register(Membre)
class MembreAdmin(LectureSeuleAdmin):
    list_display = ["nom", "prenom", "college", "collectif"]
    list_select_related = ["collectif"]


@admin.register(Declaration)
class DeclarationAdmin(LectureSeuleAdmin):
    list_display = ["collectif", "campagne", "etat", "deposee_le"]
    list_filter = ["etat"]
    list_select_related = ["collectif", "campagne__departement"]


@admin.register(Consentement)
class ConsentementAdmin(LectureSeuleAdmin):
    """R10, R20: the consent of a proxy entry, never edited."""

    list_display = ["collectif", "pour_le_compte_de", "mode", "recueilli_le", "saisi_par", "saisi_le"]
    list_filter = ["mode"]
    list_select_related = ["collectif", "saisi_par"]
