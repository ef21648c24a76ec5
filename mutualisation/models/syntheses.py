"""R15: the département's yearly synthesis, generated from the data and completed by the instance, and the national
report that consolidates the transmitted syntheses. Figures are frozen at transmission (`chiffres`, a snapshot),
so that the national report can be reproduced to the cent later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.permissions import permission_fsm
from documents.models import Document
from mutualisation.enums import EtatSynthese
from mutualisation.models.travaux import Travail
from mutualisation.permissions import syntheses as permissions
from territoires.models import Departement

LONGUEUR_TEXTE_INSTANCE = 20000


class RapportNational(models.Model):
    """The national capitalisation of one year (R15): the consolidation of the transmitted syntheses, the
    départements missing, the comparison with the previous year. Re-run, it gives the same figures (snapshots)."""

    annee = models.PositiveSmallIntegerField("année", unique=True)
    chiffres = models.JSONField("chiffres consolidés", default=dict, blank=True)
    departements_manquants = models.JSONField("départements sans synthèse transmise", default=list, blank=True)
    genere_le = models.DateTimeField("généré le", null=True, blank=True)
    genere_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    travail = models.ForeignKey(Travail, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "rapport national de capitalisation"
        verbose_name_plural = "rapports nationaux de capitalisation"
        ordering = ["-annee"]

    def __str__(self) -> str:
        return f"Rapport national {self.annee}"


class SyntheseDepartementale(ConcurrentTransitionMixin, models.Model):
    """A département's yearly synthesis (R15)."""

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="syntheses")
    annee = models.PositiveSmallIntegerField("année")
    etat = FSMField("état", default=EtatSynthese.BROUILLON, choices=EtatSynthese.choices, protected=True)
    # The figures generated from the data (declarations by state, places and money committed and paid, indicators,
    # sheets, meetings, secondments): regenerated while in draft, frozen at transmission.
    chiffres = models.JSONField("chiffres", default=dict, blank=True)
    generee_le = models.DateTimeField("chiffres générés le", null=True, blank=True)
    generee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    texte_instance = models.TextField("texte de l'instance", max_length=LONGUEUR_TEXTE_INSTANCE, blank=True)
    transmise_le = models.DateTimeField("transmise le", null=True, blank=True)
    transmise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rapport = models.ForeignKey(
        RapportNational, on_delete=models.PROTECT, null=True, blank=True, related_name="syntheses"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "synthèse départementale"
        verbose_name_plural = "synthèses départementales"
        ordering = ["-annee", "departement"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "annee"], name="synthese_unique_par_annee"),
        ]

    def __str__(self) -> str:
        return f"Synthèse {self.annee} — {self.departement_id}"

    @transition(
        field=etat,
        source=EtatSynthese.BROUILLON,
        target=EtatSynthese.TRANSMISE,
        permission=permission_fsm(permissions.can_transmettre_synthese),
    )
    def transmettre(self) -> None:
        """R15: the instance transmits it; its figures are frozen from now on."""
        self.transmise_le = timezone.now()

    @transition(
        field=etat,
        source=EtatSynthese.TRANSMISE,
        target=EtatSynthese.CONSOLIDEE,
        permission=permission_fsm(permissions.can_consolider_synthese),
    )
    def consolider(self) -> None:
        """R15: the national report consolidated it."""
