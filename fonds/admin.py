"""The fund in the admin: everything reads only. Money, conventions, check-ins and secondments change through
their services, which write the ledger and the transitions (R8, R19)."""

from django.contrib import admin

from core.admin import LectureSeuleAdmin
from fonds.models import (
    Abondement,
    AccesEmployeur,
    AccesFinanceur,
    BilanAnnuel,
    Convention,
    EcritureFonds,
    Enveloppe,
    Financeur,
    Fonds,
    MiseADisposition,
    Reservation,
    Tranche,
    ValeurIndicateur,
    Versement,
)


@admin.register(Fonds, Financeur, Abondement, Enveloppe)
class FondsAdmin(LectureSeuleAdmin):
    """Read-only: the fund changes through its services, which write the ledger (R8, R19)."""


@admin.register(EcritureFonds)
class EcritureFondsAdmin(LectureSeuleAdmin):
    """The ledger is append-only (R19)."""

    list_display = ["ecrite_le", "compte", "annee", "departement", "montant", "libelle"]
    list_filter = ["compte", "annee"]


@admin.register(AccesFinanceur)
class AccesFinanceurAdmin(LectureSeuleAdmin):
    list_display = ["email", "financeur", "invite_le", "accepte_le"]
    list_select_related = ["financeur"]
    search_fields = ["email"]


@admin.register(Reservation)
class ReservationAdmin(LectureSeuleAdmin):
    """R3: a campaign's envelope for one budget year."""

    list_display = ["campagne", "annee", "projetee"]
    list_filter = ["annee", "projetee"]
    list_select_related = ["campagne__departement"]


class TrancheInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Tranche
    extra = 0
    fields = readonly_fields = ("rang", "annee", "montant", "etat")
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Convention)
class ConventionAdmin(LectureSeuleAdmin):
    """R7: the triannual convention and its tranches."""

    list_display = ["reference", "beneficiaire", "departement", "etat", "signee_le"]
    list_filter = ["etat", "nature_beneficiaire", "departement"]
    list_select_related = ["departement"]
    search_fields = ["beneficiaire", "objet"]
    inlines = [TrancheInline]


@admin.register(Versement)
class VersementAdmin(LectureSeuleAdmin):
    list_display = ["tranche", "date_versement", "montant", "reference_bancaire"]
    list_select_related = ["tranche__convention__departement"]


class ValeurIndicateurInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ValeurIndicateur
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(BilanAnnuel)
class BilanAnnuelAdmin(LectureSeuleAdmin):
    """R11: the yearly check-in."""

    list_display = ["convention", "rang", "annee", "echeance", "etat"]
    list_filter = ["etat", "annee"]
    list_select_related = ["convention__departement"]
    inlines = [ValeurIndicateurInline]


@admin.register(AccesEmployeur)
class AccesEmployeurAdmin(LectureSeuleAdmin):
    list_display = ["email", "organisation", "invite_le", "accepte_le"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__nom"]


@admin.register(MiseADisposition)
class MiseADispositionAdmin(LectureSeuleAdmin):
    """R9: the secondment of a professional member."""

    list_display = ["membre", "employeur", "quotite", "date_debut", "date_fin", "etat"]
    list_filter = ["etat"]
    list_select_related = ["membre", "employeur"]
