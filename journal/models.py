"""The append-only journal of state changes (R19). Low level: it knows no domain model."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

AJOUT_SEUL = "Le journal des transitions est en ajout seul : une ligne ne se modifie ni ne se supprime."


class TransitionLogQuerySet(models.QuerySet["TransitionLog"]):
    """Bulk writes would bypass the row-level guards below: refuse them too (R19)."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(AJOUT_SEUL)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(AJOUT_SEUL)


class TransitionLog(models.Model):
    """One row per state change of any object: object, from, to, actor, time, comment (R19)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    champ = models.CharField(max_length=50, default="etat")
    transition = models.CharField(max_length=80)
    source = models.CharField(max_length=50)
    cible = models.CharField(max_length=50)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    horodatage = models.DateTimeField(default=timezone.now)
    commentaire = models.TextField(blank=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = "journal de transition"
        verbose_name_plural = "journal des transitions"
        ordering = ["horodatage", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} : {self.source} → {self.cible}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Le journal des transitions est en ajout seul : une ligne ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Le journal des transitions est en ajout seul : une ligne ne se supprime pas.")
