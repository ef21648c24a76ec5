"""The collectif's yearly check-in (R11): light on purpose, aggregate counts only. Its validation releases the next
tranche of the convention (R7), in the same transaction (`fonds.services.bilans`).

Foreign keys to the convention are strings, so that `fonds.models.fonds` may import this module back
(`bilan_annuel_valide`) without a cycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.permissions import permission_fsm
from fonds import permissions
from fonds.enums import EtatBilan, NiveauParticipation

LONGUEUR_RECIT = 3000
LONGUEUR_DIFFICULTES = 2000
LONGUEUR_MESSAGE = 3000
LONGUEUR_VALEUR = 1000
# A count above this is almost certainly a typing error (an aggregate of a local collectif over one year).
COMPTE_MAX = 100_000


def _compte(libelle: str, aide: str) -> models.PositiveIntegerField[Any, Any]:
    """An aggregate count (R11): a number of meetings or of people, never who they are."""
    return models.PositiveIntegerField(
        libelle, null=True, blank=True, help_text=aide, validators=[MaxValueValidator(COMPTE_MAX)]
    )


class BilanAnnuel(ConcurrentTransitionMixin, models.Model):
    """The collectif's yearly check-in for one year of its convention (R11, SPEC §5)."""

    convention = models.ForeignKey("fonds.Convention", on_delete=models.PROTECT, related_name="bilans")
    # Year of the convention (1 to 3) and the budget year it covers (that of the tranche of the same rank).
    rang = models.PositiveSmallIntegerField(
        "année de la convention", validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    annee = models.PositiveSmallIntegerField("année couverte")
    echeance = models.DateField("à déposer avant le")
    etat = FSMField("état", default=EtatBilan.ATTENDU, choices=EtatBilan.choices, protected=True)

    recit = models.TextField("ce que le collectif a fait cette année", max_length=LONGUEUR_RECIT, blank=True)
    difficultes = models.TextField("difficultés rencontrées", max_length=LONGUEUR_DIFFICULTES, blank=True)
    niveau_participation = models.CharField(
        "niveau de participation atteint", max_length=20, choices=NiveauParticipation.choices, blank=True
    )
    nombre_rencontres = _compte("nombre de rencontres tenues", "Réunions, ateliers, temps collectifs de l'année.")
    nombre_participants = _compte(
        "nombre de personnes ayant pris part", "Un total approximatif suffit ; aucun nom, aucune liste."
    )
    nombre_habitants = _compte(
        "dont habitant·es ou personnes concernées", "Un total approximatif suffit ; aucun nom, aucune liste."
    )

    # « À compléter »: what the instructeur asks for; kept after the collectif files again.
    message_retour = models.TextField("message de l'instruction", max_length=LONGUEUR_MESSAGE, blank=True)

    enregistre_le = models.DateTimeField("brouillon enregistré le", null=True, blank=True)
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # R10, R20: set when the accompagnateur typed the check-in on behalf of the collectif.
    consentement = models.ForeignKey(
        "collectifs.Consentement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le", null=True, blank=True)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valide_le = models.DateTimeField("validé le", null=True, blank=True)
    valide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retourne_le = models.DateTimeField("renvoyé à compléter le", null=True, blank=True)
    retourne_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["convention", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "rang"], name="bilan_unique_par_annee_de_convention"),
            models.CheckConstraint(condition=Q(rang__gte=1, rang__lte=3), name="bilan_rang_1_a_3"),
            models.CheckConstraint(
                condition=Q(nombre_habitants__isnull=True)
                | Q(nombre_participants__isnull=True)
                | Q(nombre_habitants__lte=models.F("nombre_participants")),
                name="bilan_habitants_parmi_participants",
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan de l'année {self.rang} ({self.annee})"

    @transition(
        field=etat,
        source=[EtatBilan.ATTENDU, EtatBilan.A_COMPLETER],
        target=EtatBilan.DEPOSE,
        permission=permission_fsm(permissions.can_saisir_bilan),
    )
    def deposer(self) -> None:
        """R11: the collectif files its check-in (the service checks it is complete)."""
        self.depose_le = timezone.now()

    @transition(
        field=etat,
        source=EtatBilan.DEPOSE,
        target=EtatBilan.VALIDE,
        permission=permission_fsm(permissions.can_instruire_bilan),
    )
    def valider(self) -> None:
        """R11: the instructeur validates the check-in (the service releases the next tranche)."""
        self.valide_le = timezone.now()

    @transition(
        field=etat,
        source=EtatBilan.DEPOSE,
        target=EtatBilan.A_COMPLETER,
        permission=permission_fsm(permissions.can_instruire_bilan),
    )
    def retourner(self) -> None:
        """R11: the instructeur returns it « à compléter » with a message."""
        self.retourne_le = timezone.now()


class ValeurIndicateur(models.Model):
    """The value one of the collectif's own indicators reached in a check-in (R11): words first, a number if any."""

    bilan = models.ForeignKey(BilanAnnuel, on_delete=models.CASCADE, related_name="valeurs")
    indicateur = models.ForeignKey("collectifs.Indicateur", on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("ce que l'on observe", max_length=LONGUEUR_VALEUR, blank=True)
    nombre = models.DecimalField(
        "valeur chiffrée (facultative)", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "valeur d'un indicateur"
        verbose_name_plural = "valeurs des indicateurs"
        ordering = ["bilan", "indicateur__ordre", "indicateur__pk"]
        constraints = [models.UniqueConstraint(fields=["bilan", "indicateur"], name="valeur_unique_par_indicateur")]

    def __str__(self) -> str:
        return f"{self.indicateur_id} : {self.texte[:40]}"
