"""A document's file is written when its transaction commits: a rolled-back issue leaves no PDF behind (R20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction

from documents.enums import TypeDocument
from documents.models import Document
from documents.services import document_emettre, document_lire

# Real commits, as in production; only the documents tables are flushed afterwards.
TRANSACTIONNEL = pytest.mark.django_db(transaction=True, available_apps=["documents", "journal"])
NOM_ALEATOIRE = re.compile(r"documents/2027/[0-9a-f]{32}\.pdf")  # no "_abc1234" suffix of a name already taken


def emettre() -> Document:
    return document_emettre(
        acteur=None,
        type=TypeDocument.RECEPISSE,
        departement="42",
        annee=2027,
        titre="Document d'essai",
        template="documents/pdf/base.html",
        contexte={},
    )


def fichiers(racine: Path) -> list[str]:
    return sorted(str(chemin.relative_to(racine)) for chemin in Path(racine).rglob("*") if chemin.is_file())


@TRANSACTIONNEL
def test_une_emission_annulee_ne_laisse_aucun_fichier(settings):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        annule = emettre()
        assert document_lire(annule).startswith(b"%PDF-")  # readable within its own transaction
        1 / 0  # noqa: B018
    assert fichiers(settings.MEDIA_ROOT) == []

    with transaction.atomic():
        document = emettre()

    assert document.numero == annule.numero == "REC-42-2027-00001"
    assert NOM_ALEATOIRE.fullmatch(document.fichier.name)
    assert fichiers(settings.MEDIA_ROOT) == [document.fichier.name]
    assert document_lire(Document.objects.get()) == document_lire(document)


@TRANSACTIONNEL
def test_un_point_de_sauvegarde_annule_emporte_son_fichier(settings):
    with transaction.atomic():
        garde = emettre()
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            emettre()
            1 / 0  # noqa: B018
        assert fichiers(settings.MEDIA_ROOT) == []  # nothing is written before the commit

    assert [d.numero for d in Document.objects.all()] == ["REC-42-2027-00001"]
    assert fichiers(settings.MEDIA_ROOT) == [garde.fichier.name]
