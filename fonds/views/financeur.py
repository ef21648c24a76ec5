"""A funder's own view (R8): what its money financed, per budget year; and the acceptance of a funder's
invitation. The view is read by the accounts the funder was given and by national staff (`can_voir_financeur`);
any other page of the fund answers 403 to a funder's account."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from fonds import permissions, services
from fonds.models import AccesFinanceur, Financeur
from fonds.selectors.tableaux import vue_du_financeur


@require_GET
def financeur(request: HttpRequest, pk: int) -> HttpResponse:
    objet = get_object_or_404(Financeur, pk=pk)
    if not permissions.can_voir_financeur(request.user, objet):
        raise PermissionDenied("Cette page est réservée au financeur et à l'équipe nationale.")
    return render(request, "fonds/financeur/financeur.html", {"vue": vue_du_financeur(objet)})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, jeton: str) -> HttpResponse:
    acces = get_object_or_404(AccesFinanceur.objects.select_related("financeur", "invite_par"), jeton=jeton)
    erreurs: list[str] = []
    if request.method == "POST":
        try:
            objet = services.acces_financeur_accepter(acteur=request.user, acces=acces)
        except ValidationError as erreur:
            erreurs = erreur.messages
        else:
            messages.success(request, f"Votre compte donne maintenant accès à ce que finance « {objet} ».")
            return redirect("fonds:financeur", objet.pk)
    return render(
        request,
        "fonds/financeur/invitation.html",
        {"acces": acces, "erreurs": erreurs},
        status=422 if erreurs else 200,
    )
