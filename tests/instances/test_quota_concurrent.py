"""R5 on PostgreSQL: acceptance is atomic against the quota. Twenty decisions taken at the same instant, each
in its own séance, never agree more declarations than the quota; the others go to the waiting list. And a
point decided twice at once is decided once."""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from instances.enums import CollegeInstance, ResultatPoint
from instances.models import InstanceDepartementale, MembreInstance, PointOrdreDuJour
from instances.services import (
    point_statuer,
    presidence_faire_tourner,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import InstructeurFactory
from tests.instances.factories import CampagneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DECLARATIONS = 20
QUOTA = 5
TOURS = 10


@pytest.fixture(autouse=True)
def _postgres_seulement():
    if connection.vendor != "postgresql":
        pytest.skip("La concurrence réelle se teste sur PostgreSQL.")


@pytest.fixture
def instance() -> tuple[Any, InstanceDepartementale, list[MembreInstance]]:
    instructeur = InstructeurFactory(departements=["42"]).user
    instance = InstanceDepartementale.objects.create(
        departement=Departement.objects.get(code="42"), nom="Instance départementale de la Loire"
    )
    membres = [
        MembreInstance.objects.create(
            instance=instance,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            rang_rotation=rang,
        )
        for rang, (prenom, nom, institution, college) in enumerate(
            [
                ("Georges", "Ziegler", "Département de la Loire", CollegeInstance.ELUS),
                ("Martine", "Rey", "CCAS de Saint-Étienne", CollegeInstance.TRAVAILLEURS_SOCIAUX),
                ("Samir", "Kaci", "Conseil citoyen de Firminy", CollegeInstance.HABITANTS_USAGERS),
            ],
            start=1,
        )
    ]
    presidence_faire_tourner(acteur=instructeur, instance=instance)
    return instructeur, instance, membres


def _points_prets(instructeur: Any, instance: InstanceDepartementale, membres: list[MembreInstance], annee: int):
    """A fresh campaign (quota 5, envelope enough for all) and 20 declarations, each alone on the agenda of a
    séance in progress, with every member present and voting « pour »: each is ready for `point_statuer`."""
    campagne = CampagneFactory(
        annee=annee,
        quota=QUOTA,
        enveloppe_annuelle=Decimal("15000.00") * DECLARATIONS,
        montant_minimal_annuel=Decimal("15000.00"),
    )
    points = []
    for rang in range(DECLARATIONS):
        declaration = DeclarationFactory(
            collectif=CollectifFactory(nom=f"Collectif {annee}-{rang} de Saint-Étienne"),
            campagne=campagne,
            recevable=True,
        )
        seance = seance_preparer(
            acteur=instructeur,
            instance=instance,
            campagne=campagne,
            # Within the campaign's plausible range (core.dates.bornes_seance).
            date=datetime.datetime(annee, 3, 15, 14, 30, tzinfo=datetime.UTC),
            declarations=[declaration],
        )
        seance_ouvrir(acteur=instructeur, seance=seance)
        seance_enregistrer_presences(acteur=instructeur, seance=seance, presents=membres)
        point = seance.points.get()
        votes_enregistrer(acteur=instructeur, point=point, votes=dict.fromkeys(membres, "pour"))
        points.append(point)
    return campagne, points


def _en_meme_temps(appels: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException], float]:
    """Run the calls in as many threads, released together; their results, their errors and the duration."""
    barriere = threading.Barrier(len(appels) + 1)
    resultats: list[Any] = []
    erreurs: list[BaseException] = []
    verrou = threading.Lock()

    def executer(appel: Callable[[], Any]) -> None:
        try:
            barriere.wait(timeout=60)
            resultat = appel()
            with verrou:
                resultats.append(resultat)
        except BaseException as erreur:
            with verrou:
                erreurs.append(erreur)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=executer, args=(appel,)) for appel in appels]
    for fil in fils:
        fil.start()
    barriere.wait(timeout=60)
    debut = time.perf_counter()
    for fil in fils:
        fil.join(timeout=120)
    duree = time.perf_counter() - debut
    assert not any(fil.is_alive() for fil in fils), "un fil ne s'est pas terminé"
    return resultats, erreurs, duree


def test_vingt_agrements_simultanes_ne_depassent_jamais_le_quota(instance):
    instructeur, instance_loire, membres = instance
    durees: list[float] = []
    print()  # noqa: T201 - the timings are part of the report (pytest -s)
    for tour in range(1, TOURS + 1):
        campagne, points = _points_prets(instructeur, instance_loire, membres, annee=2030 + tour)

        resultats, erreurs, duree = _en_meme_temps(
            [lambda point=point: point_statuer(acteur=instructeur, point=point) for point in points]
        )
        durees.append(duree)
        print(f"Tour {tour} : {DECLARATIONS} décisions simultanées en {duree * 1000:.0f} ms")  # noqa: T201

        etats = Counter(Declaration.objects.filter(campagne=campagne).values_list("etat", flat=True))
        resultats_points = Counter(
            PointOrdreDuJour.objects.filter(seance__campagne=campagne).values_list("resultat", flat=True)
        )
        contexte = f"tour {tour}, {duree * 1000:.0f} ms ; durées : {', '.join(f'{d * 1000:.0f} ms' for d in durees)}"
        assert erreurs == [], contexte
        assert len(resultats) == DECLARATIONS, contexte
        assert etats == {EtatDeclaration.AGREEE: QUOTA, EtatDeclaration.EN_ATTENTE: DECLARATIONS - QUOTA}, contexte
        assert resultats_points == {ResultatPoint.AGREEE: QUOTA, ResultatPoint.EN_ATTENTE: DECLARATIONS - QUOTA}, (
            contexte
        )
        assert Campagne.objects.get(pk=campagne.pk).quota == QUOTA

    moyenne = sum(durees) / len(durees)
    print(f"Moyenne sur {TOURS} tours : {moyenne * 1000:.0f} ms (max {max(durees) * 1000:.0f} ms)")  # noqa: T201


def test_un_point_decide_deux_fois_en_meme_temps_n_est_decide_qu_une_fois(instance):
    instructeur, instance_loire, membres = instance
    campagne, points = _points_prets(instructeur, instance_loire, membres, annee=2045)
    point = points[0]

    resultats, erreurs, duree = _en_meme_temps([lambda: point_statuer(acteur=instructeur, point=point)] * 10)

    contexte = f"{duree * 1000:.0f} ms"
    assert len(resultats) == 1, contexte
    assert [type(e) for e in erreurs] == [ValidationError] * 9, contexte
    assert {m for e in erreurs for m in e.messages} == {"Ce point est déjà décidé."}, contexte  # type: ignore[attr-defined]
    declaration = Declaration.objects.get(pk=point.declaration_id)
    assert declaration.etat == EtatDeclaration.AGREEE
    assert Declaration.objects.filter(campagne=campagne, etat=EtatDeclaration.AGREEE).count() == 1
