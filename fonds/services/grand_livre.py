"""Helpers of the fund's writes: the ledger movement (double entry, ADR 0005), amounts in French."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from fonds.models import EcritureFonds


def euros(montant: Decimal) -> str:
    """An amount as French readers write it: « 12 345,60 € »."""
    return f"{montant:,.2f} €".replace(",", " ").replace(".", ",")


def valider(objet: models.Model, exclure: list[str] | None = None) -> None:
    """Field validation of a new row, with the errors keyed by field (for the form or the API)."""
    try:
        objet.full_clean(exclude=exclure, validate_constraints=False)
    except ValidationError as erreur:
        raise ValidationError(erreur.message_dict) from erreur


def ecrire(lignes: list[EcritureFonds], *, extourne_de: uuid.UUID | None = None) -> list[EcritureFonds]:
    """Write one movement: its lines share one identifier and sum to zero (double entry)."""
    if sum((ligne.montant for ligne in lignes), Decimal("0")) != 0:
        raise ValueError("Un mouvement du grand livre doit être équilibré.")
    mouvement = uuid.uuid4()
    for ligne in lignes:
        ligne.mouvement = mouvement
        ligne.extourne_de = extourne_de
    return EcritureFonds.objects.bulk_create(lignes)
