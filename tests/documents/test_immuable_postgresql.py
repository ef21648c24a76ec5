"""R19 in the database: on PostgreSQL, raw SQL cannot change or delete an issued document (trigger)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from documents.enums import TypeDocument
from documents.models import Document
from documents.services import document_emettre

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql_seulement() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: on SQLite only the Python guards of documents.models apply")


@pytest.fixture
def document() -> Document:
    with transaction.atomic():
        return document_emettre(
            acteur=None,
            type=TypeDocument.RECEPISSE,
            departement="42",
            annee=2027,
            titre="Document d'essai",
            template="documents/pdf/base.html",
            contexte={},
        )


@pytest.mark.parametrize(
    "requete",
    [
        "UPDATE documents_document SET titre = 'Retouché', sha256 = 'x' WHERE id = %s",
        "DELETE FROM documents_document WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_le_sql_brut_ne_modifie_ni_ne_supprime_un_document(document, requete):
    refus = pytest.raises(DatabaseError, match="ne se modifie ni ne se supprime")
    with refus, transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(requete, [document.pk])

    relu = Document.objects.get(pk=document.pk)
    assert (relu.titre, relu.sha256) == (document.titre, document.sha256)
