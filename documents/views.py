"""Serving issued documents. The caller has already checked that the user may see the document's object.

This is the only way a document leaves the server: no URL serves MEDIA_ROOT (config/urls.py), in any settings."""

from __future__ import annotations

from django.http import HttpResponse

from documents.models import Document
from documents.services import document_lire


def reponse_pdf(document: Document, *, en_ligne: bool = False) -> HttpResponse:
    """The stored PDF, checked against its SHA-256, as a download (or inline)."""
    reponse = HttpResponse(document_lire(document), content_type="application/pdf")
    disposition = "inline" if en_ligne else "attachment"
    reponse["Content-Disposition"] = f'{disposition}; filename="{document.nom_fichier}"'
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse
