"""The single way the project sends an e-mail: one template, recipients without duplicates or blanks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse


def courriel_envoyer(sujet: str, gabarit: str, contexte: dict[str, Any], destinataires: Iterable[str]) -> int:
    """Render `gabarit` with `contexte` and send it; returns how many distinct addresses received it."""
    adresses = sorted({adresse for adresse in destinataires if adresse})
    if not adresses:
        return 0
    send_mail(subject=sujet, message=render_to_string(gabarit, contexte), from_email=None, recipient_list=adresses)
    return len(adresses)


def url_absolue(nom: str, *args: Any) -> str:
    """The absolute URL of a named route, for e-mails (SITE_URL + reverse)."""
    return settings.SITE_URL + reverse(nom, args=args)
