"""R7, SPEC §6: the fund's documents a job that died left unissued. Signing a convention queues the issue of its
Convention triannuelle de financement, recording a payment that of its Attestation de versement (`fonds.tasks`);
a worker stopped at the wrong moment leaves the convention or the payment without its PDF. These reads find them,
one query each, for `manage.py documents_fonds`."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet

from documents.enums import TypeDocument
from documents.models import Document
from fonds.models import Convention, Versement


def _document_de(type_document: str, modele: type[models.Model]) -> Exists:
    """Whether the outer object has a document of this type (by the content type's natural key: no query for the
    content type itself)."""
    return Exists(
        Document.objects.filter(
            type=type_document,
            content_type__app_label=modele._meta.app_label,
            content_type__model=modele._meta.model_name,
            object_id=OuterRef("pk"),
        )
    )


def conventions_sans_document() -> QuerySet[Convention]:
    """Signed conventions (active or cancelled since) without their Convention triannuelle de financement, oldest
    signature first. An unsigned convention has no document due yet."""
    return (
        Convention.objects.filter(signee_le__isnull=False)
        .exclude(_document_de(TypeDocument.CONVENTION_FINANCEMENT, Convention))
        .select_related("departement")
        .order_by("signee_le", "pk")
    )


def versements_sans_attestation() -> QuerySet[Versement]:
    """Payments without their Attestation de versement, oldest first."""
    return (
        Versement.objects.exclude(_document_de(TypeDocument.ATTESTATION_VERSEMENT, Versement))
        .select_related("tranche__convention__departement")
        .order_by("date_versement", "pk")
    )
