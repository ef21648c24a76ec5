"""R5, R7, R8 on PostgreSQL: the campaign's reservation holds under concurrent agreements (the campaign row is
locked, as for the quota), and a tranche is paid once when twenty payments of it are recorded at the same instant.
Each scenario runs ten rounds on fresh objects; the timings are printed (pytest -s) for the closing note."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from campagnes.services import campagne_clore
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from fonds.enums import Compte, EtatTranche
from fonds.models import Convention, EcritureFonds, Tranche, Versement
from fonds.selectors import reservation_restante
from fonds.services import convention_signer, versement_enregistrer
from instances.services import point_fixer_montants, point_statuer
from tests.fonds.parcours import E, LoireFinancee, agreer, campagne_ouverte, loire_financee, point_pret

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FILS = 20
TOURS = 10
MINIMUM = E("10000.00")
COUVERTS = 7


@pytest.fixture(autouse=True)
def _postgres_seulement():
    if connection.vendor != "postgresql":
        pytest.skip("La concurrence réelle se teste sur PostgreSQL.")


def _en_meme_temps(appels: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException], list[float]]:
    """Run the calls in as many threads, released together by a barrier: their results, their errors, and how
    long each call took (from the release to its commit or its refusal)."""
    barriere = threading.Barrier(len(appels))
    resultats: list[Any] = []
    erreurs: list[BaseException] = []
    durees: list[float] = []
    verrou = threading.Lock()

    def executer(appel: Callable[[], Any]) -> None:
        try:
            barriere.wait(timeout=60)
            debut = time.perf_counter()
            try:
                resultat = appel()
            finally:
                with verrou:
                    durees.append(time.perf_counter() - debut)
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
    for fil in fils:
        fil.join(timeout=120)
    assert not any(fil.is_alive() for fil in fils), "un fil ne s'est pas terminé"
    return resultats, erreurs, durees


def _resume(tour: int, durees: list[float]) -> str:
    millis = sorted(d * 1000 for d in durees)
    return f"tour {tour} : min {millis[0]:.0f} ms, médiane {statistics.median(millis):.0f} ms, max {millis[-1]:.0f} ms"


def _ledger_equilibre() -> None:
    assert EcritureFonds.objects.aggregate(total=Sum("montant"))["total"] == 0
    desequilibres = EcritureFonds.objects.values("mouvement").annotate(total=Sum("montant")).exclude(total=0).order_by()
    assert not desequilibres.exists()


def _campagne_du_tour(monde: LoireFinancee, annee: int) -> Campagne:
    """A fresh campaign opened through the real service (which reserves): quota 20, 200 000 € a year, 10 000 € at
    the minimum. A first declaration agreed with raised tranches (130 000 € a year) leaves 70 000 € a year: the
    reservation covers 7 more agreements at the minimum while the quota still has 19 places."""
    for ouverte in Campagne.objects.filter(departement_id="42", etat=EtatCampagne.OUVERTE):
        campagne_clore(acteur=monde.instructeur, campagne=ouverte)
    campagne = campagne_ouverte(
        monde, annee=annee, quota=FILS, enveloppe_annuelle=MINIMUM * FILS, montant_minimal_annuel=MINIMUM
    )
    premier = point_pret(monde, campagne, f"Collectif mieux doté {annee}")
    point_fixer_montants(acteur=monde.instructeur, point=premier, montants=[E("130000")] * 3)
    point_statuer(acteur=monde.instructeur, point=premier)
    assert reservation_restante(campagne) == dict.fromkeys(range(annee, annee + 3), MINIMUM * COUVERTS)
    return campagne


def test_vingt_agrements_simultanes_ne_depassent_jamais_la_reservation():
    # The Loire's 2027 envelope (400 000 €) projects every later year: three overlapping cohorts of 200 000 €
    # would not fit, but a campaign is closed before the next opens and each reserves 200 000 € for three years.
    monde = loire_financee(enveloppes={2027: E("400000")})
    resumes = []
    for tour in range(1, TOURS + 1):
        # Years far apart (2031, 2034…): two cohorts never share a budget year, each fits the projection.
        annee = 2028 + 3 * tour
        campagne = _campagne_du_tour(monde, annee)
        points = [point_pret(monde, campagne, f"Collectif {annee}-{rang}") for rang in range(FILS)]

        resultats, erreurs, durees = _en_meme_temps(
            [lambda point=point: point_statuer(acteur=monde.instructeur, point=point) for point in points]
        )
        resumes.append(_resume(tour, durees))

        contexte = resumes[-1]
        assert erreurs == [], contexte
        assert len(resultats) == FILS, contexte
        etats = Counter(
            Declaration.objects.filter(pk__in=[p.declaration_id for p in points]).values_list("etat", flat=True)
        )
        assert etats == {EtatDeclaration.AGREEE: COUVERTS, EtatDeclaration.EN_ATTENTE: FILS - COUVERTS}, contexte
        assert Convention.objects.filter(campagne=campagne).count() == COUVERTS + 1
        for an in range(annee, annee + 3):
            tranches = Tranche.objects.filter(convention__campagne=campagne, annee=an).exclude(etat=EtatTranche.ANNULEE)
            assert tranches.aggregate(total=Sum("montant"))["total"] == campagne.enveloppe_annuelle, contexte
        assert reservation_restante(campagne) == dict.fromkeys(range(annee, annee + 3), E("0"))
        _ledger_equilibre()

    print("\nAgréments simultanés (20 fils, réservation pour 7) :", *resumes, sep="\n  ")  # noqa: T201


def test_vingt_versements_simultanes_d_une_tranche_n_en_font_qu_un():
    monde = loire_financee()  # the Loire's 2027 envelope is distributed: tranche 1 of a 2027 convention is payable
    campagne = campagne_ouverte(
        monde, annee=2027, quota=TOURS, enveloppe_annuelle=MINIMUM * TOURS, montant_minimal_annuel=MINIMUM
    )
    aujourd_hui = timezone.localdate()
    resumes = []
    for tour in range(1, TOURS + 1):
        convention = agreer(monde, campagne, f"Collectif payé {tour}").convention
        convention_signer(
            acteur=monde.instructeur,
            convention=convention,
            signee_le=aujourd_hui,
            signataire_beneficiaire="La référente du collectif",
            signataire_departement="Le président du Département",
        )
        tranche = convention.tranches.get(rang=1)
        lignes_avant = EcritureFonds.objects.count()

        resultats, erreurs, durees = _en_meme_temps(
            [
                lambda tranche=tranche, reference=f"VIR-{tour}-{rang}": versement_enregistrer(
                    acteur=monde.instructeur,
                    tranche=tranche,
                    date_versement=aujourd_hui,
                    montant=MINIMUM,
                    reference_bancaire=reference,
                )
                for rang in range(FILS)
            ]
        )
        resumes.append(_resume(tour, durees))

        contexte = resumes[-1]
        assert len(resultats) == 1, contexte
        assert [type(e) for e in erreurs] == [ValidationError] * (FILS - 1), (contexte, erreurs[:3])
        assert Versement.objects.filter(tranche=tranche).count() == 1
        assert Tranche.objects.get(pk=tranche.pk).etat == EtatTranche.VERSEE
        # One movement of two lines: engagement → versé.
        nouvelles = EcritureFonds.objects.order_by("pk")[lignes_avant:]
        assert sorted((ligne.compte, ligne.montant) for ligne in nouvelles) == [
            (Compte.ENGAGEMENT, -MINIMUM),
            (Compte.VERSE, MINIMUM),
        ]
        assert len({ligne.mouvement for ligne in nouvelles}) == 1
        _ledger_equilibre()

    assert Versement.objects.count() == TOURS
    print("\nVersements simultanés d'une tranche (20 fils) :", *resumes, sep="\n  ")  # noqa: T201
