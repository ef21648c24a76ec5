"""The append-only journal of state changes (R19). Low level: it knows no domain model."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from journal.chaine import Chainee, QuerySetChaine, TeteDeChaine

__all__ = ["Anonymisation", "Condense", "LigneAnonymisee", "TeteDeChaine", "TransitionLog"]

AJOUT_SEUL = "Le journal des transitions est en ajout seul : une ligne ne se modifie ni ne se supprime."


class TransitionLogQuerySet(QuerySetChaine["TransitionLog"]):
    """Bulk writes would bypass the row-level guards below: refuse them too (R19)."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(AJOUT_SEUL)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(AJOUT_SEUL)


class TransitionLog(Chainee):
    """One row per state change of any object: object, from, to, actor, time, comment (R19). Hash-chained."""

    CHAMPS_CHAINES = (
        "id",
        "content_type",
        "object_id",
        "champ",
        "transition",
        "source",
        "cible",
        "acteur",
        "horodatage",
    )
    TEXTES_LIBRES = ("commentaire",)

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    champ = models.CharField(max_length=50, default="etat")
    transition = models.CharField(max_length=80)
    source = models.CharField(max_length=50)
    cible = models.CharField(max_length=50)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    horodatage = models.DateTimeField(default=timezone.now)
    commentaire = models.TextField(blank=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = "journal de transition"
        verbose_name_plural = "journal des transitions"
        ordering = ["horodatage", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} : {self.source} → {self.cible}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Le journal des transitions est en ajout seul : une ligne ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Le journal des transitions est en ajout seul : une ligne ne se supprime pas.")


TRACE_AJOUT_SEUL = "Cette trace est en ajout seul : une ligne ne se modifie ni ne se supprime."


class AjoutSeulQuerySet(models.QuerySet[Any]):
    """The anonymisation records and the digests are append-only too."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(TRACE_AJOUT_SEUL)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(TRACE_AJOUT_SEUL)


class AjoutSeulChaineQuerySet(QuerySetChaine[Any]):
    """Append-only and chained."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(TRACE_AJOUT_SEUL)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(TRACE_AJOUT_SEUL)


class AjoutSeul(models.Model):
    """Python guards of an append-only row (a PostgreSQL trigger too)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(TRACE_AJOUT_SEUL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(TRACE_AJOUT_SEUL)


class Anonymisation(AjoutSeul, Chainee):
    """One anonymisation of a person (R20): who, when, why, the pseudonym; never the old name. Hash-chained."""

    CHAMPS_CHAINES = ("id", "acteur", "horodatage", "pseudonyme", "reference")
    TEXTES_LIBRES = ("motif",)

    acteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    horodatage = models.DateTimeField(default=timezone.now)
    motif = models.TextField()
    pseudonyme = models.CharField(max_length=40)  # « Personne 8F3A »
    # An opaque HMAC of the person's key (never the name): finds an earlier anonymisation of the same person.
    reference = models.CharField(max_length=64, db_index=True)

    objects = AjoutSeulChaineQuerySet.as_manager()

    class Meta:
        verbose_name = "anonymisation"
        ordering = ["horodatage", "pk"]

    def __str__(self) -> str:
        return f"Anonymisation {self.pseudonyme} du {self.horodatage:%d/%m/%Y}"


class LigneAnonymisee(AjoutSeul, Chainee):
    """One column of a chained row rewritten by an anonymisation: the hash of its value before and after, so that
    the verifier can tell an anonymised text from a tampered one (R19, R20). Hash-chained."""

    CHAMPS_CHAINES = (
        "id",
        "anonymisation",
        "content_type",
        "object_id",
        "champ",
        "empreinte_ancienne",
        "empreinte_nouvelle",
    )

    anonymisation = models.ForeignKey(Anonymisation, on_delete=models.PROTECT, related_name="lignes")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    champ = models.CharField(max_length=50)
    # journal.chaine.empreinte_texte() of the column's value before and after the rewrite.
    empreinte_ancienne = models.CharField(max_length=64)
    empreinte_nouvelle = models.CharField(max_length=64)

    objects = AjoutSeulChaineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne anonymisée"
        verbose_name_plural = "lignes anonymisées"
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}.{self.champ}"


class Condense(AjoutSeul):
    """The daily digest: each chained table's last rank and hash, signed with a key kept out of the database
    (HMAC-SHA-256, settings.JOURNAL_CLE_CONDENSE); a copy goes to a file (R19). Append-only."""

    date = models.DateField(unique=True)
    # {table: {"rang": n, "empreinte": h}}
    contenu = models.JSONField()
    signature = models.CharField(max_length=64)
    cree_le = models.DateTimeField(default=timezone.now)

    objects = AjoutSeulQuerySet.as_manager()

    class Meta:
        verbose_name = "condensé quotidien"
        verbose_name_plural = "condensés quotidiens"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Condensé du {self.date:%d/%m/%Y}"
