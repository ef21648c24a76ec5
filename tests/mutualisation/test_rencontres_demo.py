"""The demo's meetings (demo.seeders.mutualisation_rencontres): two meetings of the Loire this year, one held with
its attendance and notes, one planned; the count shows one held; running it again changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo.seeders.mutualisation_rencontres import NOTES, rencontres_loire
from mutualisation.models import Rencontre
from mutualisation.selectors.rencontres import rencontres_tenues
from tests.collectifs.factories import CollectifFactory, DeclarationFactory

pytestmark = pytest.mark.django_db


def test_deux_rencontres_dans_la_loire(distribution):
    for rang in range(4):
        DeclarationFactory(
            collectif=CollectifFactory(nom=f"Collectif {rang}"), campagne=distribution.campagne, agreee=True
        )
    tenue, prevue = rencontres_loire(distribution.instructeur_42)
    assert tenue.date <= timezone.now() < prevue.date
    assert tenue.compte_rendu == NOTES
    assert [(i.present, i.nombre_personnes) for i in tenue.invitations.order_by("collectif__nom")] == [
        (True, 6),
        (True, 5),
        (True, 4),
        (False, None),
    ]
    assert prevue.invitations.count() == 4
    assert rencontres_tenues("42", timezone.localdate().year) == 1
    rencontres_loire(distribution.instructeur_42)
    assert Rencontre.objects.count() == 2
