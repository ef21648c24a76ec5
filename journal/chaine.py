"""Hash chains over the append-only tables (R19, ADR 0006): each row's `empreinte` is the SHA-256 of its canonical
form plus the previous row's `empreinte`, in `rang` order, per table.

Writers never lock anything: a chained row is written with `rang` NULL, and `sceller()` gives the unsealed rows of
each table their rank and hashes after the commit (`transaction.on_commit`), in its own short transaction that locks
that table's `TeteDeChaine` row. `journal_condenser` seals too before writing the daily digest.

Data migrations import `forme_canonique`, `empreinte_texte`, `empreinte_textes`, `empreinte_ligne` and
`sceller_table`: keep their output stable, or every existing chain breaks."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.db import connections, models, router, transaction

logger = logging.getLogger(__name__)

GENESE = "0" * 64  # the "previous hash" of a table's first row
CHAMPS_SCELLEMENT = ("rang", "empreinte", "empreinte_precedente", "empreinte_textes")


def _valeur(valeur: Any) -> Any:
    """One value in its canonical JSON form: UTC ISO 8601 instants, decimals as plain strings, UUIDs as text."""
    if isinstance(valeur, datetime.datetime):
        if valeur.tzinfo is not None:
            valeur = valeur.astimezone(datetime.UTC)
        return valeur.isoformat()
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        # The same amount reads back as 10, 10.0 or 10.00 depending on the database: one form for all.
        return format(valeur.normalize(), "f") if valeur else "0"
    if isinstance(valeur, uuid.UUID):
        return str(valeur)
    if isinstance(valeur, models.Model):
        return valeur.pk
    return valeur


def forme_canonique(valeurs: dict[str, Any]) -> str:
    """JSON with sorted keys and no spaces, of normalised values (see `_valeur`)."""
    return json.dumps(
        {cle: _valeur(valeur) for cle, valeur in valeurs.items()},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _sha256(texte: str) -> str:
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def empreinte_texte(valeur: Any) -> str:
    """The hash of one free-text (or replacement) column's value: what `LigneAnonymisee` records."""
    return _sha256(forme_canonique({"v": valeur}))


def empreinte_textes(empreintes: dict[str, str]) -> str:
    """The hash of a row's free-text columns, from each column's `empreinte_texte`: anonymising a column changes
    this one value, never the chain, and the verifier can put the column's original hash back to check it."""
    return _sha256(forme_canonique(empreintes))


def empreinte_ligne(valeurs: dict[str, Any], rang: int, textes: str, precedente: str) -> str:
    """sha256(canonical form of the chained columns + rang + empreinte_textes, then the previous hash)."""
    return _sha256(forme_canonique({**valeurs, "rang": rang, "empreinte_textes": textes}) + precedente)


def colonne(modele: Any, nom: str) -> str:
    """The column name (`attname`) of one field."""
    return str(modele._meta.get_field(nom).attname)


def colonnes(modele: Any, noms: Iterable[str]) -> list[str]:
    """Column names (`attname`: a foreign key as its id) of the named fields, for `values()`."""
    return [modele._meta.get_field(nom).attname for nom in noms]


def _empreintes_textes_de(ligne: dict[str, Any], textes: Sequence[str]) -> str:
    return empreinte_textes({nom: empreinte_texte(ligne[nom]) for nom in textes})


def sceller_table(
    modele: Any,
    tete_modele: Any,
    champs: Sequence[str],
    textes: Sequence[str],
    using: str = "default",
) -> int:
    """Seal the unsealed rows of one table (pk order) under its locked head row; return how many were sealed.

    Works with the real models and with a migration's historical models (field lists passed explicitly)."""
    table = modele._meta.db_table
    brut: Any = models.QuerySet(model=modele, using=using)  # plain QuerySet: the model's own refuses update()
    if not brut.filter(rang__isnull=True).exists():
        return 0
    noms = colonnes(modele, champs)
    lus = [*noms, *colonnes(modele, textes)]
    scellees = 0
    with transaction.atomic(using=using):
        tete: Any
        tete, creee = models.QuerySet(model=tete_modele, using=using).select_for_update().get_or_create(table=table)
        if creee:  # a head lost (or a table sealed before its head existed): go on from the last sealed row
            dernier = brut.filter(rang__isnull=False).order_by("-rang").values("rang", "empreinte").first()
            if dernier is not None:
                tete.rang, tete.empreinte = dernier["rang"], dernier["empreinte"]
        rang, precedente = tete.rang, tete.empreinte
        for ligne in brut.filter(rang__isnull=True).order_by("pk").values("pk", *lus).iterator(chunk_size=2000):
            rang += 1
            textes_h = _empreintes_textes_de(ligne, textes)
            empreinte = empreinte_ligne({nom: ligne[nom] for nom in noms}, rang, textes_h, precedente)
            brut.filter(pk=ligne["pk"]).update(
                rang=rang, empreinte=empreinte, empreinte_precedente=precedente, empreinte_textes=textes_h
            )
            precedente = empreinte
            scellees += 1
        models.QuerySet(model=tete_modele, using=using).filter(pk=tete.pk).update(rang=rang, empreinte=precedente)
    return scellees


_M = TypeVar("_M", bound=models.Model)


def sceller_lignes_existantes(modele: tuple[str, str], champs: Sequence[str], textes: Sequence[str]) -> Any:
    """A RunPython operation that seals the existing rows of a chained table (pk order) with the historical models,
    so that `verifier_journal` passes right after `migrate`. `champs` and `textes` are written in the migration:
    the chained columns as they were then. Reversible: the columns go away with the schema migration."""

    def operation(apps: Any, schema_editor: Any) -> None:
        sceller_table(
            apps.get_model(*modele),
            apps.get_model("journal", "TeteDeChaine"),
            champs,
            textes,
            using=schema_editor.connection.alias,
        )

    return operation


class QuerySetChaine(models.QuerySet[_M]):
    """`bulk_create` bypasses save(): schedule the sealing here too."""

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        crees = super().bulk_create(objs, *args, **kwargs)
        if crees:
            sceller_apres_commit(self.db)
        return crees


class Chainee(models.Model):
    """A row of a hash-chained append-only table. Subclasses declare the columns that enter the chain by value
    (`CHAMPS_CHAINES`), the free-text columns that enter it only through `empreinte_textes` and that an
    anonymisation may rewrite (`TEXTES_LIBRES`), and the columns an anonymisation may set once outside the chain
    (`COLONNES_REMPLACEMENT`)."""

    CHAMPS_CHAINES: ClassVar[tuple[str, ...]] = ()
    TEXTES_LIBRES: ClassVar[tuple[str, ...]] = ()
    COLONNES_REMPLACEMENT: ClassVar[tuple[str, ...]] = ()

    # Position in the table's chain, from 1; NULL until sealed (just after the commit).
    rang = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    empreinte = models.CharField(max_length=64, null=True, blank=True, editable=False)
    empreinte_precedente = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # SHA-256 of the free-text columns' hashes (empreinte_textes()), fixed at sealing.
    empreinte_textes = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        sceller_apres_commit(kwargs.get("using") or router.db_for_write(type(self), instance=self))


class TeteDeChaine(models.Model):
    """The last sealed row of one chained table: locked (SELECT … FOR UPDATE) by the sealing only."""

    table = models.CharField(max_length=100, unique=True)
    rang = models.PositiveBigIntegerField(default=0)
    empreinte = models.CharField(max_length=64, default=GENESE)

    class Meta:
        app_label = "journal"
        verbose_name = "tête de chaîne"
        verbose_name_plural = "têtes de chaîne"

    def __str__(self) -> str:
        return f"{self.table} : rang {self.rang}"


def modeles_chaines() -> list[type[Chainee]]:
    """Every installed chained model, by table name (found through the registry: journal imports no upper app)."""
    return sorted(
        (modele for modele in apps.get_models() if issubclass(modele, Chainee)),
        key=lambda modele: modele._meta.db_table,
    )


def sceller(using: str = "default") -> dict[str, int]:
    """Seal the unsealed rows of every chained table; return the number sealed per table."""
    return {
        modele._meta.db_table: sceller_table(
            modele, TeteDeChaine, modele.CHAMPS_CHAINES, modele.TEXTES_LIBRES, using=using
        )
        for modele in modeles_chaines()
    }


def _sceller_apres_commit(using: str) -> None:
    sceller(using)


def sceller_apres_commit(using: str = "default") -> None:
    """Schedule one sealing after the current transaction's commit (at once outside a transaction).

    Deduplicated by looking at the connection's pending callbacks rather than with a flag: Django drops the
    callbacks of a rolled-back transaction or savepoint, where a flag would stay set. robust=True: a failed sealing
    does not fail the committed request; the next one (or `journal_condenser`) seals those rows."""
    connexion = connections[using]
    en_attente: list[Any] = list(connexion.run_on_commit)  # (savepoint ids, callable, robust)
    if connexion.in_atomic_block and any(
        getattr(entree[1], "func", None) is _sceller_apres_commit for entree in en_attente
    ):
        return
    transaction.on_commit(_Rappel(using), using=using, robust=True)


class _Rappel:
    """The scheduled sealing (a callable that `sceller_apres_commit` recognises among the pending callbacks)."""

    func = staticmethod(_sceller_apres_commit)

    def __init__(self, using: str) -> None:
        self.using = using

    def __call__(self) -> None:
        _sceller_apres_commit(self.using)
