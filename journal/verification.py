"""Recompute the hash chains and check the signed daily digests (R19, ADR 0006). Read-only; `using` names the
database alias (the restore check runs it on a restored copy).

A row fails when its recomputed hash differs (modified), a rank is missing (deleted), its previous hash is not the
previous row's (inserted out of order), its free text changed without an anonymisation line covering it, or a
signed digest recorded another hash at its rank (a chain rewritten from that point by someone without the key)."""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import DateTimeField
from django.utils import timezone

from journal.chaine import (
    GENESE,
    Chainee,
    TeteDeChaine,
    colonne,
    colonnes,
    empreinte_ligne,
    empreinte_texte,
    empreinte_textes,
    modeles_chaines,
)
from journal.condense import signature_valide
from journal.models import Condense, LigneAnonymisee

MAX_ERREURS = 100
DELAI_SCELLEMENT = datetime.timedelta(hours=1)


@dataclass
class Resultat:
    """What `verifier` found: `erreurs[0]` names the first broken row; warnings do not fail the check."""

    erreurs: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    lignes: dict[str, int] = field(default_factory=dict)
    condenses: int = 0
    duree: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.erreurs

    def erreur(self, message: str) -> None:
        if len(self.erreurs) < MAX_ERREURS:
            self.erreurs.append(message)


@dataclass
class _Attestation:
    empreinte: str
    date: datetime.date


@dataclass
class _Couverture:
    """The anonymisation lines of one (row, column): the original value's hash and the current one's."""

    ancienne: str
    nouvelle: str


def _couvertures(using: str) -> dict[tuple[int, int, str], _Couverture]:
    couvertures: dict[tuple[int, int, str], _Couverture] = {}
    lignes: Any = (
        models.QuerySet(model=LigneAnonymisee, using=using)
        .order_by("pk")
        .values_list("content_type_id", "object_id", "champ", "empreinte_ancienne", "empreinte_nouvelle")
    )
    for type_id, objet_id, champ, ancienne, nouvelle in lignes.iterator(chunk_size=2000):
        cle = (type_id, objet_id, champ)
        if cle in couvertures:
            couvertures[cle].nouvelle = nouvelle
        else:
            couvertures[cle] = _Couverture(ancienne, nouvelle)
    return couvertures


def _lire_condenses(resultat: Resultat, using: str, condenses_dir: Path | None) -> dict[str, dict[int, _Attestation]]:
    """Check every digest's signature (rows, then files against rows); return the hashes they attest per table."""
    attestations: dict[str, dict[int, _Attestation]] = {}
    en_base: dict[datetime.date, tuple[dict[str, Any], str]] = {}

    def attester(date: datetime.date, contenu: dict[str, Any]) -> None:
        for table, tete in contenu.items():
            if int(tete["rang"]) > 0:
                attestations.setdefault(table, {})[int(tete["rang"])] = _Attestation(str(tete["empreinte"]), date)

    condenses: Any = models.QuerySet(model=Condense, using=using).order_by("date")
    for condense in condenses:
        resultat.condenses += 1
        en_base[condense.date] = (condense.contenu, condense.signature)
        if not signature_valide(condense.date, condense.contenu, condense.signature):
            resultat.erreur(f"Condensé du {condense.date:%d/%m/%Y} en base : signature invalide — condensé falsifié.")
        else:
            attester(condense.date, condense.contenu)

    if condenses_dir is None or not Path(condenses_dir).is_dir():
        return attestations
    for chemin in sorted(Path(condenses_dir).glob("condense-*.json")):
        try:
            donnees = json.loads(chemin.read_text(encoding="utf-8"))
            date = datetime.date.fromisoformat(donnees["date"])
            contenu, signature = donnees["contenu"], donnees["signature"]
        except (OSError, ValueError, KeyError, TypeError):
            resultat.erreur(f"Fichier {chemin.name} : illisible.")
            continue
        if not signature_valide(date, contenu, signature):
            resultat.erreur(f"Fichier {chemin.name} : signature invalide — condensé falsifié.")
            continue
        if date not in en_base:
            resultat.erreur(f"Condensé du {date:%d/%m/%Y} : présent en fichier, absent de la base — ligne supprimée.")
        elif en_base[date] != (contenu, signature):
            resultat.erreur(f"Condensé du {date:%d/%m/%Y} : la base diffère du fichier signé — condensé remplacé.")
        attester(date, contenu)
    return attestations


def _verifier_table(
    resultat: Resultat,
    modele: type[Chainee],
    using: str,
    couvertures: dict[tuple[int, int, str], _Couverture],
    attestations: dict[int, _Attestation],
) -> None:
    table = modele._meta.db_table
    noms = colonnes(modele, modele.CHAMPS_CHAINES)
    textes = {nom: colonne(modele, nom) for nom in modele.TEXTES_LIBRES}
    remplacements = {nom: colonne(modele, nom) for nom in modele.COLONNES_REMPLACEMENT}
    type_id = ContentType.objects.db_manager(using).get_for_model(modele).pk
    brut: Any = models.QuerySet(model=modele, using=using)
    lignes = (
        brut.filter(rang__isnull=False)
        .order_by("rang")
        .values(
            "pk",
            "rang",
            "empreinte",
            "empreinte_precedente",
            "empreinte_textes",
            *dict.fromkeys([*noms, *textes.values(), *remplacements.values()]),
        )
    )
    attendu, precedente, nombre = 1, None, 0
    for ligne in lignes.iterator(chunk_size=2000):
        rang, pk = ligne["rang"], ligne["pk"]
        nom = f"{table} rang {rang} (id {pk})"
        if rang != attendu:
            resultat.erreur(f"{table} rang {attendu} manquant — ligne supprimée.")
            precedente = ligne["empreinte_precedente"]
        recalculee = empreinte_ligne(
            {nom_colonne: ligne[nom_colonne] for nom_colonne in noms},
            rang,
            ligne["empreinte_textes"] or "",
            ligne["empreinte_precedente"] or "",
        )
        if recalculee != ligne["empreinte"]:
            resultat.erreur(f"{nom} : empreinte recalculée différente — ligne modifiée.")
        elif precedente is None and rang == 1 and ligne["empreinte_precedente"] != GENESE:
            resultat.erreur(f"{nom} : ne part pas de l’origine de la chaîne — ligne insérée hors ordre.")
        elif precedente is not None and ligne["empreinte_precedente"] != precedente:
            resultat.erreur(f"{nom} : ne suit pas le rang {rang - 1} — ligne insérée hors ordre.")

        # Free texts: the hash fixed at sealing, as they are or (if rewritten after the sealing) with each
        # anonymised column's original hash put back.
        actuelles = {champ: empreinte_texte(ligne[nom_colonne]) for champ, nom_colonne in textes.items()}
        originales = dict(actuelles)
        for champ, actuelle in actuelles.items():
            couverture = couvertures.get((type_id, pk, champ))
            if couverture is not None and couverture.nouvelle == actuelle:
                originales[champ] = couverture.ancienne
        if ligne["empreinte_textes"] not in {empreinte_textes(actuelles), empreinte_textes(originales)}:
            resultat.erreur(f"{nom} : texte libre modifié hors anonymisation.")
        for champ, nom_colonne in remplacements.items():
            if ligne[nom_colonne] is None:
                continue
            couverture = couvertures.get((type_id, pk, champ))
            if couverture is None or couverture.nouvelle != empreinte_texte(ligne[nom_colonne]):
                resultat.erreur(f"{nom} : « {champ} » renseigné hors anonymisation.")

        attestation = attestations.get(rang)
        if attestation is not None and attestation.empreinte != ligne["empreinte"]:
            resultat.erreur(
                f"{nom} : empreinte différente de celle du condensé signé du {attestation.date:%d/%m/%Y} "
                "— chaîne réécrite ou ligne insérée hors ordre."
            )
        precedente, attendu, nombre = ligne["empreinte"], rang + 1, nombre + 1

    dernier = attendu - 1
    for rang in sorted(r for r in attestations if r > dernier):
        resultat.erreur(
            f"{table} rang {rang} manquant alors que le condensé signé du {attestations[rang].date:%d/%m/%Y} "
            "l’atteste — ligne supprimée."
        )
        break
    tete: Any = models.QuerySet(model=TeteDeChaine, using=using).filter(table=table).first()
    if tete is not None and tete.rang > dernier:
        resultat.erreur(f"{table} rang {tete.rang} manquant (tête de chaîne) — ligne supprimée.")
    resultat.lignes[table] = nombre

    horodatage = next(
        (nom for nom in modele.CHAMPS_CHAINES if isinstance(modele._meta.get_field(nom), DateTimeField)), None
    )
    if horodatage is not None:
        anciennes = brut.filter(rang__isnull=True, **{f"{horodatage}__lt": timezone.now() - DELAI_SCELLEMENT}).count()
        if anciennes:
            resultat.avertissements.append(
                f"{table} : {anciennes} ligne(s) non scellée(s) depuis plus d’une heure "
                "(lancez manage.py journal_condenser)."
            )


def verifier(using: str = "default", condenses_dir: Path | str | None = None) -> Resultat:
    """Recompute every chain and check every digest (rows and, if given, the files of `condenses_dir`)."""
    debut = time.monotonic()
    resultat = Resultat()
    erreurs_condenses = Resultat()
    attestations = _lire_condenses(erreurs_condenses, using, Path(condenses_dir) if condenses_dir else None)
    resultat.condenses = erreurs_condenses.condenses
    couvertures = _couvertures(using)
    for modele in modeles_chaines():
        _verifier_table(resultat, modele, using, couvertures, attestations.get(modele._meta.db_table, {}))
    # The rows first: the first error names the first broken row; then the digests' own errors.
    for erreur in erreurs_condenses.erreurs:
        resultat.erreur(erreur)
    resultat.duree = time.monotonic() - debut
    return resultat
