"""Choices of the instances app."""

from django.db import models


class CollegeInstance(models.TextChoices):
    """Colleges of the departmental instance (SPEC §3): social workers are kept distinct from élus."""

    ELUS = "ELUS", "Élu·es"
    TRAVAILLEURS_SOCIAUX = "TRAVAILLEURS_SOCIAUX", "Travailleurs sociaux des collectivités"
    HABITANTS_USAGERS = "HABITANTS_USAGERS", "Habitant·es et usagers"
    PARTENAIRES_INSTITUTIONNELS = "PARTENAIRES_INSTITUTIONNELS", "Partenaires institutionnels (CAF, MSA, CCAS, État…)"


class EtatSeance(models.TextChoices):
    """A séance is prepared, held (attendance, conflicts, votes), then closed with its minutes."""

    PREPARATION = "preparation", "En préparation"
    EN_COURS = "en_cours", "En cours"
    CLOSE = "close", "Close"


class ChoixVote(models.TextChoices):
    POUR = "pour", "Pour"
    CONTRE = "contre", "Contre"
    ABSTENTION = "abstention", "Abstention"


class MotifRefus(models.TextChoices):
    """The stated grounds of a refusal (R5)."""

    COMPOSITION = "composition", "Composition du collectif"
    CHARTE = "charte", "Charte"
    ADDITIONNALITE = "additionnalite", "Additionnalité"
    TERRITOIRE = "territoire", "Territoire"
    AUTRE = "autre", "Autre motif"


class ResultatPoint(models.TextChoices):
    """What the séance decided for one declaration (R5)."""

    AGREEE = "agreee", "Agrément"
    REFUSEE = "refusee", "Refus"
    EN_ATTENTE = "en_attente", "Mise en liste d'attente"
