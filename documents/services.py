"""Issuing documents: numbering TYPE-DEPT-YEAR-SEQ under concurrency, SHA-256, immutable file (SPEC §6)."""

from __future__ import annotations

import contextlib
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils.text import Truncator

from comptes.models import Acteur, personne
from documents.models import CompteurDocument, Document
from documents.rendu import rendre_pdf


def _sequence_suivante(*, type: str, departement: str, annee: int) -> int:
    """Lock the counter row of (type, département, year) and take the next number.

    Must run inside a transaction: the lock is held until the caller commits, so two
    concurrent issuers of the same series are serialised and never get the same number.
    """
    with transaction.atomic():
        # If another transaction created the row first, the lock below waits for it.
        with contextlib.suppress(IntegrityError), transaction.atomic():
            CompteurDocument.objects.get_or_create(type=type, departement=departement, annee=annee)
        compteur = CompteurDocument.objects.select_for_update().get(type=type, departement=departement, annee=annee)
        compteur.dernier += 1
        compteur.save(update_fields=["dernier"])
        return compteur.dernier


def formater_numero(*, type: str, departement: str, annee: int, sequence: int) -> str:
    return f"{type}-{departement}-{annee}-{sequence:05d}"


def document_emettre(
    *,
    acteur: Acteur | None,
    type: str,
    departement: str,
    annee: int,
    titre: str,
    template: str,
    contexte: dict[str, object],
    objet: models.Model | None = None,
) -> Document:
    """Number, render, hash and store one document. Runs in the caller's transaction (R19: immutable)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_emettre doit être appelé dans une transaction.")
    sequence = _sequence_suivante(type=type, departement=departement, annee=annee)
    numero = formater_numero(type=type, departement=departement, annee=annee, sequence=sequence)
    contenu = rendre_pdf(template, {**contexte, "numero": numero, "titre": titre})
    document = Document(
        numero=numero,
        type=type,
        departement=departement,
        annee=annee,
        sequence=sequence,
        sha256=hashlib.sha256(contenu).hexdigest(),
        taille=len(contenu),
        titre=Truncator(titre).chars(Document._meta.get_field("titre").max_length or 200),
        content_type=ContentType.objects.get_for_model(objet) if objet is not None else None,
        object_id=objet.pk if objet is not None else None,
        emis_par=personne(acteur),
    )
    document.fichier.save(f"{numero}.pdf", ContentFile(contenu), save=False)
    document.save()
    return document


def document_lire(document: Document) -> bytes:
    """Read the stored bytes and check them against the recorded SHA-256."""
    with document.fichier.open("rb") as fichier:
        contenu = fichier.read()
    if hashlib.sha256(contenu).hexdigest() != document.sha256:
        raise ValueError(f"Le fichier du document {document.numero} a été altéré.")
    return bytes(contenu)
