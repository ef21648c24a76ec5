"""Issued documents: numbered, hashed, immutable (SPEC §6, R19)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from documents.enums import TypeDocument
from journal.chaine import Chainee, QuerySetChaine

CODE_NATIONAL = "FR"  # département part of the number for national documents


def chemin_document(instance: Document, filename: str) -> str:
    """A name nobody can guess: 128 random bits, not the document number (which is sequential).

    Documents carry personal data and are served only by the views that check permissions
    (`documents.views.reponse_pdf`); an unguessable name is the second line of defence. Rows issued
    before this change keep their old path (`documents/<year>/<number>.pdf`)."""
    return f"documents/{instance.annee}/{secrets.token_hex(16)}.pdf"


class CompteurDocument(models.Model):
    """The last sequence number used per (type, département, year); locked to number documents."""

    type = models.CharField(max_length=3, choices=TypeDocument.choices)
    departement = models.CharField(max_length=3)
    annee = models.PositiveSmallIntegerField()
    dernier = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "compteur de documents"
        constraints = [
            models.UniqueConstraint(fields=["type", "departement", "annee"], name="compteur_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.type}-{self.departement}-{self.annee} : {self.dernier}"


IMMUABLE = "Un document émis ne se modifie ni ne se supprime : émettez-en un nouveau (R19)."


class DocumentQuerySet(QuerySetChaine["Document"]):
    """Bulk writes would bypass the row-level guards: refuse them too (R19)."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(IMMUABLE)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(IMMUABLE)


class Document(Chainee):
    """A PDF issued by the platform. Never modified: re-issuing creates a new number (R19). Hash-chained, the file
    by its `sha256`; an anonymisation may rewrite the title and set `remplace_par` once (R20)."""

    CHAMPS_CHAINES = (
        "id",
        "numero",
        "type",
        "departement",
        "annee",
        "sequence",
        "fichier",
        "sha256",
        "taille",
        "content_type",
        "object_id",
        "emis_le",
        "emis_par",
    )
    TEXTES_LIBRES = ("titre",)
    COLONNES_REMPLACEMENT = ("remplace_par",)

    numero = models.CharField("numéro", max_length=40, unique=True)
    type = models.CharField(max_length=3, choices=TypeDocument.choices)
    departement = models.CharField(max_length=3)  # COG code, or CODE_NATIONAL
    annee = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    fichier = models.FileField(upload_to=chemin_document)
    sha256 = models.CharField(max_length=64)
    taille = models.PositiveIntegerField("taille (octets)")
    titre = models.CharField(max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    objet = GenericForeignKey("content_type", "object_id")
    emis_le = models.DateTimeField(default=timezone.now)
    emis_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set once, by an anonymisation that re-issued this document without the person's name (its file is purged).
    remplace_par = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="remplace", verbose_name="remplacé par"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        ordering = ["-emis_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "departement", "annee", "sequence"], name="document_sequence_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.numero

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(IMMUABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(IMMUABLE)

    @property
    def nom_fichier(self) -> str:
        return f"{self.numero}.pdf"
