"""The project's `date` filter (core.templatetags.dates_rapides) gives exactly Django's output, for every format
written in the project's templates, on dates, aware and naive datetimes (summer and winter time, midnight in
Paris), None, empty values and strings; and it is the filter the templates use."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, defaultfilters
from django.utils import timezone

from core.templatetags import dates_rapides

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
FORMATS = sorted(
    {
        format_
        for chemin in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
        for format_ in re.findall(r'\|date:"([^"]*)"', chemin.read_text())
    }
    | {
        format_
        for chemin in (Path(settings.BASE_DIR) / "templates").glob("**/*.html")
        for format_ in re.findall(r'\|date:"([^"]*)"', chemin.read_text())
    }
    | {"d/m/Y", "l j F Y à H\\hi", "N j, Y", "c"}
)
VALEURS = [
    datetime.date(2026, 1, 5),
    datetime.date(2027, 8, 31),
    datetime.datetime(2026, 11, 29, 23, 4, 9, tzinfo=datetime.UTC),  # 30 November at 0 h 04 in Paris
    datetime.datetime(2026, 7, 14, 22, 30, tzinfo=datetime.UTC),  # 15 July at 0 h 30 (summer time)
    datetime.datetime(2026, 3, 29, 1, 59, 59, tzinfo=PARIS),
    datetime.datetime(2026, 2, 3, 7, 5),  # noqa: DTZ001 (a naive one, as Django allows)
    None,
    "",
    "2026-01-01",
]


def test_les_formats_du_projet_sont_trouves():
    assert {"j F Y", "j/m/Y", "j F Y à H:i", "H:i"} <= set(FORMATS)
    assert dates_rapides._compiler("j F Y à H:i") is not None  # compiled, not handed to Django's filter


def _resultat(filtre, valeur, format_):
    """The text, or the exception's type (Django refuses a time format on a date, with a TypeError)."""
    try:
        return str(filtre(valeur, format_))
    except TypeError:
        return TypeError


@pytest.mark.parametrize("format_", FORMATS)
def test_meme_resultat_que_django(format_):
    for valeur in VALEURS:
        locale = valeur
        if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
            locale = timezone.localtime(valeur)
        attendu = _resultat(defaultfilters.date, locale, format_)
        assert _resultat(dates_rapides.date, locale, format_) == attendu, (format_, valeur)


def test_les_gabarits_utilisent_le_filtre_rapide_et_l_heure_de_paris():
    gabarit = Template('{{ v|date:"j F Y à H:i" }} / {{ v|date:"l j/m/Y" }}')
    valeur = datetime.datetime(2026, 11, 29, 23, 4, tzinfo=datetime.UTC)
    assert gabarit.render(Context({"v": valeur})) == "30 novembre 2026 à 00:04 / lundi 30/11/2026"
    assert gabarit.engine.template_builtins[-1].filters["date"] is dates_rapides.date
