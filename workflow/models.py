"""The viewflow process of a declaration: the top layer's only model."""

from __future__ import annotations

from typing import Any

from django.db import models
from viewflow.workflow.models import Process


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
