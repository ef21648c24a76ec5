"""Start every chain test from empty chains."""

from __future__ import annotations

import pytest

from journal.chaine import TeteDeChaine


@pytest.fixture(autouse=True)
def _tetes_de_chaine_vides(request: pytest.FixtureRequest) -> None:
    """Transactional tests that flush only some apps (`available_apps=["documents"]`) leave the journal's chain
    heads behind, pointing at rows that are gone: start from none, as a new database does."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")  # the marker decides: transactional or not
    TeteDeChaine.objects.all().delete()
