"""Mutualisation in the admin: the themes are reference data national staff may extend; everything else reads only
(it changes through the services, which journal the transitions, R19)."""

from django.contrib import admin

from core.admin import LectureSeuleAdmin
from mutualisation.models import (
    FichePratique,
    InvitationRencontre,
    MembreJury,
    Nomination,
    NoteJury,
    PieceRencontre,
    Prix,
    RapportNational,
    Rencontre,
    SyntheseDepartementale,
    Theme,
    Travail,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["libelle", "code", "ordre"]


@admin.register(Rencontre)
class RencontreAdmin(LectureSeuleAdmin):
    list_display = ["theme", "departement", "date", "lieu"]
    list_filter = ["departement"]


@admin.register(InvitationRencontre, PieceRencontre, Nomination, MembreJury, NoteJury)
class MutualisationAdmin(LectureSeuleAdmin):
    """Read-only."""


@admin.register(FichePratique)
class FichePratiqueAdmin(LectureSeuleAdmin):
    list_display = ["titre", "collectif", "departement", "annee", "etat"]
    list_filter = ["etat", "annee", "departement"]
    list_select_related = ["collectif", "departement"]
    search_fields = ["titre"]


@admin.register(SyntheseDepartementale)
class SyntheseDepartementaleAdmin(LectureSeuleAdmin):
    list_display = ["departement", "annee", "etat", "transmise_le"]
    list_filter = ["annee", "etat"]


@admin.register(RapportNational)
class RapportNationalAdmin(LectureSeuleAdmin):
    list_display = ["annee", "genere_le"]


@admin.register(Prix)
class PrixAdmin(LectureSeuleAdmin):
    list_display = ["titre", "niveau", "departement", "annee", "etat"]


@admin.register(Travail)
class TravailAdmin(LectureSeuleAdmin):
    list_display = ["nature", "cle", "etat", "fait", "total", "cree_le", "termine_le"]
    list_filter = ["nature", "etat"]
