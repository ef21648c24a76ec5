"""R19 in the database: on PostgreSQL, raw SQL cannot change or delete a journal row (trigger)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from journal.models import TransitionLog

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgresql_seulement() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: on SQLite only the Python guards of journal.models apply")


@pytest.fixture
def ligne() -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(ContentType),
        object_id=1,
        transition="deposer",
        source="brouillon",
        cible="deposee",
    )


@pytest.mark.parametrize(
    "requete",
    [
        "UPDATE journal_transitionlog SET cible = 'acceptee' WHERE id = %s",
        "DELETE FROM journal_transitionlog WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_le_sql_brut_ne_modifie_ni_ne_supprime_une_ligne_du_journal(ligne, requete):
    refus = pytest.raises(DatabaseError, match="en ajout seul")
    with refus, transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(requete, [ligne.pk])

    assert TransitionLog.objects.get(pk=ligne.pk).cible == "deposee"
