"""Choices of the fonds app (SPEC §3, R8)."""

from django.db import models


class GestionFonds(models.TextChoices):
    """Who manages the fund: national staff by default; a département may run its own (R8)."""

    NATIONALE = "nationale", "Gestion nationale"
    DEPARTEMENTALE = "departementale", "Gestion départementale"


class NatureFinanceur(models.TextChoices):
    """The kinds of funder of SPEC §3."""

    ETAT = "etat", "État"
    DEPARTEMENT = "departement", "Département"
    AUTRE_COLLECTIVITE = "autre_collectivite", "Autre collectivité"
    UNION_EUROPEENNE = "union_europeenne", "Union européenne"
    FONDATION = "fondation", "Fondation"
    MECENAT = "mecenat", "Mécénat"
    PARTICULIER = "particulier", "Particulier"


class Compte(models.TextChoices):
    """The accounts of the double-entry ledger (ADR 0005). A movement's lines sum to zero."""

    # What a funder brought: negative, the counterpart of the money made available.
    APPORT = "apport", "Apport d'un financeur"
    # Contributed to the fund for a budget year and not yet distributed (per earmarked département, or none).
    DISPONIBLE = "disponible", "Disponible à répartir"
    # Distributed to a département for a budget year.
    ENVELOPPE = "enveloppe", "Enveloppe départementale"
    # Set aside for a campaign's cohort for a budget year (R3), or for nothing else than its conventions.
    RESERVATION = "reservation", "Réservation d'une campagne"
    # Committed to one tranche of a convention (R7).
    ENGAGEMENT = "engagement", "Engagement d'une tranche"
    # Paid to the beneficiary (R7).
    VERSE = "verse", "Versé"


class NatureBeneficiaire(models.TextChoices):
    """Who a convention funds: a collectif (R7), or one of the other kinds of beneficiary of R8 (002:817)."""

    COLLECTIF = "collectif", "Collectif local de développement social"
    EXPERIMENTATION = "experimentation", "Expérimentation hors normes"
    PROJET_ETUDIANT = "projet_etudiant", "Projet étudiant"
    DEMARCHE_PARTICIPATIVE = "demarche_participative", "Démarche participative innovante"
    FORMATION_ACTION = "formation_action", "Formation-action in situ"
    TRAVAIL_SOCIAL_COLLECTIF = "travail_social_collectif", "Projet de travail social collectif"


class EtatConvention(models.TextChoices):
    """Convention lifecycle (SPEC §5). `non_conforme`, `suspendue` and `cloturee` come with the yearly check-in
    and the capitalisation issues; this issue uses `active` and `annulee`."""

    ACTIVE = "active", "Active"
    ANNULEE = "annulee", "Annulée"


class EtatTranche(models.TextChoices):
    """Tranche lifecycle (SPEC §5): prevue → exigible → versee ; prevue → annulee. `suspendue` (R12) comes with
    the yearly check-in issue."""

    PREVUE = "prevue", "Prévue"
    EXIGIBLE = "exigible", "Exigible"
    VERSEE = "versee", "Versée"
    ANNULEE = "annulee", "Annulée"
