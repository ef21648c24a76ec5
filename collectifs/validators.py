"""Identifier checks for organisations: SIRET (Luhn, python-stdnum) and a lenient RNA check."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum.fr import siret as stdnum_siret

RNA = re.compile(r"^W[0-9A-Z]{9}$")
CODE_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def normaliser_siret(valeur: str) -> str:
    return re.sub(r"\s", "", valeur or "")


def valider_siret(valeur: str) -> None:
    """14 digits with a valid Luhn key, when given."""
    if valeur and not stdnum_siret.is_valid(normaliser_siret(valeur)):
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide : il doit comporter 14 chiffres et sa clé doit être correcte.",
            code="siret",
        )


def normaliser_rna(valeur: str) -> str:
    return re.sub(r"\s", "", valeur or "").upper()


def valider_rna(valeur: str) -> None:
    """The letter W followed by 9 characters, when given (lenient: old numbers contain letters)."""
    if valeur and not RNA.match(normaliser_rna(valeur)):
        raise ValidationError(
            "Ce numéro RNA n'est pas valide : il commence par W suivi de 9 caractères (ex. W423001234).",
            code="rna",
        )


def valider_codes_communes(valeur: str) -> None:
    """Each code is a 5-character INSEE commune code (e.g. 42218 for Saint-Étienne)."""
    mauvais = [c for c in valeur.replace(",", " ").upper().split() if not CODE_INSEE.match(c)]
    if mauvais:
        raise ValidationError(
            "Code(s) INSEE non valide(s) : %(codes)s. Un code de commune comporte 5 caractères (ex. 42218).",
            params={"codes": ", ".join(mauvais)},
            code="code_insee",
        )
