"""What the Fiche pratique PDF says (SPEC §6, R14), and how it is read back. The PDF is issued once, when the sheet
is published (`mutualisation.tasks_fiches.emettre_fiche_pratique`), numbered FIP-<département>-<year of the
sheet>-<sequence>, attached to its FichePratique by the generic relation of `documents.models.Document`. It is
public like the sheet: served to anyone by `mutualisation.views.catalogue.fiche_pdf` once the sheet is public.

It holds only what the public page shows: the sheet's texts, themes, territory, year, département and collectif,
and the credits (whose named people consented, R14). No member, no e-mail."""

from __future__ import annotations

from typing import Any

from documents.enums import TypeDocument
from documents.models import Document
from documents.reemission import Rendu
from documents.selectors import documents_de
from mutualisation.models import FichePratique

TEMPLATE_FICHE = "mutualisation/fiches/pdf.html"


def titre_du_document(fiche: FichePratique) -> str:
    return f"Fiche pratique — {fiche.titre}"


def contexte_fiche(fiche: FichePratique) -> dict[str, Any]:
    """R14: the sheet as published, for the PDF template."""
    return {
        "fiche": fiche,
        "collectif": fiche.collectif,
        "departement": fiche.departement,
        "themes": list(fiche.themes.order_by("ordre", "libelle")),
    }


def pdf_de_la_fiche(fiche: FichePratique) -> Document | None:
    """The issued PDF of a sheet (the first, and only, one), or None while the worker has not issued it yet."""
    return documents_de(fiche, TypeDocument.FICHE_PRATIQUE).order_by("emis_le", "pk").first()


def rendu_fiche(fiche: FichePratique) -> Rendu:
    """The PDF of a practice sheet."""
    return Rendu(titre=titre_du_document(fiche), template=TEMPLATE_FICHE, contexte=contexte_fiche(fiche))
