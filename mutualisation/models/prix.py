"""R18: the yearly prizes. A département's prize nominates published sheets of its collectifs; a jury mirroring the
three colleges (élus and heads of institutions, professionals, inhabitants) scores them; the laureates are
proclaimed, and the departmental laureates are the nominees of the national prize. Laureates show in the
catalogue."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from collectifs.enums import College
from core.permissions import permission_fsm
from mutualisation.enums import EtatPrix, NiveauPrix
from mutualisation.models.fiches import FichePratique
from mutualisation.permissions import prix as permissions
from territoires.models import Departement

NOTE_MAX = 10


class Prix(ConcurrentTransitionMixin, models.Model):
    """A yearly prize (R18): a département's (its instructeurs organise it) or the nation's (national staff)."""

    niveau = models.CharField("niveau", max_length=20, choices=NiveauPrix.choices)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="prix")
    annee = models.PositiveSmallIntegerField("année")
    titre = models.CharField("titre", max_length=200)
    etat = FSMField("état", default=EtatPrix.NOMINATIONS, choices=EtatPrix.choices, protected=True)
    proclame_le = models.DateTimeField("proclamé le", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "prix"
        verbose_name_plural = "prix"
        ordering = ["-annee", "niveau", "departement"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "annee"],
                condition=Q(niveau=NiveauPrix.DEPARTEMENTAL),
                name="un_prix_departemental_par_an",
            ),
            models.UniqueConstraint(
                fields=["annee"], condition=Q(niveau=NiveauPrix.NATIONAL), name="un_prix_national_par_an"
            ),
            models.CheckConstraint(
                condition=(Q(niveau=NiveauPrix.NATIONAL) & Q(departement__isnull=True))
                | (Q(niveau=NiveauPrix.DEPARTEMENTAL) & Q(departement__isnull=False)),
                name="prix_departement_selon_niveau",
            ),
        ]

    def __str__(self) -> str:
        return self.titre

    @transition(
        field=etat,
        source=EtatPrix.NOMINATIONS,
        target=EtatPrix.JURY,
        permission=permission_fsm(permissions.can_ouvrir_jury),
    )
    def ouvrir_jury(self) -> None:
        """R18: the nominations are closed; the jury scores."""

    @transition(
        field=etat,
        source=EtatPrix.JURY,
        target=EtatPrix.PROCLAME,
        permission=permission_fsm(permissions.can_proclamer_prix),
    )
    def proclamer(self) -> None:
        """R18: the laureates are proclaimed."""
        self.proclame_le = timezone.now()


class Nomination(models.Model):
    """A published sheet nominated for a prize; once proclaimed, its rank and whether it is a laureate."""

    prix = models.ForeignKey(Prix, on_delete=models.PROTECT, related_name="nominations")
    fiche = models.ForeignKey(FichePratique, on_delete=models.PROTECT, related_name="nominations")
    nominee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominee_le = models.DateTimeField(default=timezone.now, editable=False)
    laureat = models.BooleanField("lauréat", default=False)
    rang = models.PositiveSmallIntegerField("rang", null=True, blank=True)

    class Meta:
        verbose_name = "nomination"
        ordering = ["rang", "pk"]
        constraints = [models.UniqueConstraint(fields=["prix", "fiche"], name="nomination_unique")]

    def __str__(self) -> str:
        return f"{self.fiche} ({self.prix})"


class MembreJury(models.Model):
    """A juror, in one of the three colleges; with an account to score online."""

    prix = models.ForeignKey(Prix, on_delete=models.PROTECT, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="jurys"
    )
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    college = models.CharField("collège", max_length=30, choices=College.choices)

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering = ["college", "nom", "prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["prix", "user"], condition=Q(user__isnull=False), name="jure_unique_par_prix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"


class NoteJury(models.Model):
    """A juror's score of one nomination (0 to NOTE_MAX). A juror with a conflict of interest (a member of the
    nominated collectif) cannot score it (the service refuses)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="notes")
    membre_jury = models.ForeignKey(MembreJury, on_delete=models.PROTECT, related_name="notes")
    note = models.PositiveSmallIntegerField("note", validators=[MaxValueValidator(NOTE_MAX)])
    commentaire = models.TextField("commentaire", max_length=2000, blank=True)
    notee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "note du jury"
        verbose_name_plural = "notes du jury"
        constraints = [
            models.UniqueConstraint(fields=["nomination", "membre_jury"], name="note_unique_par_jure"),
            models.CheckConstraint(condition=Q(note__lte=NOTE_MAX), name="note_bornee"),
        ]

    def __str__(self) -> str:
        return f"{self.membre_jury} : {self.note}/{NOTE_MAX}"
