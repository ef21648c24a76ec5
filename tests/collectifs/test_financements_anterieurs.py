"""R17: earlier funding of the same institutions or territory. The communes are matched on CommuneCollectif
(indexed), kept in sync by the collectif services and filled for existing collectifs by migration 0006."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from collectifs.models import CommuneCollectif, Declaration
from collectifs.selectors import financements_anterieurs
from collectifs.services import collectif_creer, collectif_modifier
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _agreee(**collectif):
    return DeclarationFactory(collectif=CollectifFactory(**collectif), agreee=True)


def _noms(declaration: Declaration) -> list[str]:
    return sorted(d.collectif.nom for d in financements_anterieurs(declaration))


def test_memes_resultats_institution_ou_commune(distribution):
    institution = OrganisationFactory(nom="Centre social de Montreynaud")
    cible = CollectifFactory(nom="Cible", codes_communes="42218, 42095", institutions=[institution])
    declaration = DeclarationFactory(collectif=cible, deposee=True)
    _agreee(nom="Même institution", codes_communes="42187", institutions=[institution])
    _agreee(nom="Même commune", codes_communes="42095")
    _agreee(nom="Les deux", codes_communes="42218", institutions=[institution])  # listed once
    _agreee(nom="Ailleurs", codes_communes="42187 42207")
    _agreee(nom="Sans commune", codes_communes="")
    DeclarationFactory(collectif=CollectifFactory(nom="Pas agréée", codes_communes="42218"), deposee=True)
    DeclarationFactory(collectif=cible, agreee=True)  # the collectif's own earlier funding is not listed

    assert _noms(declaration) == ["Les deux", "Même commune", "Même institution"]
    sql = str(financements_anterieurs(declaration).query).upper()
    assert "LIKE" not in sql
    assert "DISTINCT" not in sql


def test_sans_commune_seulement_les_institutions(distribution):
    institution = OrganisationFactory()
    declaration = DeclarationFactory(
        collectif=CollectifFactory(codes_communes="", institutions=[institution]), deposee=True
    )
    _agreee(nom="Même institution", codes_communes="42218", institutions=[institution])
    _agreee(nom="Autre", codes_communes="42218")
    assert _noms(declaration) == ["Même institution"]


def test_les_services_tiennent_les_communes_a_jour(distribution):
    referent = distribution.referent_a
    collectif = collectif_creer(
        acteur=referent,
        nom="Collectif de Roanne",
        departement=Departement.objects.get(code="42"),
        territoire="Roanne",
        codes_communes="42187 42207",
    )
    assert sorted(collectif.communes.values_list("code_insee", flat=True)) == ["42187", "42207"]
    collectif_modifier(
        acteur=referent, collectif=collectif, nom=collectif.nom, territoire="Roanne", codes_communes="42207, 42218"
    )
    assert sorted(collectif.communes.values_list("code_insee", flat=True)) == ["42207", "42218"]

    declaration = Declaration.objects.get(collectif=collectif)
    _agreee(nom="Saint-Étienne", codes_communes="42218")
    _agreee(nom="Roanne", codes_communes="42187")
    assert _noms(declaration) == ["Saint-Étienne"]


def test_la_migration_remplit_les_communes_existantes(distribution):
    collectif = CollectifFactory(codes_communes="42218, 42095 42218 4209")
    CommuneCollectif.objects.all().delete()
    migration = importlib.import_module("collectifs.migrations.0006_communes_des_collectifs")
    migration.remplir(apps, None)
    assert sorted(collectif.communes.values_list("code_insee", flat=True)) == ["42095", "42218"]
