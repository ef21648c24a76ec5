"""Reads of the documents app. Visibility follows the object a document belongs to (checked by the caller)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery

from documents.models import Document


def documents_de(objet: models.Model, type: str | None = None) -> QuerySet[Document]:
    """The documents issued for one object, newest first."""
    qs = Document.objects.filter(content_type=ContentType.objects.get_for_model(objet), object_id=objet.pk)
    return qs.filter(type=type) if type else qs


def derniers_documents(modele: type[models.Model], type: str, ids: Iterable[int]) -> dict[int, Document]:
    """The newest document of one type for each object of a page, keyed by object id, in one query."""
    ids = list(ids)
    if not ids:
        return {}
    documents = Document.objects.filter(
        type=type,
        content_type__app_label=modele._meta.app_label,
        content_type__model=modele._meta.model_name,
        object_id__in=ids,
    ).order_by("emis_le", "pk")
    return {document.object_id: document for document in documents if document.object_id is not None}


def numero_du_premier(type_document: str, app_label: str, modele: str) -> Subquery:
    """The number of the first document of `type_document` issued for the outer row (of model `app_label.modele`),
    as an expression for a list's query (empty until issued). Content types matched by name, not looked up."""
    return Subquery(
        Document.objects.filter(
            type=type_document, content_type__app_label=app_label, content_type__model=modele, object_id=OuterRef("pk")
        )
        .order_by("emis_le", "pk")
        .values("numero")[:1]
    )
