"""Shared UI helpers: the DSFR form base and the mapping of service errors onto form fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from dsfr.forms import DsfrBaseForm

# A native date picker that shows the value in ISO form (what <input type="date"> expects).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Formulaire(DsfrBaseForm):
    """Base of every form of the project: DSFR markup, errors linked to their field (RGAA)."""

    def get_context(self) -> dict[str, Any]:
        # DsfrBaseForm.get_context warns on every render whatever DSFR_MARK_OPTIONAL_FIELDS says (django-dsfr
        # 3.x transition); the snippets read the setting themselves, so only the context variable is set here.
        context = forms.Form.get_context(self)
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", getattr(settings, "DSFR_MARK_OPTIONAL_FIELDS", False))
        return context


def appliquer_erreurs(form: forms.BaseForm, erreur: ValidationError, renvois: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError next to the matching fields; the rest goes on top of the form.

    `renvois` maps a service field name to a form field name when they differ."""
    renvois = renvois or {}
    if not hasattr(erreur, "error_dict"):
        form.add_error(None, erreur.messages)
        return
    for champ, textes in erreur.message_dict.items():
        cible = renvois.get(champ, champ)
        form.add_error(cible if cible in form.fields else None, textes)


def au_plus(longueur: int, aide: str = "") -> str:
    """The help text of a bounded text field: « … 5 000 caractères au plus. » (the field also sets `maxlength`)."""
    limite = f"{longueur:,}".replace(",", " ") + " caractères au plus."
    return f"{aide} {limite}" if aide else limite


def donnees_postees(request: HttpRequest) -> Any:
    """The submitted data of a POST (even empty, so that required fields say so), None for a GET."""
    return request.POST if request.method == "POST" else None


def formulaire_traiter(
    request: HttpRequest,
    form: forms.BaseForm,
    appel: Callable[[dict[str, Any]], Any],
    succes: Callable[[Any], str],
    suite: Callable[[Any], HttpResponse | str],
    gabarit: str,
    contexte: dict[str, Any],
) -> HttpResponse:
    """A form page that calls one service: on a valid POST, call it, tell the success and go on (`suite` gives a
    response or an address); the service's errors go next to their fields (422) and the input is kept."""
    if request.method == "POST":
        if form.is_valid():
            try:
                resultat = appel(form.cleaned_data)
            except ValidationError as erreur:
                appliquer_erreurs(form, erreur)
            else:
                messages.success(request, succes(resultat))
                reponse = suite(resultat)
                return redirect(reponse) if isinstance(reponse, str) else reponse
        return render(request, gabarit, {**contexte, "form": form}, status=422)
    return render(request, gabarit, {**contexte, "form": form})
