"""Spreadsheet exports shared by every app (SPEC §7): CSV for spreadsheets and XLSX, typed from the Python value
of each cell, with spreadsheet formulas in user text neutralised.

- A cell is a `Cellule`: text (`str`), an amount in euros (`Decimal`, CONVENTIONS §4), a whole number (`int`), a
  date, a date and time (shown in the local time zone), or None (empty).
- **Formula neutralisation** (`neutraliser`): a text that a spreadsheet would read as a formula or a command —
  it starts with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading apostrophe, in the CSV and in
  the XLSX, where it is also stored as a plain string (never as a formula). Only text is neutralised: amounts and
  dates are written as numbers and dates, so a negative amount stays a number.
- **CSV for spreadsheets** (`reponse_csv`): `;` and UTF-8 with a byte-order mark (so that accents open correctly
  in a French spreadsheet), decimal comma, dates `JJ/MM/AAAA`; streamed row by row, never built in memory.
  The same writer, with other options, writes the open-data CSV (comma, no byte-order mark).
- **XLSX** (`reponse_xlsx`): one sheet, a bold header row, typed cells (dates as dates, amounts as numbers with
  a euro number format), written by openpyxl in its write-only mode into a temporary file that spills to disk
  past a few megabytes, then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cellule = str | int | Decimal | date | datetime | None

# What makes a spreadsheet read a cell as a formula or a command (OWASP « CSV injection »).
DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
TYPE_CSV = "text/csv; charset=utf-8"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Number formats of the XLSX cells (format codes are locale-independent: a French spreadsheet shows
# « 1 234,56 € » and « 31/12/2027 »).
FORMAT_EUROS = '#,##0.00 "€"'
FORMAT_DATE = "DD/MM/YYYY"
FORMAT_DATE_HEURE = "DD/MM/YYYY HH:MM"
# The temporary XLSX file stays in memory up to this size, then goes to disk.
XLSX_EN_MEMOIRE = 8 * 1024 * 1024


def neutraliser(texte: str) -> str:
    """The text, with a leading apostrophe when a spreadsheet would read it as a formula (`=HYPERLINK(…)`,
    `+1`, `-2`, `@SUM(…)`, or a leading tab or carriage return)."""
    return "'" + texte if texte.startswith(DEBUTS_DANGEREUX) else texte


def _heure_locale(valeur: datetime) -> datetime:
    return timezone.localtime(valeur) if timezone.is_aware(valeur) else valeur


def texte_tableur(valeur: Cellule) -> str:
    """A cell as text for a French spreadsheet: decimal comma, `JJ/MM/AAAA` dates, neutralised text."""
    if valeur is None:
        return ""
    if isinstance(valeur, str):
        return neutraliser(valeur)
    if isinstance(valeur, Decimal):
        return f"{valeur:.2f}".replace(".", ",")
    if isinstance(valeur, datetime):
        return _heure_locale(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    return str(valeur)


class _Tampon:
    """A file-like object whose `write` hands the line back: `csv.writer` formats, the generator yields."""

    def write(self, ligne: str) -> str:
        return ligne


def flux_csv(
    entetes: Sequence[str],
    lignes: Iterable[Sequence[Cellule]],
    *,
    separateur: str = ";",
    bom: bool = True,
    formater: Callable[[Cellule], str] = texte_tableur,
) -> Iterator[str]:
    """The CSV, line by line: header row first, then each row formatted cell by cell (`\\r\\n` line ends)."""
    ecrivain = csv.writer(_Tampon(), delimiter=separateur)  # type: ignore[arg-type]
    yield (BOM if bom else "") + ecrivain.writerow(list(entetes))
    for ligne in lignes:
        yield ecrivain.writerow([formater(valeur) for valeur in ligne])


def _piece_jointe(reponse: StreamingHttpResponse | FileResponse, nom_fichier: str) -> None:
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    reponse["Cache-Control"] = "no-store"


def reponse_csv(
    nom_fichier: str,
    entetes: Sequence[str],
    lignes: Iterable[Sequence[Cellule]],
    *,
    separateur: str = ";",
    bom: bool = True,
    formater: Callable[[Cellule], str] = texte_tableur,
) -> StreamingHttpResponse:
    """A streamed CSV download (for spreadsheets by default: `;`, byte-order mark, French formats)."""
    flux = (
        morceau.encode("utf-8")
        for morceau in flux_csv(entetes, lignes, separateur=separateur, bom=bom, formater=formater)
    )
    reponse = StreamingHttpResponse(flux, content_type=TYPE_CSV)
    _piece_jointe(reponse, nom_fichier)
    return reponse


def _cellule_xlsx(feuille: object, valeur: Cellule) -> WriteOnlyCell:
    """A typed XLSX cell: text is neutralised, cleaned of the control characters XML refuses, and stored as a
    string; amounts are numbers in euros; dates are dates."""
    if isinstance(valeur, str):
        cellule = WriteOnlyCell(feuille, value=ILLEGAL_CHARACTERS_RE.sub("", neutraliser(valeur)))
        cellule.data_type = "s"
        return cellule
    if isinstance(valeur, datetime):
        cellule = WriteOnlyCell(feuille, value=_heure_locale(valeur).replace(tzinfo=None))
        cellule.number_format = FORMAT_DATE_HEURE
        return cellule
    cellule = WriteOnlyCell(feuille, value=valeur)
    if isinstance(valeur, Decimal):
        cellule.number_format = FORMAT_EUROS
    elif isinstance(valeur, date):
        cellule.number_format = FORMAT_DATE
    return cellule


def classeur_xlsx(titre: str, entetes: Sequence[str], lignes: Iterable[Sequence[Cellule]]) -> IO[bytes]:
    """A one-sheet workbook (header row, then the rows), in a temporary file rewound to its start."""
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet(title=titre[:31])
    feuille.freeze_panes = "A2"
    for rang, entete in enumerate(entetes, start=1):
        feuille.column_dimensions[get_column_letter(rang)].width = max(12, min(40, len(entete) + 4))
    gras = Font(bold=True)
    ligne_entetes = []
    for entete in entetes:
        cellule = WriteOnlyCell(feuille, value=entete)
        cellule.font = gras
        ligne_entetes.append(cellule)
    feuille.append(ligne_entetes)
    for ligne in lignes:
        feuille.append([_cellule_xlsx(feuille, valeur) for valeur in ligne])
    fichier = tempfile.SpooledTemporaryFile(max_size=XLSX_EN_MEMOIRE)  # noqa: SIM115 (FileResponse closes it)
    classeur.save(fichier)
    fichier.seek(0)
    return fichier  # type: ignore[return-value]


def reponse_xlsx(
    nom_fichier: str, titre: str, entetes: Sequence[str], lignes: Iterable[Sequence[Cellule]]
) -> FileResponse:
    """An XLSX download, streamed from its temporary file."""
    reponse = FileResponse(classeur_xlsx(titre, entetes, lignes), content_type=TYPE_XLSX)
    _piece_jointe(reponse, nom_fichier)
    return reponse
