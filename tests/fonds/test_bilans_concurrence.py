"""R7, R11 on PostgreSQL: validating a check-in and paying the tranche it releases, at the same instant, never pays a
tranche twice nor validates a check-in twice (lock order: campaign, convention, tranches, check-in; ADR 0005)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from fonds.enums import EtatBilan, EtatTranche
from fonds.models import BilanAnnuel, Tranche, Versement
from fonds.services import bilan_deposer, bilan_valider, versement_enregistrer
from journal.models import TransitionLog
from tests.fonds.parcours import campagne_ouverte, loire_financee
from tests.fonds.parcours_bilans import collectif_finance, donnees_completes
from tests.fonds.test_concurrence_fonds import _en_meme_temps, _ledger_equilibre, _resume

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FILS = 20
TOURS = 5


@pytest.fixture(autouse=True)
def _postgres_seulement():
    if connection.vendor != "postgresql":
        pytest.skip("La concurrence réelle se teste sur PostgreSQL.")


def _bilan_depose(monde, campagne, tour: int) -> tuple[BilanAnnuel, Tranche]:
    finance = collectif_finance(monde, campagne=campagne, nom=f"Collectif {tour}")
    bilan = bilan_deposer(acteur=finance.referent, bilan=finance.bilan(1), donnees=donnees_completes(finance))
    return bilan, finance.convention.tranches.get(rang=2)


def test_validations_et_versements_simultanes_ne_paient_jamais_deux_fois():
    monde = loire_financee()
    campagne = campagne_ouverte(monde, quota=TOURS)
    aujourd_hui = timezone.localdate()
    resumes = []
    for tour in range(1, TOURS + 1):
        bilan, deuxieme = _bilan_depose(monde, campagne, tour)
        validations = [
            lambda bilan=bilan: bilan_valider(acteur=monde.instructeur, bilan=bilan) for _ in range(FILS // 2)
        ]
        versements = [
            lambda tranche=deuxieme, reference=f"VIR-{tour}-{rang}": versement_enregistrer(
                acteur=monde.instructeur,
                tranche=tranche,
                date_versement=aujourd_hui,
                montant=tranche.montant,
                reference_bancaire=reference,
            )
            for rang in range(FILS // 2)
        ]
        # Interleaved so that payments start before, during and after the validation.
        appels = [appel for paire in zip(validations, versements, strict=True) for appel in paire]
        resultats, erreurs, durees = _en_meme_temps(appels)
        resumes.append(_resume(tour, durees))
        contexte = (resumes[-1], erreurs[:3])

        # Every refusal is a domain refusal (already validated, not payable yet, already paid), never a crash.
        assert {type(e) for e in erreurs} <= {ValidationError}, contexte
        bilan.refresh_from_db()
        assert bilan.etat == EtatBilan.VALIDE, contexte
        validee = TransitionLog.objects.filter(
            content_type__model="bilanannuel", object_id=bilan.pk, transition="valider"
        )
        assert validee.count() == 1, contexte
        assert sum(isinstance(r, BilanAnnuel) for r in resultats) == 1, contexte
        paiements = Versement.objects.filter(tranche=deuxieme).count()
        assert paiements <= 1, contexte
        assert sum(isinstance(r, Versement) for r in resultats) == paiements, contexte
        attendu = EtatTranche.VERSEE if paiements else EtatTranche.EXIGIBLE
        assert Tranche.objects.get(pk=deuxieme.pk).etat == attendu, contexte
        assert Counter(
            TransitionLog.objects.filter(content_type__model="tranche", object_id=deuxieme.pk).values_list(
                "cible", flat=True
            )
        ) == Counter([EtatTranche.EXIGIBLE, *([EtatTranche.VERSEE] * paiements)])
        _ledger_equilibre()

    print("\nValidations et versements simultanés (10 + 10 fils) :", *resumes, sep="\n  ")  # noqa: T201


def test_vingt_validations_simultanees_d_un_bilan_n_en_font_qu_une():
    monde = loire_financee()
    bilan, deuxieme = _bilan_depose(monde, campagne_ouverte(monde), 1)
    resultats, erreurs, durees = _en_meme_temps(
        [lambda: bilan_valider(acteur=monde.instructeur, bilan=bilan) for _ in range(FILS)]
    )
    assert len(resultats) == 1, _resume(1, durees)
    assert [type(e) for e in erreurs] == [ValidationError] * (FILS - 1)
    assert all("seul un bilan déposé" in str(e) for e in erreurs)
    assert Tranche.objects.get(pk=deuxieme.pk).etat == EtatTranche.EXIGIBLE
    assert TransitionLog.objects.filter(content_type__model="tranche", object_id=deuxieme.pk).count() == 1
