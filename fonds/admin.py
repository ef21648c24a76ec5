from django.contrib import admin

from core.admin import LectureSeuleAdmin
from fonds.models import Abondement, EcritureFonds, Enveloppe, Financeur, Fonds


@admin.register(Fonds, Financeur, Abondement, Enveloppe)
class FondsAdmin(LectureSeuleAdmin):
    """Read-only: the fund changes through its services, which write the ledger (R8, R19)."""


@admin.register(EcritureFonds)
class EcritureFondsAdmin(LectureSeuleAdmin):
    """The ledger is append-only (R19)."""

    list_display = ["ecrite_le", "compte", "annee", "departement", "montant", "libelle"]
    list_filter = ["compte", "annee"]
