"""Secondment of professional members (R9): the part-time secondment of a PROFESSIONNEL member of a funded
collectif by its employer (one of the collectif's originating institutions), and the employer's login that
acknowledges it."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from collectifs.models import Collectif, Membre, Organisation
from core.permissions import permission_fsm
from fonds import permissions
from fonds.enums import EtatMiseADisposition
from fonds.models.fonds import Convention

LONGUEUR_PLAN_CONTINUITE = 3000
LONGUEUR_MOTIF_REFUS = 2000
# States that count against the cap and the employer's load: requested or acknowledged (R9).
ETATS_ACTIFS = (EtatMiseADisposition.DEMANDEE, EtatMiseADisposition.PRISE_ACTE)


class AccesEmployeur(models.Model):
    """An employer's login (R9, SPEC §2 « employeur »): a référent's request invites the employer's HR contact by
    e-mail; once accepted, that account reads and answers the secondments of its organisation, nothing else."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="acces_employeur")
    email = models.EmailField("adresse électronique")
    jeton = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="acces_employeur"
    )
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invite_le = models.DateTimeField(default=timezone.now)
    accepte_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "accès d'un employeur"
        verbose_name_plural = "accès des employeurs"

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class MiseADisposition(ConcurrentTransitionMixin, models.Model):
    """The secondment of a PROFESSIONNEL member to its collectif for part of their working time (R9)."""

    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="mises_a_disposition")
    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="mises_a_disposition")
    membre = models.ForeignKey(Membre, on_delete=models.PROTECT, related_name="mises_a_disposition")
    # The member's employer when requested: one of the collectif's originating institutions.
    employeur = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mises_a_disposition")
    # Percentage of working time, at most the campaign's cap (Campagne.plafond_mise_a_disposition).
    quotite = models.DecimalField(
        "quotité (% du temps de travail)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    plan_continuite = models.TextField("plan de continuité du service", max_length=LONGUEUR_PLAN_CONTINUITE)
    email_employeur = models.EmailField("adresse du contact de l'employeur (ressources humaines)")
    etat = FSMField("état", default=EtatMiseADisposition.DEMANDEE, choices=EtatMiseADisposition.choices, protected=True)
    demandee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demandee_le = models.DateTimeField(default=timezone.now, editable=False)
    reponse_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reponse_le = models.DateTimeField("réponse de l'employeur le", null=True, blank=True)
    motif_refus = models.TextField("motif du refus", max_length=LONGUEUR_MOTIF_REFUS, blank=True)

    class Meta:
        verbose_name = "mise à disposition"
        verbose_name_plural = "mises à disposition"
        ordering = ["date_debut", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(date_fin__gte=models.F("date_debut")), name="mad_periode"),
            models.CheckConstraint(condition=Q(quotite__gt=0, quotite__lte=100), name="mad_quotite_0_100"),
        ]
        indexes = [models.Index(fields=["employeur", "etat"], name="mad_employeur_etat")]

    def __str__(self) -> str:
        return f"Mise à disposition {self.reference} — {self.membre}"

    @property
    def reference(self) -> str:
        return f"MAD-{self.pk:05d}"

    def en_vigueur(self, jour: Any = None) -> bool:
        """R9: no start before acknowledgement: in force only once acknowledged, and between its dates."""
        jour = jour or timezone.localdate()
        return self.etat == EtatMiseADisposition.PRISE_ACTE and self.date_debut <= jour <= self.date_fin

    def avant_le_debut(self) -> bool:
        """R9: the employer answers before the start (on the first day at the latest)."""
        return timezone.localdate() <= self.date_debut

    @transition(
        field=etat,
        source=EtatMiseADisposition.DEMANDEE,
        target=EtatMiseADisposition.PRISE_ACTE,
        conditions=[avant_le_debut],  # type: ignore[list-item]
        permission=permission_fsm(permissions.can_repondre_mise_a_disposition),
    )
    def prendre_acte(self) -> None:
        """R9: the employer acknowledges the secondment and its continuity plan."""
        self.reponse_le = timezone.now()

    @transition(
        field=etat,
        source=EtatMiseADisposition.DEMANDEE,
        target=EtatMiseADisposition.DECLINEE,
        permission=permission_fsm(permissions.can_repondre_mise_a_disposition),
    )
    def decliner(self) -> None:
        """R9: the employer declines, with a reason (checked by the service)."""
        self.reponse_le = timezone.now()

    @transition(
        field=etat,
        source=EtatMiseADisposition.DEMANDEE,
        target=EtatMiseADisposition.ANNULEE,
        permission=permission_fsm(permissions.can_annuler_mise_a_disposition),
    )
    def annuler(self) -> None:
        """R9: the collectif withdraws its request before the employer answered."""
