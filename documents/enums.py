"""Choices of the documents app."""

from django.db import models


class TypeDocument(models.TextChoices):
    """Kinds of issued documents; the value is the prefix of the number TYPE-DEPT-YEAR-SEQ (SPEC §6)."""

    RECEPISSE = "REC", "Récépissé de déclaration"
    FORMULAIRE_VIERGE = "FOR", "Formulaire de déclaration vierge"
    DEMANDE_COMPLEMENTS = "DEM", "Demande de compléments"
    DECISION = "DEC", "Décision"
    PROCES_VERBAL = "PV", "Procès-verbal de séance"
    CONVENTION_FINANCEMENT = "CTF", "Convention triannuelle de financement"
    ATTESTATION_VERSEMENT = "AVE", "Attestation de versement"
    CONVENTION_MISE_A_DISPOSITION = "CMD", "Convention de mise à disposition"
    FICHE_PRATIQUE = "FIP", "Fiche pratique"
    SYNTHESE_DEPARTEMENTALE = "SYN", "Synthèse départementale"
    RAPPORT_NATIONAL = "RNC", "Rapport national de capitalisation"
