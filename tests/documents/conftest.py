"""Fixtures of the documents tests."""

from __future__ import annotations

import pytest

from collectifs.models import AdhesionCharte, Declaration
from collectifs.selectors import charte_courante, composition_du_collectif
from tests.collectifs.factories import composer

# tests/collectifs/factories.py: DeclarationFactory.Meta lacks `skip_postgeneration_save = True`, so
# factory-boy warns (an error under our settings) whenever it runs its hooks. Remove this filter once
# the factory sets it.
_AVERTISSEMENT_FACTORY = "ignore:DeclarationFactory._after_postgeneration:DeprecationWarning"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/documents/" in item.nodeid:
            item.add_marker(pytest.mark.filterwarnings(_AVERTISSEMENT_FACTORY))


def completer(declaration: Declaration) -> Declaration:
    """Make a `prete` declaration really ready to file.

    DeclarationFactory's `prete` trait currently adds neither the members nor the charter adherence
    (its `avec_membres` / `avec_charte` params never reach `_create`). This is a no-op once it does.
    """
    collectif = declaration.collectif
    if not composition_du_collectif(collectif).est_conforme:
        composer(collectif)
    if declaration.adhesion_charte_id is None:
        adhesion = AdhesionCharte.objects.create(
            charte=charte_courante(), collectif=collectif, personne=collectif.referents.first()
        )
        Declaration.objects.filter(pk=declaration.pk).update(adhesion_charte=adhesion)
        declaration.adhesion_charte = adhesion
    return declaration


@pytest.fixture
def declaration_deposable(declaration_prete: Declaration) -> Declaration:
    """The shared `declaration_prete` of collectif A (Loire, campaign 2027), ready to file."""
    return completer(declaration_prete)
