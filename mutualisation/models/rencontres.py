"""R13: the département's mutualisation meetings: planned by an instructeur, collectifs invited, attendance
recorded, notes and documents shared with the invited collectifs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from collectifs.models import Collectif
from mutualisation.enums import EtatRencontre
from territoires.models import Departement

LONGUEUR_DESCRIPTION = 3000
LONGUEUR_COMPTE_RENDU = 20000
# R13: at least this many meetings a year in each département (SPEC R13 « default at least 2 a year »).
RENCONTRES_PAR_AN = 2


class Rencontre(ConcurrentTransitionMixin, models.Model):
    """A departmental meeting of the collectifs (R13)."""

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="rencontres")
    date = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200)
    theme = models.CharField("thème", max_length=200)
    description = models.TextField("programme", max_length=LONGUEUR_DESCRIPTION, blank=True)
    # Shared with the invited collectifs once written (notes of the meeting).
    compte_rendu = models.TextField("notes partagées", max_length=LONGUEUR_COMPTE_RENDU, blank=True)
    compte_rendu_le = models.DateTimeField("notes partagées le", null=True, blank=True)
    etat = FSMField("état", default=EtatRencontre.PREVUE, choices=EtatRencontre.choices, protected=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    motif_annulation = models.CharField("motif de l'annulation", max_length=500, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "rencontre départementale"
        verbose_name_plural = "rencontres départementales"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["departement", "date"], name="rencontre_dept_date")]

    def __str__(self) -> str:
        return f"{self.theme} ({timezone.localtime(self.date):%d/%m/%Y})"

    @transition(field=etat, source=EtatRencontre.PREVUE, target=EtatRencontre.ANNULEE)
    def annuler(self) -> None:
        """R13, R19: cancelled with a reason (the service checks who may); it stays in the list, no longer held."""
        self.annulee_le = timezone.now()


class InvitationRencontre(models.Model):
    """A collectif invited to a meeting, and whether it came (None until the attendance is recorded)."""

    rencontre = models.ForeignKey(Rencontre, on_delete=models.PROTECT, related_name="invitations")
    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="invitations_rencontres")
    invitee_le = models.DateTimeField(default=timezone.now, editable=False)
    present = models.BooleanField("présent", null=True, blank=True)
    # How many people of the collectif came: an aggregate, never names (R20).
    nombre_personnes = models.PositiveSmallIntegerField("nombre de personnes venues", null=True, blank=True)

    class Meta:
        verbose_name = "invitation à une rencontre"
        verbose_name_plural = "invitations aux rencontres"
        constraints = [
            models.UniqueConstraint(fields=["rencontre", "collectif"], name="invitation_rencontre_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.collectif} → {self.rencontre}"


def chemin_piece(instance: PieceRencontre, nom: str) -> str:
    return f"rencontres/{instance.rencontre_id}/{nom}"


class PieceRencontre(models.Model):
    """A document shared with the invited collectifs (slides, notes, photos of the paper board)."""

    rencontre = models.ForeignKey(Rencontre, on_delete=models.PROTECT, related_name="pieces")
    titre = models.CharField("titre", max_length=200)
    fichier = models.FileField("fichier", upload_to=chemin_piece)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    deposee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deposee_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "document d'une rencontre"
        verbose_name_plural = "documents des rencontres"
        ordering = ["deposee_le", "pk"]

    def __str__(self) -> str:
        return self.titre
