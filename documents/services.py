"""Issuing documents: numbering TYPE-DEPT-YEAR-SEQ under concurrency, SHA-256, immutable file (SPEC §6).

The file of an issued document is written only when the transaction that numbered it commits: a rolled-back
issue leaves no PDF (personal data) on disk, and its number is reissued cleanly. Until the commit, the bytes
wait in the connection's on-commit queue, where `document_lire` finds them.
"""

from __future__ import annotations

import contextlib
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
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


class _EcritureALaValidation:
    """The on-commit callback that writes an issued document's bytes under its (random) storage name.

    Until the commit the bytes live only in this callback, queued on the connection: a rollback of the
    transaction, or of the savepoint the document was issued in, drops the callback and the bytes with it.
    If the write itself fails after the commit, the error reaches the caller (not `robust`): the row then
    points to a missing file, which `document_lire` reports rather than serving anything else."""

    def __init__(self, *, stockage: Storage, nom: str, contenu: bytes) -> None:
        self.stockage = stockage
        self.nom = nom
        self.contenu: bytes | None = contenu  # None once written: the file is then the reference

    def __call__(self) -> None:
        if self.contenu is None:
            return
        enregistre = self.stockage.save(self.nom, ContentFile(self.contenu))
        if enregistre != self.nom:  # 128 random bits collided: the row must not point to another file
            self.stockage.delete(enregistre)
            raise RuntimeError(f"Le nom de fichier {self.nom} est déjà pris : document non enregistré.")
        self.contenu = None


def _contenu_en_attente(document: Document) -> bytes | None:
    """The bytes of a document issued in the current transaction and not yet written (see above)."""
    # Django 5.2 queues (savepoint ids, callback, robust) triples; its captureOnCommitCallbacks reads them too.
    for _points, rappel, _robuste in transaction.get_connection().run_on_commit:
        if isinstance(rappel, _EcritureALaValidation) and rappel.nom == document.fichier.name and rappel.contenu:
            return rappel.contenu
    return None


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
    """Number, render, hash and store one document. Runs in the caller's transaction (R19: immutable).

    The row is saved now; the file is written when the caller's transaction commits, under a random name
    (`documents.models.chemin_document`). Within the transaction, `document_lire` already returns the bytes."""
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
    document.fichier.name = document.fichier.field.generate_filename(document, f"{numero}.pdf")
    document.save()
    transaction.on_commit(
        _EcritureALaValidation(stockage=document.fichier.storage, nom=document.fichier.name, contenu=contenu)
    )
    return document


def document_lire(document: Document) -> bytes:
    """Read the stored bytes (or, before the commit, the bytes waiting to be written) and check their SHA-256."""
    contenu = _contenu_en_attente(document)
    if contenu is None:
        with document.fichier.open("rb") as fichier:
            contenu = fichier.read()
    if hashlib.sha256(contenu).hexdigest() != document.sha256:
        raise ValueError(f"Le fichier du document {document.numero} a été altéré.")
    return bytes(contenu)
