"""Pinned query counts of the séance page (its agenda) and of the instance page (its members), the same at two
sizes (SPEC §9). The séance is prepared, run and closed through the services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from comptes.models import User
from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, Seance
from instances.services import (
    accompagnateur_affecter,
    conflit_declarer,
    point_motiver_refus,
    presidence_faire_tourner,
    seance_clore,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import UserFactory
from tests.instances.factories_seances import (
    PARIS,
    AccompagnateurFactory,
    InstanceFactory,
    MembreInstanceFactory,
    emettre_documents,
)

TAILLES = [3, 40]

# A séance in session, for its conductor: session, user, the séance (scoped); the permission checks (instructeur?
# then their département, for the page and again for the FSM transitions); the active members; the present ones;
# the agenda with declarations and collectifs; the votes, then their members; the conflicts, then their members;
# the convened members; the quorum (two counts); the places left; the header's roles (référent?). A member's
# checks cost the same (instructeur? then presidency, twice). Once closed, no transition is left to check (-1),
# and the decisions and the minutes are read (+2). Per-point forms cost nothing: their choices are built once.
# R17: while the séance is not closed, the equity warnings of the whole agenda (+2: the collectifs' originating
# institutions, then the funded collectifs they carry).
REQUETES_SEANCE = {
    ("instructeur_42", "en_cours"): 19,
    ("instructeur_42", "close"): 18,
    ("membre", "en_cours"): 20,
    ("national", "close"): 18,
}
# session, user, the instance (scoped), its members, the current presidency, the proposed next one (members and
# current presidency again), the permission checks (instructeur? département, for the rotation and for preparing a
# séance; a member: instructeur? then presidency), the header's roles, the presidency history, the séances with
# their number of points, the accompagnateurs and their current assignments.
REQUETES_INSTANCE = {"instructeur_42": 15, "membre": 15}  # R12: +1, the non-compliant conventions


def _instance_loire(nombre_membres: int) -> tuple[InstanceDepartementale, list]:
    instance = InstanceFactory(nom="Instance départementale de la Loire")
    colleges = list(CollegeInstance)
    membres = [
        MembreInstanceFactory(
            instance=instance,
            prenom=f"Prénom{rang:02d}",
            nom=f"Nom{rang:02d}",
            institution=f"Institution {rang:02d}",
            college=colleges[rang % len(colleges)],
            votant=rang % 5 != 4,
            rang_rotation=rang + 1,
            user=UserFactory(email="membre@exemple.fr") if rang == 1 else None,
        )
        for rang in range(nombre_membres)
    ]
    return instance, membres


def _seance(distribution, points: int, etat: str) -> tuple[Seance, list]:
    """A séance of `points` declarations, in session with everyone present, two votes and one conflict per point;
    or closed, with its documents issued."""
    instructeur = distribution.instructeur_42
    instance, membres = _instance_loire(5)
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    for rang in range(points):
        Declaration.objects.create(
            collectif=CollectifFactory(nom=f"Collectif numéro {rang:02d} de la Loire"),
            campagne=distribution.campagne,
            etat=EtatDeclaration.RECEVABLE,
            deposee_le=timezone.now() - datetime.timedelta(days=points - rang),
        )
    seance = seance_preparer(
        acteur=instructeur,
        instance=instance,
        campagne=distribution.campagne,
        date=datetime.datetime(2027, 3, 15, 14, 30, tzinfo=PARIS),
    )
    seance_ouvrir(acteur=instructeur, seance=seance)
    seance_enregistrer_presences(acteur=instructeur, seance=seance, presents=membres)
    votants = [m for m in membres if m.votant]
    for point in seance.points.all():
        conflit_declarer(acteur=instructeur, point=point, membre=votants[3], commentaire="Trésorière du porteur")
        votes_enregistrer(acteur=instructeur, point=point, votes={votants[0]: "pour", votants[1]: "contre"})
        point_motiver_refus(acteur=instructeur, point=point, motif_refus="autre", motifs="Projet hors du champ.")
    if etat == "close":
        for point in seance.points.all():
            votes_enregistrer(acteur=instructeur, point=point, votes={votants[2]: "pour"})
        seance_clore(acteur=instructeur, seance=seance)
        emettre_documents(seance)
    return seance, membres


@pytest.mark.parametrize(("role", "etat"), list(REQUETES_SEANCE))
@pytest.mark.parametrize("nombre", TAILLES)
def test_seance(nombre, role, etat, distribution, client, django_assert_num_queries):
    seance, _ = _seance(distribution, nombre, etat)
    client.force_login(
        User.objects.get(email="membre@exemple.fr") if role == "membre" else distribution.utilisateur(role)
    )
    url = reverse("instances:seance", args=[seance.pk])
    with django_assert_num_queries(REQUETES_SEANCE[role, etat]):
        reponse = client.get(url)
    page = reponse.content.decode()
    assert page.count("Voir la déclaration<span") == nombre
    assert f"{nombre}. Collectif numéro {nombre - 1:02d} de la Loire" in page
    assert page.count("Prénom03 Nom03 (Institution 03) : « Trésorière du porteur »") == nombre
    if etat == "close":
        assert page.count("Télécharger la décision DEC-42-2027-") == nombre
        assert page.count("Agrément") == min(nombre, distribution.campagne.quota)
    elif role == "instructeur_42":
        assert page.count("Enregistrer les votes") == nombre
        assert page.count('value="pour" dsfr="dsfr" id="id_point-') == nombre * 3  # 4 voting, 1 in conflict


@pytest.mark.parametrize("role", list(REQUETES_INSTANCE))
@pytest.mark.parametrize("nombre", TAILLES)
def test_instance(nombre, role, distribution, client, django_assert_num_queries):
    instance, membres = _instance_loire(nombre)
    presidence_faire_tourner(acteur=distribution.instructeur_42, instance=instance)
    for rang in range(3):
        accompagnateur = AccompagnateurFactory(prenom=f"Alex{rang}", nom="Bernard")
        accompagnateur_affecter(
            acteur=distribution.instructeur_42,
            collectif=CollectifFactory(nom=f"Collectif accompagné {rang}"),
            accompagnateur=accompagnateur,
        )
    for jour in (1, 2):
        Seance.objects.create(
            instance=instance,
            campagne=distribution.campagne,
            date=datetime.datetime(2027, 3, jour, 14, 0, tzinfo=PARIS),
        )
    client.force_login(membres[1].user if role == "membre" else distribution.utilisateur(role))
    url = reverse("instances:instance", args=[instance.pk])
    with django_assert_num_queries(REQUETES_INSTANCE[role]):
        reponse = client.get(url)
    page = reponse.content.decode()
    assert page.count(" dans la rotation</li>") == nombre
    assert f"Prénom{nombre - 1:02d} Nom{nombre - 1:02d} — Institution {nombre - 1:02d}" in page
    assert page.count("Collectif accompagné ") == 3
    assert page.count("Séance du ") == 2
