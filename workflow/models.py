"""The append-only journal of state changes (R19), and the viewflow process of a declaration.

Low level: no domain imports (the process refers to its declaration by a string reference)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from viewflow.workflow.models import Process

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


class ProcessusDeclaration(Process):  # type: ignore[misc]  # viewflow ships no type hints
    """The viewflow process that carries one filed declaration through instruction and decision (R4, R5).

    It holds no rule: its nodes read the declaration's state and call the domain services. The string
    reference keeps this module free of domain imports."""

    declaration: models.OneToOneField[Any, Any] = models.OneToOneField(
        "collectifs.Declaration", on_delete=models.PROTECT, related_name="processus", verbose_name="déclaration"
    )
    # Set once: the instruction task may come back several times, the reminder and escalation go once (R4).
    rappel_instruction_envoye_le: models.DateTimeField[Any, Any] = models.DateTimeField(
        "rappel d'instruction envoyé le", null=True, blank=True
    )
    escalade_envoyee_le: models.DateTimeField[Any, Any] = models.DateTimeField(
        "échéance signalée à la présidence le", null=True, blank=True
    )

    class Meta:
        verbose_name = "processus d'une déclaration"
        verbose_name_plural = "processus des déclarations"
        # viewflow adds "manage" when the flow class is built; written here so migrations do not depend on it.
        default_permissions = ("add", "change", "delete", "view", "manage")

    def __str__(self) -> str:
        return f"Processus de la déclaration n°{self.declaration_id}"
