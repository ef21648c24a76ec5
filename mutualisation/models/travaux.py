"""Long jobs with visible progress (R15: the national consolidation runs in the background and shows its
progress). A job row is written by the task worker as it goes (step, done, total, errors, result); the page reads
it. A job whose worker died is seen as stale (no heartbeat for a while) and can be picked up again or relaunched:
it is never stuck « en cours »."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mutualisation.enums import TRAVAIL_ACTIF, EtatTravail, NatureTravail

# A running job writes a heartbeat at least this often; past twice this, it is considered dead.
BATTEMENT = timedelta(seconds=30)


class Travail(models.Model):
    nature = models.CharField("nature", max_length=30, choices=NatureTravail.choices)
    # What the job is about, e.g. « rapport-national-2027 »: at most one active job per key.
    cle = models.CharField("clé", max_length=100)
    etat = models.CharField("état", max_length=20, choices=EtatTravail.choices, default=EtatTravail.EN_ATTENTE)
    etape = models.CharField("étape", max_length=200, blank=True)
    fait = models.PositiveIntegerField("fait", default=0)
    total = models.PositiveIntegerField("total", default=0)
    erreurs = models.JSONField("erreurs", default=list, blank=True)
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    lance_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now, editable=False)
    demarre_le = models.DateTimeField(null=True, blank=True)
    battement = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    termine_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "travail de fond"
        verbose_name_plural = "travaux de fond"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cle"], condition=Q(etat__in=TRAVAIL_ACTIF), name="un_travail_actif_par_cle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} ({self.cle}) : {self.get_etat_display().lower()}"

    @property
    def pourcentage(self) -> int:
        if self.etat == EtatTravail.TERMINE:
            return 100
        return min(100, (100 * self.fait) // self.total) if self.total else 0

    def est_bloque(self, maintenant: datetime | None = None) -> bool:
        """Active but silent for longer than two heartbeats: its worker died."""
        if self.etat not in TRAVAIL_ACTIF:
            return False
        maintenant = maintenant or timezone.now()
        dernier = self.battement or self.demarre_le or self.cree_le
        return maintenant - dernier > 2 * BATTEMENT
