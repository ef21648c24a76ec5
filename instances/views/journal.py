"""The research-action journal of a collectif (R10): the accompagnateur's dated entries, and the proxy entries
made on the members' behalf with their consent (R10, R20), each shown « saisi par … pour le compte de … ».

Read by the collectif's référents, its current accompagnateur, the département's instructeurs and national staff
(404 for anyone else); written by the current accompagnateur only (403 for the other readers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from collectifs.models import Collectif
from collectifs.permissions import can_saisir_pour_le_compte
from core.ui import appliquer_erreurs
from instances.forms import EntreeJournalForm
from instances.permissions import can_ecrire_journal
from instances.selectors import (
    accompagnement_en_cours,
    collectifs_du_journal_visible_to,
    journal_du_collectif,
    saisies_pour_autrui,
)
from instances.services_journal import entree_journal_ajouter


def _contexte(request: HttpRequest, collectif: Collectif, form: EntreeJournalForm | None) -> dict[str, Any]:
    """Everything the page shows, in a constant number of queries whatever the number of entries. Whoever writes
    the journal (the accompagnateur) may also enter data on the members' behalf: no second check then."""
    return {
        "collectif": collectif,
        "accompagnement": accompagnement_en_cours(collectif),
        "entrees": journal_du_collectif(collectif),
        "saisies": saisies_pour_autrui(collectif),
        "form": form,
        "peut_saisir": form is not None or can_saisir_pour_le_compte(request.user, collectif),
    }


@require_http_methods(["GET", "POST"])
def journal(request: HttpRequest, pk: int) -> HttpResponse:
    collectif = get_object_or_404(collectifs_du_journal_visible_to(request.user).prefetch_related("referents"), pk=pk)
    peut_ecrire = can_ecrire_journal(request.user, collectif)
    if request.method == "POST" and not peut_ecrire:
        raise PermissionDenied("Seul·e l'accompagnateur·rice du collectif écrit dans son journal.")
    form = EntreeJournalForm(request.POST or None) if peut_ecrire else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            entree_journal_ajouter(
                acteur=request.user,
                collectif=collectif,
                date_entree=form.cleaned_data["date"],
                texte=form.cleaned_data["texte"],
            )
        except ValidationError as erreur:
            appliquer_erreurs(form, erreur)
        else:
            messages.success(request, "L'entrée est ajoutée au journal.")
            return redirect("instances:journal", collectif.pk)
    return render(request, "instances/journal/journal.html", _contexte(request, collectif, form))
