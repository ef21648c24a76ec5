"""Choices of the campagnes app."""

from django.db import models


class EtatCampagne(models.TextChoices):
    """Campaign lifecycle (SPEC §5): preparation → ouverte → close."""

    PREPARATION = "preparation", "En préparation"
    OUVERTE = "ouverte", "Ouverte"
    CLOSE = "close", "Close"
