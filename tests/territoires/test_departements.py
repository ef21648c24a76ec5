"""Reference data: the 101 départements of the COG, loaded by a data migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from territoires.models import Departement

CODES_COG = (
    {f"{n:02d}" for n in range(1, 20)}
    | {"2A", "2B"}
    | {f"{n:02d}" for n in range(21, 96)}
    | {"971", "972", "973", "974", "976"}
)


def test_les_101_codes_attendus():
    """The expected set itself: no 20, no 96–970, no 975."""
    assert len(CODES_COG) == 101
    assert not {"20", "96", "975", "977", "00"} & CODES_COG


def test_la_migration_charge_exactement_les_101_departements(db):
    assert set(Departement.objects.values_list("code", flat=True)) == CODES_COG
    assert Departement.objects.count() == 101


@pytest.mark.parametrize(
    ("code", "nom"),
    [
        ("01", "Ain"),
        ("2A", "Corse-du-Sud"),
        ("2B", "Haute-Corse"),
        ("42", "Loire"),
        ("69", "Rhône"),
        ("75", "Paris"),
        ("971", "Guadeloupe"),
        ("974", "La Réunion"),
        ("976", "Mayotte"),
    ],
)
def test_noms(db, code, nom):
    assert Departement.objects.get(code=code).nom == nom


def test_tous_les_departements_ont_un_nom(db):
    assert not Departement.objects.filter(nom="").exists()


def test_la_migration_est_idempotente(db):
    migration = importlib.import_module("territoires.migrations.0002_charger_departements_cog")
    Departement.objects.filter(code="42").update(nom="Nom erroné")

    migration.charger(apps, None)

    assert Departement.objects.count() == 101
    assert Departement.objects.get(code="42").nom == "Loire"


@pytest.mark.parametrize(
    ("departement", "commune", "contient"),
    [
        ("42", "42218", True),
        ("42", "69123", False),
        ("42", "04218", False),
        ("01", "01053", True),
        ("2A", "2A004", True),
        ("2A", "2B033", False),
        ("2B", "2b033", True),
        ("971", "97101", True),
        ("971", "97209", False),
        ("976", "97611", True),
    ],
)
def test_contient_commune(db, departement, commune, contient):
    assert Departement.objects.get(code=departement).contient_commune(commune) is contient
