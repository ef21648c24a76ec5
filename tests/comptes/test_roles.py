"""The header shows each role's entries, and each role costs a query only when a template reads it."""

import pytest
from django.urls import reverse

from comptes.context_processors import Roles
from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db


def _membre(user):
    instance = InstanceDepartementale.objects.create(departement_id="42", nom="Instance de la Loire")
    return MembreInstance.objects.create(
        instance=instance,
        user=user,
        prenom="Laurent",
        nom="Bouchet",
        institution="CCAS de Saint-Étienne",
        college=CollegeInstance.TRAVAILLEURS_SOCIAUX,
        rang_rotation=1,
    )


@pytest.mark.parametrize(("membre", "visible"), [(True, True), (False, False)])
def test_le_lien_instance_apparait_pour_les_membres_de_l_instance(client, membre, visible):
    user = UserFactory()
    if membre:
        _membre(user)
    client.force_login(user)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert (f'href="{reverse("instances:instances")}"' in page) is visible


def test_un_membre_sorti_de_l_instance_n_a_plus_le_lien(client):
    user = UserFactory()
    membre = _membre(user)
    membre.actif = False
    membre.save(update_fields=["actif"])
    assert Roles(user).membre_instance is False


def test_aucune_requete_tant_qu_aucun_role_n_est_lu(django_assert_num_queries):
    user = UserFactory(national=True)
    with django_assert_num_queries(0):
        roles = Roles(user)
        assert roles.national is True
