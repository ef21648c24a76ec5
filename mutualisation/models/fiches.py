"""R14: the practice sheets (FichePratique): what a collectif learnt about its *approach* (002:844), proposed to
the département, published in the public catalogue, retained by national staff for the national capitalisation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from collectifs.models import Collectif, Consentement
from core.permissions import permission_fsm
from fonds.models import Convention
from mutualisation.enums import EtatFiche
from mutualisation.permissions import fiches as permissions
from territoires.models import Departement

LONGUEUR_RESUME = 600
LONGUEUR_PARTIE = 6000
LONGUEUR_CREDITS = 1000
LONGUEUR_MESSAGE = 2000


class Theme(models.Model):
    """A theme of the catalogue (reference data, loaded by a data migration)."""

    code = models.SlugField("code", max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=100)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "thème"
        ordering = ["ordre", "libelle"]

    def __str__(self) -> str:
        return self.libelle


class FichePratique(ConcurrentTransitionMixin, models.Model):
    """An inspiring-practice sheet (R14). Public once published: it names no one, unless the credits name people
    who consented (`credits_consentis`)."""

    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="fiches")
    # The convention whose three-year cycle the sheet closes (SPEC §5), when the collectif was funded.
    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, null=True, blank=True, related_name="fiches")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="fiches")
    annee = models.PositiveSmallIntegerField("année")
    titre = models.CharField("titre", max_length=200)
    resume = models.TextField("en quelques mots", max_length=LONGUEUR_RESUME, blank=True)
    contexte = models.TextField("contexte", max_length=LONGUEUR_PARTIE, blank=True)
    demarche = models.TextField("la démarche", max_length=LONGUEUR_PARTIE, blank=True)
    difficultes = models.TextField("difficultés et façons de les surmonter", max_length=LONGUEUR_PARTIE, blank=True)
    ressources = models.TextField("ressources mobilisées", max_length=LONGUEUR_PARTIE, blank=True)
    paroles_habitants = models.TextField("paroles d'habitant·es", max_length=LONGUEUR_PARTIE, blank=True)
    credits = models.TextField("crédits", max_length=LONGUEUR_CREDITS, blank=True)
    credits_consentis = models.BooleanField(
        "les personnes nommées dans les crédits ont donné leur accord", default=False
    )
    territoire = models.CharField("territoire", max_length=200, blank=True)
    themes = models.ManyToManyField(Theme, related_name="fiches", blank=True)
    etat = FSMField("état", default=EtatFiche.BROUILLON, choices=EtatFiche.choices, protected=True)
    message_retour = models.TextField("message du département", max_length=LONGUEUR_MESSAGE, blank=True)
    # A proxy entry by the accompagnateur records the collectif's consent (R10, R20).
    consentement = models.ForeignKey(Consentement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now, editable=False)
    modifiee_le = models.DateTimeField(default=timezone.now)
    proposee_le = models.DateTimeField(null=True, blank=True)
    retournee_le = models.DateTimeField(null=True, blank=True)
    publiee_le = models.DateTimeField(null=True, blank=True)
    retenue_le = models.DateTimeField(null=True, blank=True)
    # PostgreSQL: the weighted French search vector (title A, summary and themes B, the parts C), kept up to date by
    # the services; its GIN index is made by a PostgreSQL-only migration. Unused on SQLite.
    recherche = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "fiche pratique"
        verbose_name_plural = "fiches pratiques"
        ordering = ["-publiee_le", "-pk"]
        indexes = [models.Index(fields=["etat", "departement", "annee"], name="fiche_etat_dept_annee")]

    def __str__(self) -> str:
        return self.titre

    @transition(
        field=etat,
        source=EtatFiche.BROUILLON,
        target=EtatFiche.PROPOSEE,
        permission=permission_fsm(permissions.can_proposer_fiche),
    )
    def proposer(self) -> None:
        """R14: the collectif proposes its sheet to the département (the service checks it is complete)."""
        self.proposee_le = timezone.now()

    @transition(
        field=etat,
        source=EtatFiche.PROPOSEE,
        target=EtatFiche.BROUILLON,
        permission=permission_fsm(permissions.can_examiner_fiche),
    )
    def retourner(self) -> None:
        """R14: the département returns it to the collectif with a comment."""
        self.retournee_le = timezone.now()

    @transition(
        field=etat,
        source=EtatFiche.PROPOSEE,
        target=EtatFiche.PUBLIEE,
        permission=permission_fsm(permissions.can_examiner_fiche),
    )
    def publier(self) -> None:
        """R14: the département publishes it in the public catalogue."""
        self.publiee_le = timezone.now()

    @transition(
        field=etat,
        source=EtatFiche.PUBLIEE,
        target=EtatFiche.RETENUE,
        permission=permission_fsm(permissions.can_retenir_fiche),
    )
    def retenir(self) -> None:
        """R14: national staff retain it for the national capitalisation."""
        self.retenue_le = timezone.now()
