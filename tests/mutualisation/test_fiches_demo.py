"""The demo's practice sheets (demo.seeders.mutualisation_fiches): a dozen public sheets in the Loire and the Rhône,
one retained, one proposed, one draft; the catalogue shows the public ones only; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo.seeders.comptes import comptes_charger, instructeurs_charger
from demo.seeders.mutualisation_fiches import fiches_pratiques_charger
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory

pytestmark = pytest.mark.django_db


def test_fiches_de_demonstration(client):
    comptes = comptes_charger()
    instructeurs_charger(comptes, Departement.objects.get(code="42"), Departement.objects.get(code="69"))
    CollectifFactory(nom="Collectif de Montreynaud", referent=comptes["referente"])
    fiches = fiches_pratiques_charger(comptes)
    etats = [f.etat for f in fiches]
    assert etats.count(EtatFiche.PUBLIEE) == 11
    assert etats.count(EtatFiche.RETENUE) == 1
    assert etats.count(EtatFiche.PROPOSEE) == 1
    assert etats.count(EtatFiche.BROUILLON) == 1
    assert {f.departement_id for f in fiches if f.etat == EtatFiche.PUBLIEE} == {"42", "69"}
    assert fiches_pratiques_charger(comptes) and FichePratique.objects.count() == 14
    page = client.get(reverse("mutualisation:catalogue")).content.decode()
    assert "12 fiches publiées" in page
    assert "Une laverie sociale au cœur des Pentes" in page and "Une ludothèque itinérante" not in page
    for nom in ("Benali", "Moreau", "Dumas", "Giraud", "Rousseau"):
        assert nom not in page
