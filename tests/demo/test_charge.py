"""The load test in small (issue 13): the journeys of demo.charge.parcours against a live server for a few seconds,
one user per role, make no error, and `charge_verifier` passes afterwards; it fails on a violated invariant."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from demo.charge import DOMAINE_COMPTES, VARIABLE_MOT_DE_PASSE, parcours
from demo.management.commands import charge_verifier
from documents.models import CompteurDocument
from instances.models import MembreInstance

MOT_DE_PASSE = "charge-essai-2027-xyz"


@pytest.fixture
def donnees(monkeypatch):
    monkeypatch.setenv(VARIABLE_MOT_DE_PASSE, MOT_DE_PASSE)
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    call_command("charge_preparer", "--force", "--utilisateurs-par-role", "1", stdout=StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_les_parcours_tournent_sans_erreur_et_les_invariants_tiennent(donnees, live_server, tmp_path):
    # SQLite's in-memory test database is one connection shared by the server's threads: one request at a time.
    mesures, duree = parcours.executer(live_server.url, 6, 1, MOT_DE_PASSE, en_serie=connection.vendor == "sqlite")
    texte = parcours.rapport(mesures, duree, 1, live_server.url)
    assert mesures.total_erreurs == 0, texte
    for role in parcours.ROLES:
        assert mesures.parcours[role] >= 1, texte
    assert mesures.actions["déclarations déposées"] >= 1, texte
    assert mesures.actions["déclarations déclarées recevables"] >= 1, texte
    assert mesures.actions["versements enregistrés"] >= 1, texte  # the demo's payable tranche (R7)
    assert "requêtes/s" in texte and "p95 (ms)" in texte
    # The filings numbered their receipts in sequence, and everything else still holds.
    rapport = tmp_path / "charge.md"
    call_command("charge_verifier", "--rapport", str(rapport), stdout=StringIO())
    assert "Aucune violation." in rapport.read_text()


@pytest.mark.django_db
def test_charge_verifier_signale_un_quota_depasse_et_un_trou_de_numerotation(monkeypatch):
    monkeypatch.setenv(VARIABLE_MOT_DE_PASSE, MOT_DE_PASSE)
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    for _ in range(2):  # idempotent
        call_command("charge_preparer", "--force", "--utilisateurs-par-role", "2", stdout=StringIO())
    assert MembreInstance.objects.filter(user__email__endswith=DOMAINE_COMPTES, votant=False).count() == 2
    assert [f() for _, f in charge_verifier.INVARIANTS] == [[]] * len(charge_verifier.INVARIANTS)

    # A raw update, as a race would leave it: more accepted declarations than places.
    campagne = Campagne.objects.get(departement_id="42", annee=2027)
    deposees = Declaration.objects.filter(collectif__departement_id="42").exclude(etat=EtatDeclaration.BROUILLON)
    Declaration.objects.filter(pk__in=list(deposees.values_list("pk", flat=True)[: campagne.quota + 1])).update(
        etat=EtatDeclaration.AGREEE, campagne=campagne
    )
    assert charge_verifier.quotas()
    sortie = StringIO()
    with pytest.raises(CommandError, match="invariant"):
        call_command("charge_verifier", stdout=sortie)
    assert f"pour un quota de {campagne.quota}" in sortie.getvalue()

    # A number taken and lost: the counter stands past the last document of its series.
    compteur = CompteurDocument.objects.order_by("pk")[0]
    CompteurDocument.objects.filter(pk=compteur.pk).update(dernier=compteur.dernier + 1)
    assert any("le compteur est à" in v for v in charge_verifier.numerotation())


def test_le_test_de_charge_ne_vise_que_la_boucle_locale(monkeypatch):
    monkeypatch.setenv(VARIABLE_MOT_DE_PASSE, MOT_DE_PASSE)
    with pytest.raises(SystemExit):
        parcours.main(["--base", "http://collectifs.exemple.gouv.fr", "--duree", "1"])


def test_centiles_au_rang_le_plus_proche():
    valeurs = [float(v) for v in range(1, 101)]
    assert (parcours.centile(valeurs, 50), parcours.centile(valeurs, 95)) == (50.0, 95.0)
    assert parcours.centile([3.0], 95) == 3.0
