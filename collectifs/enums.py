"""Choices of the collectifs app."""

from django.db import models


class College(models.TextChoices):
    """The three colleges of a collectif (R1, 002:813)."""

    ELU_RESPONSABLE = "ELU_RESPONSABLE", "Élu·e ou responsable d'institution"
    PROFESSIONNEL = "PROFESSIONNEL", "Professionnel·le"
    HABITANT = "HABITANT", "Représentant·e d'habitants ou d'usagers"


class EtatDeclaration(models.TextChoices):
    """Declaration lifecycle (SPEC §5).

    brouillon → deposee → en_instruction ⇄ a_completer
    en_instruction → recevable → inscrite_en_seance → agreee | refusee | en_attente
    en_attente → inscrite_en_seance (place freed)
    non-final states → retiree (by the collectif); a_completer after expiry → classee_sans_suite
    """

    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    A_COMPLETER = "a_completer", "À compléter"
    RECEVABLE = "recevable", "Recevable"
    INSCRITE_EN_SEANCE = "inscrite_en_seance", "Inscrite en séance"
    AGREEE = "agreee", "Agréée"
    REFUSEE = "refusee", "Refusée"
    EN_ATTENTE = "en_attente", "En liste d'attente"
    RETIREE = "retiree", "Retirée"
    CLASSEE_SANS_SUITE = "classee_sans_suite", "Classée sans suite"


# States after which nothing more happens to a declaration.
ETATS_FINAUX = (EtatDeclaration.REFUSEE, EtatDeclaration.RETIREE, EtatDeclaration.CLASSEE_SANS_SUITE)
# States in which a decision has been taken: the message thread becomes read-only.
ETATS_DECIDES = (*ETATS_FINAUX, EtatDeclaration.AGREEE, EtatDeclaration.EN_ATTENTE)
# States the collectif may withdraw from (SPEC §5; after acceptance, withdrawal frees a place, R5).
ETATS_RETRAIT_POSSIBLE = (
    EtatDeclaration.DEPOSEE,
    EtatDeclaration.EN_INSTRUCTION,
    EtatDeclaration.A_COMPLETER,
    EtatDeclaration.RECEVABLE,
    EtatDeclaration.INSCRITE_EN_SEANCE,
    EtatDeclaration.EN_ATTENTE,
    EtatDeclaration.AGREEE,
)


class NatureIndicateur(models.TextChoices):
    """The collectif's own indicators: qualitative first (SPEC §3)."""

    QUALITATIF = "qualitatif", "Qualitatif"
    QUANTITATIF = "quantitatif", "Quantitatif"


class ModeConsentement(models.TextChoices):
    """How a person agreed that someone else enters data on their behalf (R10, R20)."""

    ORAL = "oral", "À l'oral"
    PAPIER = "papier", "Formulaire papier signé"
    AUTRE = "autre", "Autre (préciser)"
