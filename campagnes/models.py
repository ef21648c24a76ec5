"""The yearly campaign of a département (R3): places and budget fixed in advance, thresholds, deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from campagnes import permissions
from campagnes.enums import EtatCampagne
from core.permissions import permission_fsm
from territoires.models import Departement

# Fields that national staff or instructeurs set on a campaign (forms, API, service).
CHAMPS_MODIFIABLES = (
    "annee",
    "quota",
    "enveloppe_annuelle",
    "montant_minimal_annuel",
    "date_ouverture",
    "date_cloture",
    "seuil_elu_responsable",
    "seuil_professionnel",
    "seuil_habitant",
    "plafond_mise_a_disposition",
    "plafond_par_institution",
    "delai_instruction_jours",
    "delai_complements_jours",
    "delai_bilan_mois",
    "delai_grace_mois",
)

# Fields that may not change once the campaign is open (R3).
CHAMPS_VERROUILLES = (
    "quota",
    "enveloppe_annuelle",
    "montant_minimal_annuel",
    "seuil_elu_responsable",
    "seuil_professionnel",
    "seuil_habitant",
)


class Campagne(ConcurrentTransitionMixin, models.Model):
    """The yearly call of one département: quota, budget fixed in advance, thresholds (R3)."""

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="campagnes")
    annee = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    quota = models.PositiveIntegerField("nombre de places", validators=[MinValueValidator(1)])
    # € per budget year, for the whole cohort, during three budget years Y, Y+1, Y+2 (R3).
    enveloppe_annuelle = models.DecimalField(
        "enveloppe annuelle (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    # € per accepted collectif and per year (R7).
    montant_minimal_annuel = models.DecimalField(
        "montant minimal annuel par collectif (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    date_ouverture = models.DateField("ouverture des dépôts")
    date_cloture = models.DateField("clôture des dépôts")
    seuil_elu_responsable = models.PositiveSmallIntegerField("minimum d'élu·es ou responsables", default=1)
    seuil_professionnel = models.PositiveSmallIntegerField("minimum de professionnel·les", default=2)
    seuil_habitant = models.PositiveSmallIntegerField("minimum de représentant·es d'habitants", default=2)
    # Percentage of working time (R9).
    plafond_mise_a_disposition = models.DecimalField(
        "plafond de mise à disposition (% du temps de travail)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    # R17: active funded collectifs per originating institution in the département before the instance is warned.
    plafond_par_institution = models.PositiveSmallIntegerField(
        "plafond de collectifs financés par institution d'origine",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="Quand une institution d'origine porte déjà ce nombre de collectifs financés en cours dans le "
        "département, l'instance est alertée et n'agrée qu'en motivant sa dérogation.",
    )
    delai_instruction_jours = models.PositiveSmallIntegerField("délai d'instruction (jours)", default=60)
    delai_complements_jours = models.PositiveSmallIntegerField("délai de réponse aux compléments (jours)", default=30)
    # R12: how long a funded collectif whose composition falls short keeps its funding before its next tranche is
    # suspended.
    delai_grace_mois = models.PositiveSmallIntegerField(
        "délai de grâce d'une composition non conforme (mois)", default=3, validators=[MaxValueValidator(24)]
    )
    # R11: the yearly check-in is due this many months after each anniversary of the convention's signature.
    delai_bilan_mois = models.PositiveSmallIntegerField(
        "délai du bilan annuel (mois après chaque anniversaire de la signature)",
        default=2,
        validators=[MaxValueValidator(12)],
    )
    etat = FSMField("état", default=EtatCampagne.PREPARATION, choices=EtatCampagne.choices, protected=True)
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "campagne"
        ordering = ["-annee", "departement"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "annee"], name="campagne_unique_par_departement_annee"),
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="campagne_quota_positif"),
            models.CheckConstraint(condition=models.Q(enveloppe_annuelle__gte=0), name="campagne_enveloppe_positive"),
            models.CheckConstraint(
                condition=models.Q(montant_minimal_annuel__gt=0), name="campagne_montant_minimal_positif"
            ),
            models.CheckConstraint(
                condition=models.Q(date_cloture__gte=models.F("date_ouverture")), name="campagne_dates_ordonnees"
            ),
        ]

    def __str__(self) -> str:
        return f"Campagne {self.annee} — {self.departement.nom}"

    @property
    def engagement_minimal(self) -> Decimal:
        """quota × montant_minimal_annuel: what the cohort costs at least per year (R3)."""
        return self.quota * self.montant_minimal_annuel

    def financement_suffisant(self) -> bool:
        """R3: quota × montant_minimal_annuel ≤ enveloppe_annuelle."""
        return self.engagement_minimal <= self.enveloppe_annuelle

    def depot_possible_le(self, jour: date) -> bool:
        """Open and within its filing dates (R2, R3)."""
        return self.etat == EtatCampagne.OUVERTE and self.date_ouverture <= jour <= self.date_cloture

    @transition(
        field=etat,
        source=EtatCampagne.PREPARATION,
        target=EtatCampagne.OUVERTE,
        conditions=[financement_suffisant],  # type: ignore[list-item]
        permission=permission_fsm(permissions.can_ouvrir_campagne),
    )
    def ouvrir(self) -> None:
        """Open the campaign to filings."""

    @transition(
        field=etat,
        source=EtatCampagne.OUVERTE,
        target=EtatCampagne.CLOSE,
        permission=permission_fsm(permissions.can_clore_campagne),
    )
    def clore(self) -> None:
        """Close the campaign."""
