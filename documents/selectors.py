"""Reads of the documents app. Visibility follows the object a document belongs to (checked by the caller)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from documents.models import Document


def documents_de(objet: models.Model, type: str | None = None) -> QuerySet[Document]:
    """The documents issued for one object, newest first."""
    qs = Document.objects.filter(content_type=ContentType.objects.get_for_model(objet), object_id=objet.pk)
    return qs.filter(type=type) if type else qs
