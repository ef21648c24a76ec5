"""Choices of the collectifs app."""

from django.db import models


class College(models.TextChoices):
    """The three colleges of a collectif (R1, 002:813)."""

    ELU_RESPONSABLE = "ELU_RESPONSABLE", "Élu·e ou responsable d'institution"
    PROFESSIONNEL = "PROFESSIONNEL", "Professionnel·le"
    HABITANT = "HABITANT", "Représentant·e d'habitants ou d'usagers"


class EtatDeclaration(models.TextChoices):
    """Declaration lifecycle (SPEC §5). The instruction states come with the instruction issue."""

    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    RETIREE = "retiree", "Retirée"


class NatureIndicateur(models.TextChoices):
    """The collectif's own indicators: qualitative first (SPEC §3)."""

    QUALITATIF = "qualitatif", "Qualitatif"
    QUANTITATIF = "quantitatif", "Quantitatif"
