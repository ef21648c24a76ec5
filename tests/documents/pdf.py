"""Reading issued PDFs in tests: their text (SPEC §6: PDFs are tested on their text) and every byte."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import StreamObject

# A valid, one-page, empty PDF: what `documents.services.rendre_pdf` returns in tests not marked `pdf`
# (see the `_pdf_factice` fixture in tests/conftest.py).
PDF_MINIMAL = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def texte_pdf(contenu: bytes) -> str:
    """The text of every page, whitespace collapsed so that line wraps do not matter."""
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(page.extract_text() for page in lecteur.pages).split())


def octets_pdf(contenu: bytes) -> bytes:
    """The raw file followed by every stream decoded: a leaked file may hide in a compressed stream."""
    lecteur = PdfReader(io.BytesIO(contenu))
    morceaux = [contenu]
    for numero in range(1, int(lecteur.trailer["/Size"])):
        objet = lecteur.get_object(numero)
        if isinstance(objet, StreamObject):
            morceaux.append(objet.get_data())
    return b"\n".join(morceaux)


def pieces_jointes(contenu: bytes) -> list[str]:
    """Names of the files embedded in the PDF: the catalog's EmbeddedFiles and file-attachment annotations."""
    lecteur = PdfReader(io.BytesIO(contenu))
    noms = lecteur.trailer["/Root"].get("/Names")
    trouvees = []
    if noms is not None and "/EmbeddedFiles" in noms.get_object():
        trouvees.extend(lecteur.attachments or ["/EmbeddedFiles"])
    for page in lecteur.pages:
        for annotation in page["/Annots"].get_object() if "/Annots" in page else []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                trouvees.append("/FileAttachment")
    return trouvees


def polices_pdf(contenu: bytes) -> set[str]:
    """Base names of the fonts used by the pages, without the subset prefix (e.g. « Marianne-Bold »)."""
    lecteur = PdfReader(io.BytesIO(contenu))
    polices = set()
    for page in lecteur.pages:
        ressources = page["/Resources"].get_object()
        for police in ressources["/Font"].get_object().values() if "/Font" in ressources else []:
            nom = str(police.get_object()["/BaseFont"]).lstrip("/")
            polices.add(nom.split("+", 1)[-1])
    return polices
