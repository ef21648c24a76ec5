"""Plausible dates. A typo such as 0001-01-01 or 9999-12-31 is refused with a French message next to the field;
the bounds are stated here once, for the services of every app (SPEC R3: "its dates lie within a plausible
range around its year")."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from django.utils import formats, timezone

# The scheme stems from the 2015 report: nothing in it happened before.
PREMIERE_ANNEE = 2015
# How far ahead anything can be planned: a campaign, a membership, a séance.
ANNEES_A_L_AVANCE = 5
# A member may have joined the collective dynamic long before the declaration (it must pre-exist, R2).
PREMIERE_ANNEE_MEMBRE = 1950


def _jour(valeur: date | datetime) -> date:
    """The local (Paris) day of a moment: an aware datetime's UTC date is the day before between 0 h and 1 or 2 h."""
    if isinstance(valeur, datetime):
        return timezone.localdate(valeur) if timezone.is_aware(valeur) else valeur.date()
    return valeur


def hors_bornes(valeur: date | datetime | None, debut: date, fin: date) -> str | None:
    """The French message when `valeur` falls outside [debut, fin], None when it is inside (or absent)."""
    if valeur is None:
        return None
    jour = _jour(valeur)
    if debut <= jour <= fin:
        return None
    return f"Cette date n'est pas plausible : choisissez-la entre le {en_clair(debut)} et le {en_clair(fin)}."


def bornes_campagne(annee: int) -> tuple[date, date]:
    """A campaign of year Y opens and closes between 1 January Y-1 and 31 December Y+1 (R3)."""
    return date(annee - 1, 1, 1), date(annee + 1, 12, 31)


def bornes_seance(annee_campagne: int) -> tuple[date, date]:
    """A séance decides on a campaign of year Y between 1 January Y-1 and 31 December Y+2 (waiting list, R5)."""
    return date(annee_campagne - 1, 1, 1), date(annee_campagne + 2, 12, 31)


def bornes_membre(aujourdhui: date) -> tuple[date, date]:
    """A membership starts or ends between 1950 and five years from today."""
    return date(PREMIERE_ANNEE_MEMBRE, 1, 1), date(aujourdhui.year + ANNEES_A_L_AVANCE, 12, 31)


def en_clair(jour: date) -> str:
    """A date as a French sentence writes it: « 3 mars 2027 »."""
    return formats.date_format(jour, "j F Y")


def ajouter_mois(jour: date, mois: int) -> date:
    """`jour` plus `mois` months, on the month's last day when it has no such day (31 → 30, 29 February → 28)."""
    annee, rang = divmod(jour.year * 12 + jour.month - 1 + mois, 12)
    return date(annee, rang + 1, min(jour.day, calendar.monthrange(annee, rang + 1)[1]))
