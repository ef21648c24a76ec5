"""Creating and editing a collectif: the communes named must lie in its département (R2, territory)."""

import pytest
from django.core.exceptions import ValidationError

from collectifs.services import DonneesOrganisation, collectif_creer, collectif_modifier
from territoires.models import Departement
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_une_commune_d_un_autre_departement_est_refusee_a_la_creation():
    with pytest.raises(ValidationError) as erreur:
        collectif_creer(
            acteur=UserFactory(),
            nom="Collectif des pentes",
            departement=Departement.objects.get(code="42"),
            territoire="Saint-Étienne et Lyon",
            codes_communes="42218 69123",
        )
    assert erreur.value.message_dict == {
        "codes_communes": ["Ces communes ne sont pas dans le département Loire (42) : 69123."]
    }


def test_la_corse_et_les_outre_mer_sont_reconnus():
    referent = UserFactory()
    collectif = collectif_creer(
        acteur=referent,
        nom="Collectif d'Ajaccio",
        departement=Departement.objects.get(code="2A"),
        territoire="Ajaccio",
        codes_communes="2A004",
        institutions=[DonneesOrganisation(nom="CCAS d'Ajaccio")],
    )
    with pytest.raises(ValidationError, match="2B033"):
        collectif_modifier(
            acteur=referent, collectif=collectif, nom=collectif.nom, territoire="Ajaccio", codes_communes="2B033"
        )
    assert Departement.objects.get(code="974").contient_commune("97411")
    assert not Departement.objects.get(code="974").contient_commune("97101")
