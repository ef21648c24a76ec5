"""The payments list (R7) for the staff: the payments of the conventions of their départements (every one for
national staff), searched, filtered by budget year and département, sorted, 50 a page, exported
(`fonds.filtres.ListeVersements`). Référents, funders and employers have their own views, not this one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from comptes.permissions import est_equipe_nationale, est_instructeur
from fonds.filtres import ListeVersements, versements_du_perimetre


@require_GET
def versements(request: HttpRequest) -> HttpResponseBase:
    """R7: the payments of the conventions the user reads on the conventions list."""
    if not (est_equipe_nationale(request.user) or est_instructeur(request.user)):
        raise PermissionDenied("Cette page est réservée aux instructeur·rices et à l'équipe nationale.")
    liste = ListeVersements(request, versements_du_perimetre(request.user), user=request.user)
    if (export := liste.export()) is not None:
        return export
    return render(request, "fonds/versements/versements.html", {"page": liste.page(), "liste": liste})
