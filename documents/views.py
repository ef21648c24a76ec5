"""Serving issued documents. The caller has already checked that the user may see the document's object.

This is the only way a document leaves the server: no URL serves MEDIA_ROOT (config/urls.py), in any settings.
Behind nginx, DOCUMENTS_X_ACCEL_REDIRECT hands the sending to nginx's `internal` location (an internal redirect
that no client can request by itself), after the same checks."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

from documents.models import Document
from documents.services import document_lire


def reponse_pdf(document: Document, *, en_ligne: bool = False) -> HttpResponse:
    """The stored PDF, checked against its SHA-256, as a download (or inline).

    With DOCUMENTS_X_ACCEL_REDIRECT set, the body is empty and `X-Accel-Redirect` names the stored file under that
    prefix: nginx sends it. A document issued in the current transaction, whose file is not written yet, is sent
    by Django in any case."""
    contenu = document_lire(document)
    prefixe = settings.DOCUMENTS_X_ACCEL_REDIRECT
    if prefixe and document.fichier.storage.exists(document.fichier.name):
        reponse = HttpResponse(b"", content_type="application/pdf")
        reponse["X-Accel-Redirect"] = "/" + prefixe.strip("/") + "/" + quote(document.fichier.name)
    else:
        reponse = HttpResponse(contenu, content_type="application/pdf")
    disposition = "inline" if en_ligne else "attachment"
    reponse["Content-Disposition"] = f'{disposition}; filename="{document.nom_fichier}"'
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse
