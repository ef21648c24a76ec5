from django.contrib import admin

from core.admin import LectureSeuleAdmin
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    EntreeJournal,
    InstanceDepartementale,
    Invitation,
    MembreInstance,
    Presidence,
    Seance,
)


class MembreInstanceInline(admin.TabularInline):
    model = MembreInstance
    extra = 0
    fields = ["rang_rotation", "prenom", "nom", "institution", "college", "votant", "actif", "user"]
    autocomplete_fields = ["user"]


@admin.register(InstanceDepartementale)
class InstanceDepartementaleAdmin(admin.ModelAdmin):
    """National staff set up each instance and its members; the presidency changes only by rotation (R6)."""

    list_display = ["nom", "departement", "quorum_fraction", "duree_mandat_mois"]
    inlines = [MembreInstanceInline]


@admin.register(Accompagnateur)
class AccompagnateurAdmin(admin.ModelAdmin):
    """The département's registry of accompagnateurs (R10)."""

    list_display = ["nom", "prenom", "structure", "departement", "actif"]
    list_filter = ["departement", "actif"]
    autocomplete_fields = ["user"]


@admin.register(Presidence)
class PresidenceAdmin(LectureSeuleAdmin):
    list_display = ["instance", "membre", "debut", "fin_prevue", "fin"]


@admin.register(Seance)
class SeanceAdmin(LectureSeuleAdmin):
    list_display = ["instance", "date", "etat"]


@admin.register(AffectationAccompagnateur)
class AffectationAccompagnateurAdmin(LectureSeuleAdmin):
    """R10: assigned on the collectif's page; a new assignment ends the previous one."""

    list_display = ["collectif", "accompagnateur", "affecte_le", "fin"]
    list_select_related = ["collectif", "accompagnateur"]


@admin.register(EntreeJournal)
class EntreeJournalAdmin(LectureSeuleAdmin):
    """R10: the research-action journal is never edited; a correction is a new entry."""

    list_display = ["collectif", "date", "accompagnateur", "cree_le"]
    list_select_related = ["collectif", "accompagnateur"]


@admin.register(Invitation)
class InvitationAdmin(LectureSeuleAdmin):
    """Staff invitations: sent, cancelled and accepted on the « Équipe et invitations » pages, journalled."""

    list_display = ["email", "role", "departement", "etat", "invite_par", "invite_le", "expire_le", "acceptee_le"]
    list_filter = ["role", "etat", "departement"]
    list_select_related = ["invite_par"]
    exclude = ["jeton"]
