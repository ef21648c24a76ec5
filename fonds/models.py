"""The innovation fund (R8): funders, their yearly contributions, the departmental envelopes, and the
append-only double-entry ledger (R19) from which every balance is computed (ADR 0005)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fonds.enums import Compte, GestionFonds, NatureFinanceur
from territoires.models import Departement

ANNEE_MIN, ANNEE_MAX = 2015, 2100
AJOUT_SEUL = "Le grand livre du fonds est en ajout seul : une écriture se corrige par une extourne (R8, R19)."


def _montant(libelle: str, **options: Any) -> models.DecimalField[Any, Any]:
    """An amount in euros (CONVENTIONS §4)."""
    return models.DecimalField(libelle, max_digits=12, decimal_places=2, **options)


def _annee() -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(
        "année budgétaire", validators=[MinValueValidator(ANNEE_MIN), MaxValueValidator(ANNEE_MAX)]
    )


class Fonds(models.Model):
    """The innovation fund, managed nationally or by one département (R8)."""

    nom = models.CharField(max_length=200, unique=True)
    gestion = models.CharField(max_length=20, choices=GestionFonds.choices, default=GestionFonds.NATIONALE)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="fonds_geres"
    )
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "fonds"
        verbose_name_plural = "fonds"
        constraints = [
            models.CheckConstraint(
                condition=Q(gestion=GestionFonds.NATIONALE, departement__isnull=True)
                | Q(gestion=GestionFonds.DEPARTEMENTALE, departement__isnull=False),
                name="fonds_departement_si_gestion_departementale",
            )
        ]

    def __str__(self) -> str:
        return self.nom


class Financeur(models.Model):
    """A public or private funder of the fund (SPEC §3)."""

    nom = models.CharField(max_length=200, unique=True)
    nature = models.CharField(max_length=30, choices=NatureFinanceur.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "financeur"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Abondement(models.Model):
    """A funder's contribution to the fund for a budget year, optionally earmarked for one département (R8).
    Its ledger lines are written with it; it is never edited (a correction is a reversing entry)."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="abondements")
    financeur = models.ForeignKey(Financeur, on_delete=models.PROTECT, related_name="abondements")
    annee = _annee()
    montant = _montant("montant (€)", validators=[MinValueValidator(Decimal("0.01"))])
    # Earmarked: this money only funds this département's envelope.
    departement_fleche = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="abondements_fleches"
    )
    enregistre_le = models.DateTimeField(default=timezone.now, editable=False)
    enregistre_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "abondement"
        ordering = ["annee", "pk"]
        constraints = [models.CheckConstraint(condition=Q(montant__gt=0), name="abondement_montant_positif")]

    def __str__(self) -> str:
        return f"{self.financeur} — {self.annee} : {self.montant} €"


class Enveloppe(models.Model):
    """The part of a fund given to a département for a budget year (R8). The row is what a distribution or a
    reservation locks; its amount is the balance of its ledger account, never a stored number."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="enveloppes")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="enveloppes")
    annee = _annee()

    class Meta:
        verbose_name = "enveloppe"
        ordering = ["annee", "departement"]
        constraints = [
            models.UniqueConstraint(fields=["fonds", "departement", "annee"], name="enveloppe_unique_par_annee")
        ]

    def __str__(self) -> str:
        return f"Enveloppe {self.annee} — {self.departement}"


class EcritureFondsQuerySet(models.QuerySet["EcritureFonds"]):
    """Bulk writes would bypass the row-level guards below: refuse them too (R19)."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(AJOUT_SEUL)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(AJOUT_SEUL)


class EcritureFonds(models.Model):
    """One line of the fund's double-entry ledger (R8, R19): the lines of one movement share `mouvement` and
    sum to zero; the balance of an account is the sum of its lines. Append-only (a PostgreSQL trigger too)."""

    mouvement = models.UUIDField(default=uuid.uuid4, db_index=True)
    compte = models.CharField(max_length=20, choices=Compte.choices)
    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="ecritures")
    annee = _annee()
    # The département of an envelope, or the one a contribution is earmarked for (None: not earmarked).
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    financeur = models.ForeignKey(Financeur, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    abondement = models.ForeignKey(
        Abondement, on_delete=models.PROTECT, null=True, blank=True, related_name="ecritures"
    )
    # Signed, in euros: what the movement adds to (or takes from) the account.
    montant = _montant("montant (€)")
    libelle = models.CharField(max_length=200)
    extourne_de = models.UUIDField(null=True, blank=True, help_text="Le mouvement que celui-ci annule.")
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ecrite_le = models.DateTimeField(default=timezone.now, editable=False)

    objects = EcritureFondsQuerySet.as_manager()

    class Meta:
        verbose_name = "écriture du fonds"
        verbose_name_plural = "grand livre du fonds"
        ordering = ["ecrite_le", "pk"]
        indexes = [models.Index(fields=["fonds", "compte", "annee", "departement"], name="ecriture_fonds_compte")]
        constraints = [models.CheckConstraint(condition=~Q(montant=0), name="ecriture_fonds_montant_non_nul")]

    def __str__(self) -> str:
        return f"{self.get_compte_display()} {self.annee} : {self.montant:+} €"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(AJOUT_SEUL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(AJOUT_SEUL)
