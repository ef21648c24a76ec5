"""The daily digest of the chains (R19, ADR 0006): each chained table's last rank and hash, signed by HMAC-SHA-256
with a key kept out of the database (settings.JOURNAL_CLE_CONDENSE), stored as a `Condense` row and as a file to
copy off the server. Whoever rewrites a chain without the key cannot produce a matching signed digest."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from journal.chaine import GENESE, TeteDeChaine, forme_canonique, modeles_chaines, sceller
from journal.models import Condense


def signer(date: datetime.date, contenu: dict[str, Any]) -> str:
    """HMAC-SHA-256 of the canonical digest (its date included: a digest cannot be replayed under another day)."""
    message = forme_canonique({"date": date.isoformat(), "contenu": contenu})
    return hmac.new(settings.JOURNAL_CLE_CONDENSE.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_valide(date: datetime.date, contenu: dict[str, Any], signature: str) -> bool:
    """Constant-time check of a digest's signature."""
    return hmac.compare_digest(signer(date, contenu), signature)


def nom_fichier(date: datetime.date) -> str:
    return f"condense-{date.isoformat()}.json"


def _contenu(using: str) -> dict[str, Any]:
    tetes = {tete.table: tete for tete in TeteDeChaine.objects.using(using).all()}
    contenu: dict[str, Any] = {}
    for modele in modeles_chaines():
        tete = tetes.get(modele._meta.db_table)
        contenu[modele._meta.db_table] = {
            "rang": tete.rang if tete else 0,
            "empreinte": tete.empreinte if tete else GENESE,
        }
    return contenu


def _ecrire_fichier(condense: Condense, dossier: Path) -> Path:
    """Write the digest's file atomically (a temporary file renamed over it)."""
    dossier.mkdir(parents=True, exist_ok=True)
    chemin = dossier / nom_fichier(condense.date)
    temporaire = chemin.with_suffix(".json.tmp")
    temporaire.write_text(
        json.dumps(
            {"date": condense.date.isoformat(), "contenu": condense.contenu, "signature": condense.signature},
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    os.replace(temporaire, chemin)
    return chemin


def condense_ecrire(
    *, date: datetime.date | None = None, dossier: Path | None = None, using: str = "default"
) -> tuple[Condense, Path, bool]:
    """Seal, then write the day's digest (once per date: a second run rewrites the same file from the row) and its
    file. Returns the row, the file's path and whether the row was created now."""
    sceller(using)
    jour = date or timezone.localdate()
    dossier = Path(dossier or settings.JOURNAL_CONDENSES_DIR)
    condense = Condense.objects.using(using).filter(date=jour).first()
    cree = False
    if condense is None:
        contenu = _contenu(using)
        try:
            with transaction.atomic(using=using):
                condense = Condense.objects.using(using).create(
                    date=jour, contenu=contenu, signature=signer(jour, contenu)
                )
            cree = True
        except IntegrityError:  # written by a concurrent run for the same day
            condense = Condense.objects.using(using).get(date=jour)
    return condense, _ecrire_fichier(condense, dossier), cree
