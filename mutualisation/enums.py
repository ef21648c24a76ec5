"""Choices of the mutualisation and capitalisation app (R13, R14, R15, R18)."""

from django.db import models


class EtatRencontre(models.TextChoices):
    """A meeting is planned, or cancelled with a reason (R19: a cancellation is a transition, journalled). Whether
    it was held follows from its date."""

    PREVUE = "prevue", "Prévue"
    ANNULEE = "annulee", "Annulée"


class EtatFiche(models.TextChoices):
    """FichePratique lifecycle (SPEC §5): brouillon → proposee → publiee → retenue; the département may return a
    proposed sheet to brouillon with a comment."""

    BROUILLON = "brouillon", "Brouillon"
    PROPOSEE = "proposee", "Proposée"
    PUBLIEE = "publiee", "Publiée"
    RETENUE = "retenue", "Retenue"


# The states of a sheet anyone may read (the public catalogue, open data, R14).
FICHE_PUBLIQUE = (EtatFiche.PUBLIEE, EtatFiche.RETENUE)


class EtatSynthese(models.TextChoices):
    """SyntheseDepartementale lifecycle (SPEC §5): brouillon → transmise → consolidee."""

    BROUILLON = "brouillon", "Brouillon"
    TRANSMISE = "transmise", "Transmise"
    CONSOLIDEE = "consolidee", "Consolidée"


class EtatTravail(models.TextChoices):
    """A long job's progress (the national report, R15)."""

    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ECHOUE = "echoue", "Échoué"


# A job still to finish: at most one per key (a year's national report).
TRAVAIL_ACTIF = (EtatTravail.EN_ATTENTE, EtatTravail.EN_COURS)


class NatureTravail(models.TextChoices):
    RAPPORT_NATIONAL = "rapport_national", "Rapport national de capitalisation"


class NiveauPrix(models.TextChoices):
    """R18: a département's prize, then the nation's, whose nominees are the departmental laureates."""

    DEPARTEMENTAL = "departemental", "Prix départemental"
    NATIONAL = "national", "Prix national"


class EtatPrix(models.TextChoices):
    """A prize's course (R18): nominations, then the jury scores, then the laureates are proclaimed."""

    NOMINATIONS = "nominations", "Nominations ouvertes"
    JURY = "jury", "Délibération du jury"
    PROCLAME = "proclame", "Lauréat·es proclamé·es"
