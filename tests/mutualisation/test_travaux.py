"""Long jobs with visible progress (R15): at most one active job per key, progress written step by step, a stale
job (its worker died) is never stuck: it is marked « échoué » and a new one may start; on PostgreSQL, concurrent
launches of the same key start exactly one job."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mutualisation.enums import EtatTravail, NatureTravail
from mutualisation.models import BATTEMENT, RapportNational, Travail
from mutualisation.services import travaux
from tests.comptes.factories import UserFactory
from tests.fonds.test_concurrence_fonds import _en_meme_temps

pytestmark = pytest.mark.django_db

CLE = "rapport-national-2027"


def lancer(cle: str = CLE) -> Travail:
    return travaux.travail_lancer(nature=NatureTravail.RAPPORT_NATIONAL, cle=cle, acteur=None)


def test_un_travail_se_lance_avance_et_se_termine():
    travail = lancer()
    assert travail.etat == EtatTravail.EN_ATTENTE and travail.pourcentage == 0
    travail = travaux.travail_demarrer(travail.pk)
    assert travail.etat == EtatTravail.EN_COURS and travail.tentatives == 1 and travail.battement is not None
    travaux.avancer(travail, "Département Loire (42)", 3, 10)
    lu = Travail.objects.get(pk=travail.pk)
    assert (lu.etape, lu.fait, lu.total, lu.pourcentage) == ("Département Loire (42)", 3, 10, 30)
    travaux.terminer(travail, "Rapport émis")
    lu.refresh_from_db()
    assert lu.etat == EtatTravail.TERMINE and lu.pourcentage == 100 and lu.termine_le is not None
    assert not lu.est_bloque()


def test_un_seul_travail_actif_par_cle():
    premier = lancer()
    with pytest.raises(ValidationError, match="déjà en cours"):
        lancer()
    travaux.travail_demarrer(premier.pk)
    with pytest.raises(ValidationError, match="déjà en cours"):
        lancer()
    assert lancer("rapport-national-2026").etat == EtatTravail.EN_ATTENTE  # another key
    travaux.echouer(premier, "Erreur de rendu")
    assert lancer().etat == EtatTravail.EN_ATTENTE  # a failed job no longer blocks


def test_un_travail_bloque_est_abandonne_et_relance():
    """The worker was killed mid-run: no heartbeat for more than two periods. Launching again is allowed, the old
    job is marked failed (never stuck « en cours »), and the old worker, if it ever wakes up, stops."""
    ancien = travaux.travail_demarrer(lancer().pk)
    travaux.avancer(ancien, "Département Ain (01)", 1, 102)
    with time_machine.travel(timezone.now() + BATTEMENT, tick=False):
        assert not Travail.objects.get(pk=ancien.pk).est_bloque()
        with pytest.raises(ValidationError):
            lancer()
    with time_machine.travel(timezone.now() + 2 * BATTEMENT + datetime.timedelta(seconds=1), tick=False):
        assert Travail.objects.get(pk=ancien.pk).est_bloque()
        assert [t.pk for t in travaux.travaux_bloques()] == [ancien.pk]
        nouveau = lancer()
    ancien.refresh_from_db()
    assert ancien.etat == EtatTravail.ECHOUE
    assert "ne donnait plus signe de vie" in ancien.erreurs[-1]["message"]
    assert nouveau.etat == EtatTravail.EN_ATTENTE
    with pytest.raises(travaux.TravailInterrompu):
        travaux.avancer(ancien, "Département Aisne (02)", 2, 102)
    with pytest.raises(travaux.TravailInterrompu):
        travaux.terminer(ancien)
    with pytest.raises(travaux.TravailInterrompu):
        travaux.travail_demarrer(ancien.pk)


def test_un_travail_jamais_demarre_devient_bloque():
    travail = lancer()
    with time_machine.travel(timezone.now() + 3 * BATTEMENT, tick=False):
        assert Travail.objects.get(pk=travail.pk).est_bloque()


def test_echouer_garde_l_erreur_et_ne_touche_pas_un_travail_termine():
    travail = travaux.travail_demarrer(lancer().pk)
    travaux.echouer(travail, "ValueError : boum")
    travail.refresh_from_db()
    assert travail.etat == EtatTravail.ECHOUE and travail.erreurs[-1]["message"] == "ValueError : boum"
    autre = travaux.travail_demarrer(lancer().pk)
    travaux.terminer(autre)
    travaux.echouer(autre, "trop tard")
    autre.refresh_from_db()
    assert autre.etat == EtatTravail.TERMINE and autre.erreurs == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the flush must not wipe the reference data
def test_lancements_simultanes_un_seul_travail_actif():
    if connection.vendor != "postgresql":
        pytest.skip("La concurrence réelle se teste sur PostgreSQL.")
    for tour in range(3):
        cle = f"rapport-national-{2020 + tour}"
        resultats, erreurs, _durees = _en_meme_temps([lambda cle=cle: lancer(cle) for _ in range(10)])
        assert len(resultats) == 1, erreurs
        assert len(erreurs) == 9 and all(isinstance(e, ValidationError) for e in erreurs)
        assert Travail.objects.filter(cle=cle).count() == 1


def test_la_commande_relance_les_travaux_interrompus(django_capture_on_commit_callbacks):
    national = UserFactory(email="national.commande@exemple.fr", national=True)
    travail = lancer("rapport-national-2026")
    travail.lance_par = national
    travail.save()
    rapport = RapportNational.objects.create(annee=2026, travail=travail)
    sortie = StringIO()
    call_command("travaux_relancer", stdout=sortie)
    assert "Aucun travail interrompu." in sortie.getvalue()
    with time_machine.travel(timezone.now() + 3 * BATTEMENT, tick=True):
        call_command("travaux_relancer", stdout=sortie)
        assert "Interrompu : Rapport national de capitalisation (rapport-national-2026)" in sortie.getvalue()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("travaux_relancer", "--relancer", stdout=sortie)
    assert "1 rapport(s) relancé(s)" in sortie.getvalue()
    rapport.refresh_from_db()
    travail.refresh_from_db()
    assert travail.etat == EtatTravail.ECHOUE
    assert rapport.travail.etat == EtatTravail.TERMINE and rapport.genere_le is not None  # run by the worker
