"""R15, issue 10 « Performance »: the national report of 101 départements, each with a transmitted synthesis,
completes in 15 s or less (measured here with the real PDF rendering, in one process as the worker runs it), and
where the time goes is printed (`-s`): the steps per département, the charts and the map, the PDF."""

from __future__ import annotations

import sys
import time
from decimal import Decimal

import pytest

from mutualisation import tasks_syntheses as tasks
from mutualisation.enums import EtatSynthese, EtatTravail
from mutualisation.services import rapports as services
from mutualisation.services import travaux
from territoires.models import Departement
from tests.comptes.factories import UserFactory
from tests.mutualisation.parcours_syntheses import synthese_transmise

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

ANNEE = 2026
LIMITE_SECONDES = 15.0


def test_rapport_national_de_101_departements(monkeypatch, capsys):
    codes = list(Departement.objects.order_by("code").values_list("code", flat=True))
    assert len(codes) == 101
    for rang, code in enumerate(codes):
        synthese_transmise(code, ANNEE, agreees=rang % 7, engage=f"{rang * 1000}.{rang:02d}", verse=f"{rang * 500}.01")
    national = UserFactory(email="national.performance@exemple.fr", national=True)
    instants: dict[str, float] = {}
    original = travaux.avancer

    def chrono(travail, etape, fait, total):
        instants.setdefault(etape if fait in (0, total - 1) else "départements", time.perf_counter())
        original(travail, etape, fait, total)

    monkeypatch.setattr(travaux, "avancer", chrono)
    contexte = tasks.contexte_rapport
    durees: dict[str, float] = {}

    def contexte_chrono(rapport):
        depart = time.perf_counter()
        resultat = contexte(rapport)
        durees["graphiques"] = time.perf_counter() - depart
        return resultat

    monkeypatch.setattr(tasks, "contexte_rapport", contexte_chrono)
    debut = time.perf_counter()
    rapport = services.rapport_lancer(acteur=national, annee=ANNEE)
    resultat = tasks.rapport_executer(rapport.travail_id)
    duree = time.perf_counter() - debut
    assert resultat is not None
    resultat.refresh_from_db()
    assert resultat.travail.etat == EtatTravail.TERMINE
    assert resultat.chiffres["departements"] == {"total": 101, "avec_synthese": 101, "manquants": 0}
    attendu = sum((Decimal(f"{r * 1000}.{r:02d}") for r in range(101)), Decimal("0"))
    assert Decimal(resultat.chiffres["totaux"]["argent"]["engage"]) == attendu
    assert not resultat.syntheses.exclude(etat=EtatSynthese.CONSOLIDEE).exists()
    pdf = instants["Rédaction du rapport PDF"]
    with capsys.disabled():
        sys.stdout.write(
            f"\nRapport national, 101 départements : {duree:.2f} s en tout ; "
            f"lancement et lecture {instants['Lecture des synthèses transmises'] - debut:.2f} s, "
            f"consolidation (101 étapes) {pdf - instants['Lecture des synthèses transmises']:.2f} s, "
            f"carte et graphiques (matplotlib) {durees['graphiques']:.2f} s, "
            f"PDF (WeasyPrint) et écriture {debut + duree - pdf - durees['graphiques']:.2f} s.\n"
        )
    assert duree <= LIMITE_SECONDES
