"""Downloads of the fund (SPEC §7): the SCDL « subventions » open-data file, and the staff's CSV and XLSX of
conventions, tranches, payments and ledger lines, with a page that lists them.

Deny by default: national staff (every département) and instructeurs (their départements) only; référents,
funders get 403, anonymous visitors go to the login page. The rows are chosen by `fonds.exports`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from comptes.permissions import est_equipe_nationale
from core.exports import reponse_csv, reponse_xlsx
from fonds import exports

FORMATS = ("csv", "xlsx")


def _exiger_acces(request: HttpRequest) -> None:
    if not exports.can_exporter(request.user):
        raise PermissionDenied("Les exports du fonds sont réservés aux instructeur·rices et à l'équipe nationale.")


def _jour() -> str:
    return timezone.localdate().strftime("%Y%m%d")


@require_GET
def exports_liste(request: HttpRequest) -> HttpResponse:
    _exiger_acces(request)
    return render(
        request,
        "fonds/exports/exports.html",
        {
            "jeux": exports.JEUX,
            "hors_scdl": exports.conventions_hors_scdl(request.user),
            "national": est_equipe_nationale(request.user),
        },
    )


@require_GET
def export_scdl(request: HttpRequest) -> StreamingHttpResponse:
    """The SCDL « subventions » 2.1.1 CSV: comma, UTF-8 without byte-order mark, streamed."""
    _exiger_acces(request)
    donneur = exports.attribuant()
    return reponse_csv(
        f"{_jour()}_{donneur.siret}_subventions.csv",
        exports.COLONNES_SCDL,
        exports.lignes_scdl(request.user, donneur),
        separateur=",",
        bom=False,
        formater=exports.texte_scdl,
    )


@require_GET
def export(request: HttpRequest, jeu: str, format: str) -> StreamingHttpResponse | FileResponse:
    """A staff export: CSV for spreadsheets (streamed) or XLSX."""
    _exiger_acces(request)
    if jeu not in exports.JEUX or format not in FORMATS:
        raise Http404("Cet export n'existe pas.")
    definition = exports.JEUX[jeu]
    nom = f"fonds-{jeu}-{_jour()}.{format}"
    lignes = definition.lignes(request.user)
    if format == "csv":
        return reponse_csv(nom, definition.entetes, lignes)
    return reponse_xlsx(nom, definition.titre, definition.entetes, lignes)
