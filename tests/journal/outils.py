"""Rows of the chained tables, and what an attacker with SQL access would do to them (triggers off on PostgreSQL)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from documents.models import Document
from fonds.models import EcritureFonds, Fonds
from fonds.services.grand_livre import ecrire
from journal.chaine import colonnes, empreinte_ligne, empreinte_texte, empreinte_textes
from journal.models import TransitionLog


def ligne_journal(commentaire: str = "", **champs: Any) -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(ContentType),
        object_id=champs.pop("object_id", 1),
        transition="deposer",
        source="brouillon",
        cible="deposee",
        commentaire=commentaire,
        **champs,
    )


def document(titre: str = "Récépissé de Camille Martin", sequence: int = 1) -> Document:
    return Document.objects.create(
        numero=f"REC-42-2027-{sequence:05d}",
        type="REC",
        departement="42",
        annee=2027,
        sequence=sequence,
        fichier=f"documents/2027/{sequence:032x}.pdf",
        sha256="a" * 64,
        taille=1234,
        titre=titre,
    )


def mouvement(libelle: str = "Abondement de Camille Martin") -> list[EcritureFonds]:
    fonds, _ = Fonds.objects.get_or_create(nom="Fonds national")
    montant = Decimal("1500.50")
    return ecrire(
        [
            EcritureFonds(compte="apport", fonds=fonds, annee=2027, montant=montant, libelle=libelle),
            EcritureFonds(compte="disponible", fonds=fonds, annee=2027, montant=-montant, libelle=libelle),
        ]
    )


def sql_attaquant(requete: str, parametres: list[Any], table: str) -> None:
    """Run SQL as a superuser would: with every trigger of `table` disabled on PostgreSQL."""
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks queued by the test's inserts would forbid ALTER TABLE: run them now.
            curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            curseur.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        curseur.execute(requete, parametres)
        if connection.vendor == "postgresql":
            curseur.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
            curseur.execute("SET CONSTRAINTS ALL DEFERRED")


def rechainer(modele: Any, depuis: int) -> None:
    """Recompute the hashes from rank `depuis` on, as an attacker who knows the algorithm (not the key) would."""
    table = modele._meta.db_table
    noms = colonnes(modele, modele.CHAMPS_CHAINES)
    textes = list(modele.TEXTES_LIBRES)
    lignes = list(
        modele.objects.filter(rang__gte=depuis - 1).order_by("rang").values("pk", "rang", "empreinte", *noms, *textes)
    )
    precedente = lignes[0]["empreinte"] if depuis > 1 else "0" * 64
    for ligne in lignes[1:] if depuis > 1 else lignes:
        textes_h = empreinte_textes({nom: empreinte_texte(ligne[nom]) for nom in textes})
        empreinte = empreinte_ligne({nom: ligne[nom] for nom in noms}, ligne["rang"], textes_h, precedente)
        sql_attaquant(
            f"UPDATE {table} SET empreinte = %s, empreinte_precedente = %s, empreinte_textes = %s WHERE id = %s",  # noqa: S608
            [empreinte, precedente, textes_h, ligne["pk"]],
            table,
        )
        precedente = empreinte


def il_y_a_longtemps() -> Any:
    return timezone.now() - datetime.timedelta(hours=2)
