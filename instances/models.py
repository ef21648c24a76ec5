"""The departmental instance (R5, R6): members in colleges, presidency, séances, agenda points, votes, conflicts of
interest; and the registry of accompagnateurs with their assignments (R10)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from campagnes.models import Campagne
from core.permissions import permission_fsm
from instances import permissions
from instances.enums import ChoixVote, CollegeInstance, EtatSeance, MotifRefus, ResultatPoint
from territoires.models import Departement

# The written reasons of a refusal (R5): a few paragraphs, printed on the decision.
LONGUEUR_MOTIFS_REFUS = 5000


class InstanceDepartementale(models.Model):
    """The departmental instance that decides on declarations (R5, R6)."""

    departement = models.OneToOneField(Departement, on_delete=models.PROTECT, related_name="instance")
    nom = models.CharField(max_length=200)
    # Quorum: strictly more than this fraction of the voting members present (R5; default: more than half).
    quorum_fraction = models.DecimalField(
        "quorum (fraction des membres votants)",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.99"))],
    )
    duree_mandat_mois = models.PositiveSmallIntegerField("durée du mandat de la présidence (mois)", default=12)
    # Who a collectif contacts for help (« Besoin d'aide ? » on the collectif's pages): the secretariat.
    contact_email = models.EmailField("adresse électronique de contact", blank=True)
    contact_telephone = models.CharField("téléphone de contact", max_length=30, blank=True)
    contact_horaires = models.CharField(
        "horaires de contact", max_length=200, blank=True, help_text="Par exemple : du lundi au vendredi, 9 h – 12 h"
    )

    class Meta:
        verbose_name = "instance départementale"
        verbose_name_plural = "instances départementales"

    def __str__(self) -> str:
        return self.nom


class MembreInstance(models.Model):
    """A member of the instance, representing an institution, in one college; voting or not (SPEC §3)."""

    instance = models.ForeignKey(InstanceDepartementale, on_delete=models.PROTECT, related_name="membres")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="membres_instance"
    )
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    institution = models.CharField("institution représentée", max_length=200)
    college = models.CharField("collège", max_length=30, choices=CollegeInstance.choices)
    votant = models.BooleanField("voix délibérative", default=True)
    # Order of the presidency rotation among member institutions (R6).
    rang_rotation = models.PositiveSmallIntegerField("rang dans la rotation de la présidence")
    actif = models.BooleanField(default=True)
    # The day the membership ended (actif=False); the row, its votes and presidencies stay.
    fin = models.DateField("fin du mandat de membre", null=True, blank=True)

    class Meta:
        verbose_name = "membre de l'instance"
        verbose_name_plural = "membres de l'instance"
        ordering = ["rang_rotation"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "rang_rotation"], name="membre_instance_rang_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom} ({self.institution})"


class Presidence(models.Model):
    """One term of presidency. Created only by the rotation service (R6); the history is kept."""

    instance = models.ForeignKey(InstanceDepartementale, on_delete=models.PROTECT, related_name="presidences")
    membre = models.ForeignKey(MembreInstance, on_delete=models.PROTECT, related_name="presidences")
    debut = models.DateField("début du mandat")
    fin_prevue = models.DateField("fin prévue du mandat")
    fin = models.DateField("fin du mandat", null=True, blank=True)
    designee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "présidence"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance"], condition=models.Q(fin__isnull=True), name="une_presidence_en_cours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membre} depuis le {self.debut:%d/%m/%Y}"


class Seance(ConcurrentTransitionMixin, models.Model):
    """A session of the instance: agenda, attendance, conflicts of interest, votes, minutes (R5)."""

    instance = models.ForeignKey(InstanceDepartementale, on_delete=models.PROTECT, related_name="seances")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="seances")
    date = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200, blank=True)
    etat = FSMField("état", default=EtatSeance.PREPARATION, choices=EtatSeance.choices, protected=True)
    convoques = models.ManyToManyField(MembreInstance, related_name="convocations", blank=True)
    presents = models.ManyToManyField(MembreInstance, related_name="presences", blank=True)
    president = models.ForeignKey(
        MembreInstance, on_delete=models.PROTECT, null=True, blank=True, related_name="seances_presidees"
    )
    cloturee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "séance"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Séance du {timezone.localtime(self.date):%d/%m/%Y} — {self.instance}"

    @transition(
        field=etat,
        source=EtatSeance.PREPARATION,
        target=EtatSeance.EN_COURS,
        permission=permission_fsm(permissions.can_gerer_seance),
    )
    def ouvrir(self) -> None:
        """The séance starts: attendance is recorded."""

    @transition(
        field=etat,
        source=EtatSeance.EN_COURS,
        target=EtatSeance.CLOSE,
        permission=permission_fsm(permissions.can_gerer_seance),
    )
    def clore(self) -> None:
        """The séance closes: decisions are final, minutes and decisions are issued."""


def _montant_tranche(libelle: str) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        libelle, max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))]
    )


class PointOrdreDuJour(models.Model):
    """One declaration on a séance's agenda, and what was decided (R5)."""

    seance = models.ForeignKey(Seance, on_delete=models.PROTECT, related_name="points")
    declaration = models.ForeignKey("collectifs.Declaration", on_delete=models.PROTECT, related_name="points")
    rang = models.PositiveSmallIntegerField()
    resultat = models.CharField(max_length=20, choices=ResultatPoint.choices, blank=True)
    motif_refus = models.CharField("motif du refus", max_length=20, choices=MotifRefus.choices, blank=True)
    motifs = models.TextField("motivation", blank=True, max_length=LONGUEUR_MOTIFS_REFUS)
    # R7: the instance may give more than the campaign's minimum, per year (None: the minimum).
    montant_annee_1 = _montant_tranche("tranche de l'année 1 (€)")
    montant_annee_2 = _montant_tranche("tranche de l'année 2 (€)")
    montant_annee_3 = _montant_tranche("tranche de l'année 3 (€)")
    statue_le = models.DateTimeField(null=True, blank=True)
    # R17: the written reasons for agreeing despite the equity warning, and that warning as it stood when the
    # point was agreed (both printed on the decision).
    motifs_equite = models.TextField("motifs de la dérogation au plafond", blank=True, max_length=LONGUEUR_MOTIFS_REFUS)
    alerte_equite = models.TextField("alerte d'équité passée outre", blank=True)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        ordering = ["seance", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "declaration"], name="point_unique_par_seance"),
        ]

    def __str__(self) -> str:
        return f"{self.rang}. {self.declaration.collectif}"


class ConflitInterets(models.Model):
    """A member declares a conflict of interest with a collectif: they do not vote on it (R5)."""

    point = models.ForeignKey(PointOrdreDuJour, on_delete=models.PROTECT, related_name="conflits")
    membre = models.ForeignKey(MembreInstance, on_delete=models.PROTECT, related_name="conflits")
    commentaire = models.CharField(max_length=300, blank=True)
    declare_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "conflit d'intérêts"
        verbose_name_plural = "conflits d'intérêts"
        constraints = [models.UniqueConstraint(fields=["point", "membre"], name="conflit_unique")]

    def __str__(self) -> str:
        return f"{self.membre} — {self.point}"


class Vote(models.Model):
    """One member's vote on one declaration: pour, contre or abstention (R5)."""

    point = models.ForeignKey(PointOrdreDuJour, on_delete=models.PROTECT, related_name="votes")
    membre = models.ForeignKey(MembreInstance, on_delete=models.PROTECT, related_name="votes")
    choix = models.CharField(max_length=20, choices=ChoixVote.choices)

    class Meta:
        verbose_name = "vote"
        constraints = [models.UniqueConstraint(fields=["point", "membre"], name="vote_unique")]

    def __str__(self) -> str:
        return f"{self.membre} : {self.get_choix_display()}"


class Accompagnateur(models.Model):
    """A facilitator registered in the département's programme (R10)."""

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="accompagnateurs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="accompagnateurs"
    )
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    structure = models.CharField("structure", max_length=200, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "accompagnateur·rice"
        ordering = ["nom", "prenom"]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}" + (f" ({self.structure})" if self.structure else "")


class AffectationAccompagnateur(models.Model):
    """The accompagnateur assigned to a collectif (R10); a new assignment ends the previous one."""

    collectif = models.ForeignKey("collectifs.Collectif", on_delete=models.PROTECT, related_name="affectations")
    accompagnateur = models.ForeignKey(Accompagnateur, on_delete=models.PROTECT, related_name="affectations")
    affecte_le = models.DateTimeField(default=timezone.now)
    affecte_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fin = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "affectation d'accompagnateur·rice"
        ordering = ["-affecte_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectif"], condition=models.Q(fin__isnull=True), name="une_affectation_en_cours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accompagnateur} → {self.collectif}"


# One entry of the research-action journal: a few paragraphs about a meeting, a step, a difficulty.
LONGUEUR_ENTREE_JOURNAL = 5000


class EntreeJournal(models.Model):
    """A dated entry of the accompagnateur's research-action journal on a collectif (R10). Never edited: a
    correction is a new entry."""

    collectif = models.ForeignKey("collectifs.Collectif", on_delete=models.PROTECT, related_name="entrees_journal")
    accompagnateur = models.ForeignKey(Accompagnateur, on_delete=models.PROTECT, related_name="entrees_journal")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The day of what is related (a meeting, a workshop), not the day it was typed.
    date = models.DateField("date")
    texte = models.TextField("entrée du journal", max_length=LONGUEUR_ENTREE_JOURNAL)
    cree_le = models.DateTimeField("saisie le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "entrée du journal de recherche-action"
        verbose_name_plural = "entrées du journal de recherche-action"
        ordering = ["-date", "-cree_le", "-pk"]
        indexes = [models.Index(fields=["collectif", "-date"], name="journal_collectif_date")]

    def __str__(self) -> str:
        return f"{self.collectif} — {self.date:%d/%m/%Y}"


# --- Staff invitations (instructeurs, instance members, accompagnateurs) -------------------------------------------

# An invitation link works for this long.
DUREE_INVITATION = timedelta(days=14)


class RoleInvitation(models.TextChoices):
    """The role a staff invitation gives (employers' and funders' invitations live in fonds)."""

    INSTRUCTEUR = "instructeur", "Instructeur·rice du département"
    MEMBRE_INSTANCE = "membre_instance", "Membre de l'instance départementale"
    ACCOMPAGNATEUR = "accompagnateur", "Accompagnateur·rice"


class EtatInvitation(models.TextChoices):
    """An invitation waits, then is accepted once or cancelled; an expired one stays « en attente » past its
    date (expiry is read from `expire_le`, not journalled)."""

    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTEE = "acceptee", "Acceptée"
    ANNULEE = "annulee", "Annulée"


def _expiration() -> Any:
    return timezone.now() + DUREE_INVITATION


class Invitation(ConcurrentTransitionMixin, models.Model):
    """An e-mailed invitation to take a staff role in a département: instructeur, member of its instance (linked
    to the MembreInstance row) or accompagnateur (linked to the registry row). Works once, expires, can be
    cancelled; every step is journalled (R19)."""

    role = models.CharField("rôle", max_length=20, choices=RoleInvitation.choices)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="invitations_personnel")
    membre = models.ForeignKey(
        MembreInstance, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    accompagnateur = models.ForeignKey(
        Accompagnateur, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField("adresse électronique")
    jeton = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)
    etat = FSMField("état", default=EtatInvitation.EN_ATTENTE, choices=EtatInvitation.choices, protected=True)
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invite_le = models.DateTimeField("invitée le", default=timezone.now)
    expire_le = models.DateTimeField("expire le", default=_expiration)
    acceptee_le = models.DateTimeField("acceptée le", null=True, blank=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations_acceptees"
    )

    class Meta:
        verbose_name = "invitation du personnel"
        verbose_name_plural = "invitations du personnel"
        ordering = ["-invite_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="instructeur", membre__isnull=True, accompagnateur__isnull=True)
                    | models.Q(role="membre_instance", membre__isnull=False, accompagnateur__isnull=True)
                    | models.Q(role="accompagnateur", membre__isnull=True, accompagnateur__isnull=False)
                ),
                name="invitation_portee_selon_role",
            ),
        ]
        indexes = [models.Index(fields=["departement", "-invite_le"], name="invitation_dept_date")]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} ({self.departement_id})"

    @property
    def expiree(self) -> bool:
        return self.etat == EtatInvitation.EN_ATTENTE and self.expire_le <= timezone.now()

    @transition(field=etat, source=EtatInvitation.EN_ATTENTE, target=EtatInvitation.ACCEPTEE)
    def accepter(self) -> None:
        """The invited person accepts: the role is granted by the calling service."""
        self.acceptee_le = timezone.now()

    @transition(field=etat, source=EtatInvitation.EN_ATTENTE, target=EtatInvitation.ANNULEE)
    def annuler(self) -> None:
        """Whoever may invite cancels a pending invitation."""
        self.annulee_le = timezone.now()
