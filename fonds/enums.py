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
    """Convention lifecycle (SPEC §5): active ⇄ non_conforme → suspendue → active (R12, composition over time) ;
    active → cloturee (after the year-3 check-in and the practice sheet proposed, R14) ; active → annulee."""

    ACTIVE = "active", "Active"
    NON_CONFORME = "non_conforme", "Non conforme"
    SUSPENDUE = "suspendue", "Suspendue"
    ANNULEE = "annulee", "Annulée"
    CLOTUREE = "cloturee", "Clôturée"


# A convention « en cours »: active, or non conforme / suspended while the collectif restores its composition (R12).
# Its composition is followed (R12), it counts towards R17's cap, a secondment may be charged to it (R9).
CONVENTION_EN_COURS = (EtatConvention.ACTIVE, EtatConvention.NON_CONFORME, EtatConvention.SUSPENDUE)


class EtatTranche(models.TextChoices):
    """Tranche lifecycle (SPEC §5): prevue → exigible → versee ; exigible ⇄ suspendue (R12) ; prevue → annulee."""

    PREVUE = "prevue", "Prévue"
    EXIGIBLE = "exigible", "Exigible"
    SUSPENDUE = "suspendue", "Suspendue"
    VERSEE = "versee", "Versée"
    ANNULEE = "annulee", "Annulée"


class EtatBilan(models.TextChoices):
    """BilanAnnuel lifecycle (SPEC §5): attendu → depose → valide | a_completer → depose."""

    ATTENDU = "attendu", "Attendu"
    DEPOSE = "depose", "Déposé"
    VALIDE = "valide", "Validé"
    A_COMPLETER = "a_completer", "À compléter"


class NiveauParticipation(models.TextChoices):
    """R11: the participation level the collectif reached during the year, on the usual ladder."""

    INFORMATION = "information", "Information"
    CONSULTATION = "consultation", "Consultation"
    CO_CONSTRUCTION = "co_construction", "Co-construction"
    CO_DECISION = "co_decision", "Co-décision"


class EtatMiseADisposition(models.TextChoices):
    """Secondment lifecycle (R9): demandee → prise_acte | declinee ; demandee → annulee. A secondment is « en
    vigueur » only once the employer has acknowledged it (prise_acte), and only between its dates."""

    DEMANDEE = "demandee", "En attente de l'employeur"
    PRISE_ACTE = "prise_acte", "Prise d'acte de l'employeur"
    DECLINEE = "declinee", "Déclinée par l'employeur"
    ANNULEE = "annulee", "Annulée par le collectif"
