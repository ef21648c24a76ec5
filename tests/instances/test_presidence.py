"""R6 Presidency: it rotates among the member institutions in rotation order, wrapping around and skipping
inactive members; each term lasts `duree_mandat_mois`; the history is kept; only the rotation service,
run by the département's instructeurs, changes the president."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance, Presidence
from instances.selectors import presidence_en_cours, presidence_suivante_proposee
from instances.services import presidence_faire_tourner
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import InstructeurFactory, UserFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# rang_rotation → (institution, college, active). Rank 3 has left the instance: the rotation skips it.
MEMBRES = {
    1: ("Département de la Loire", CollegeInstance.ELUS, True),
    2: ("CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True),
    3: ("MSA Ardèche Drôme Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, False),
    4: ("Conseil citoyen de Montreynaud", CollegeInstance.HABITANTS_USAGERS, True),
    5: ("CCAS de Roanne", CollegeInstance.TRAVAILLEURS_SOCIAUX, True),
}


def _jour(annee: int, mois: int, jour: int) -> datetime.datetime:
    return datetime.datetime(annee, mois, jour, 10, 0, tzinfo=PARIS)


@pytest.fixture
def instructeur(db):
    return InstructeurFactory(departements=["42"]).user


@pytest.fixture
def instance(db):
    instance = InstanceDepartementale.objects.create(
        departement=Departement.objects.get(code="42"), nom="Instance départementale de la Loire", duree_mandat_mois=12
    )
    for rang, (institution, college, actif) in MEMBRES.items():
        MembreInstance.objects.create(
            instance=instance,
            prenom=f"Membre{rang}",
            nom=institution.split()[0],
            institution=institution,
            college=college,
            rang_rotation=rang,
            actif=actif,
        )
    return instance


def _rangs(presidences) -> list[int]:
    return [p.membre.rang_rotation for p in presidences]


def test_la_rotation_suit_l_ordre_saute_les_inactifs_et_revient_au_premier(instance, instructeur):
    dates = [_jour(2026, 1, 15), _jour(2027, 1, 15), _jour(2028, 1, 17), _jour(2029, 1, 15), _jour(2030, 1, 14)]
    proposes, designes = [], []
    for quand in dates:
        with time_machine.travel(quand, tick=False):
            proposes.append(presidence_suivante_proposee(instance).rang_rotation)
            designes.append(presidence_faire_tourner(acteur=instructeur, instance=instance).membre.rang_rotation)

    assert designes == [1, 2, 4, 5, 1]
    assert proposes == designes
    assert presidence_suivante_proposee(instance).rang_rotation == 2


def test_l_historique_des_mandats_est_garde(instance, instructeur):
    for quand in (_jour(2026, 1, 15), _jour(2027, 1, 20), _jour(2028, 2, 1)):
        with time_machine.travel(quand, tick=False):
            presidence_faire_tourner(acteur=instructeur, instance=instance)

    historique = list(instance.presidences.order_by("debut"))
    assert [(p.membre.rang_rotation, p.debut, p.fin_prevue, p.fin, p.designee_par) for p in historique] == [
        (1, datetime.date(2026, 1, 15), datetime.date(2027, 1, 15), datetime.date(2027, 1, 20), instructeur),
        (2, datetime.date(2027, 1, 20), datetime.date(2028, 1, 20), datetime.date(2028, 2, 1), instructeur),
        (4, datetime.date(2028, 2, 1), datetime.date(2029, 2, 1), None, instructeur),
    ]
    assert presidence_en_cours(instance) == historique[-1]


@pytest.mark.parametrize(
    ("debut", "duree_mandat_mois", "fin_prevue"),
    [
        pytest.param(datetime.date(2026, 3, 10), 12, datetime.date(2027, 3, 10), id="un-an-par-defaut"),
        pytest.param(datetime.date(2026, 3, 10), 18, datetime.date(2027, 9, 10), id="dix-huit-mois"),
        pytest.param(datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28), id="fin-de-mois-raccourcie"),
        pytest.param(datetime.date(2027, 1, 31), 13, datetime.date(2028, 2, 29), id="annee-bissextile"),
        pytest.param(datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1), id="changement-d-annee"),
    ],
)
def test_la_fin_prevue_est_le_debut_plus_la_duree_du_mandat(
    instance, instructeur, debut, duree_mandat_mois, fin_prevue
):
    InstanceDepartementale.objects.filter(pk=instance.pk).update(duree_mandat_mois=duree_mandat_mois)

    with time_machine.travel(datetime.datetime.combine(debut, datetime.time(10), tzinfo=PARIS), tick=False):
        presidence = presidence_faire_tourner(acteur=instructeur, instance=instance)

    assert (presidence.debut, presidence.fin_prevue) == (debut, fin_prevue)


def test_un_membre_redevenu_actif_reprend_sa_place_dans_la_rotation(instance, instructeur):
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    MembreInstance.objects.filter(instance=instance, rang_rotation=3).update(actif=True)

    assert presidence_suivante_proposee(instance).rang_rotation == 3


def test_le_president_sortant_devenu_inactif_passe_la_main_au_suivant(instance, instructeur):
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    MembreInstance.objects.filter(instance=instance, rang_rotation=2).update(actif=False)

    assert presidence_faire_tourner(acteur=instructeur, instance=instance).membre.rang_rotation == 4


def test_sans_membre_actif_la_rotation_est_refusee(instance, instructeur):
    MembreInstance.objects.filter(instance=instance).update(actif=False)

    with pytest.raises(ValidationError) as erreur:
        presidence_faire_tourner(acteur=instructeur, instance=instance)

    assert erreur.value.messages == ["L'instance n'a aucun membre actif à qui confier la présidence."]
    assert not Presidence.objects.exists()


@pytest.mark.parametrize(
    "role", ["anonyme", "referent", "instructeur_69", "national", "membre", "president", "instructeur_inactif"]
)
def test_seuls_les_instructeurs_du_departement_font_tourner_la_presidence(instance, instructeur, role):
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    membre_user, president_user = UserFactory(), UserFactory()
    MembreInstance.objects.filter(instance=instance, rang_rotation=2).update(user=membre_user)
    MembreInstance.objects.filter(instance=instance, rang_rotation=1).update(user=president_user)
    inactif = InstructeurFactory(departements=["42"]).user
    inactif.is_active = False
    inactif.save(update_fields=["is_active"])
    acteurs = {
        "anonyme": AnonymousUser(),
        "referent": CollectifFactory().referents.get(),
        "instructeur_69": InstructeurFactory(departements=["69"]).user,
        "national": UserFactory(national=True),
        "membre": membre_user,
        "president": president_user,
        "instructeur_inactif": inactif,
    }

    with pytest.raises(PermissionDenied):
        presidence_faire_tourner(acteur=acteurs[role], instance=instance)

    assert _rangs(instance.presidences.all()) == [1]
    assert presidence_en_cours(instance).membre.rang_rotation == 1


def test_une_seule_presidence_en_cours_par_instance(instance, instructeur):
    """The database refuses a second current president created outside the rotation service."""
    courante = presidence_faire_tourner(acteur=instructeur, instance=instance)

    with pytest.raises(IntegrityError), transaction.atomic():
        Presidence.objects.create(
            instance=instance,
            membre=MembreInstance.objects.get(instance=instance, rang_rotation=4),
            debut=courante.debut,
            fin_prevue=courante.fin_prevue,
        )

    assert presidence_en_cours(instance) == courante
