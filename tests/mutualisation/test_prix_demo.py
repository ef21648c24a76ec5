"""The demo's prize (demo.seeders.mutualisation_prix): the Loire's prize of this year nominates the Loire's published
sheets it is given, its jury mirrors the three colleges, and a laureate is proclaimed; running it again changes
nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.seeders.comptes import comptes_charger, instructeurs_charger
from demo.seeders.mutualisation_prix import prix_loire
from mutualisation.enums import EtatFiche, EtatPrix
from mutualisation.models import MembreJury, Prix
from mutualisation.selectors.prix import laureats_publics
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory
from tests.mutualisation.test_prix import fiche

pytestmark = pytest.mark.django_db


def test_prix_de_la_loire(db):
    comptes = comptes_charger()
    instructeurs_charger(comptes, Departement.objects.get(code="42"), Departement.objects.get(code="69"))
    collectif = CollectifFactory(nom="Collectif du Soleil")
    rhone = CollectifFactory(departement=Departement.objects.get(code="69"))
    fiches = [
        fiche(collectif, "Une cuisine partagée"),
        fiche(collectif, "Un jardin partagé"),
        fiche(collectif, "Une fête de quartier", etat=EtatFiche.RETENUE),
        fiche(collectif, "Un brouillon", etat=EtatFiche.BROUILLON),
        fiche(rhone, "Une fiche du Rhône"),
    ]
    prix = prix_loire(comptes, fiches)
    assert prix is not None
    assert prix.etat == EtatPrix.PROCLAME
    assert sorted(prix.nominations.values_list("fiche__titre", flat=True)) == [
        "Un jardin partagé",
        "Une cuisine partagée",
        "Une fête de quartier",
    ]
    assert set(MembreJury.objects.filter(prix=prix).values_list("college", flat=True)) == {
        "ELU_RESPONSABLE",
        "PROFESSIONNEL",
        "HABITANT",
    }
    (palmares,) = laureats_publics(timezone.localdate().year)
    assert palmares.laureats
    assert prix_loire(comptes, fiches) == prix
    assert Prix.objects.count() == 1
