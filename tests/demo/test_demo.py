"""`manage.py demo` (SPEC §8): the seeders of every app load the demo in one go, and a second run changes
nothing (idempotent), so that `make run` can call it every time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration
from comptes.models import Instructeur, User
from instances.enums import EtatSeance
from instances.models import InstanceDepartementale, Seance
from journal.models import TransitionLog


def _charger() -> str:
    sortie = StringIO()
    call_command("demo", "--force", stdout=sortie, stderr=StringIO())
    return sortie.getvalue()


def _comptage() -> dict[str, int]:
    return {
        "utilisateurs": User.objects.count(),
        "instructeurs": Instructeur.objects.count(),
        "campagnes": Campagne.objects.count(),
        "collectifs": Collectif.objects.count(),
        "declarations": Declaration.objects.count(),
        "seances": Seance.objects.count(),
        "journal": TransitionLog.objects.count(),
    }


@pytest.mark.django_db
def test_la_demo_se_charge_puis_ne_change_plus_rien():
    sortie = _charger()
    assert "Mot de passe de tous les comptes de démonstration" in sortie
    assert "claire.dumas@demo.collectifs-ds.fr" in sortie
    loire_2026 = Campagne.objects.get(departement_id="42", annee=2026)
    assert loire_2026.etat == EtatCampagne.CLOSE
    assert Campagne.objects.get(departement_id="42", annee=2027).etat == EtatCampagne.OUVERTE
    assert Campagne.objects.get(departement_id="69", annee=2027).etat == EtatCampagne.PREPARATION
    assert InstanceDepartementale.objects.get(departement_id="42").membres.count() == 9
    seance = Seance.objects.get(campagne=loire_2026)
    assert seance.etat == EtatSeance.CLOSE
    decisions = sorted(loire_2026.declarations.values_list("etat", flat=True))
    assert decisions == sorted(
        [EtatDeclaration.AGREEE, EtatDeclaration.AGREEE, EtatDeclaration.REFUSEE, EtatDeclaration.EN_ATTENTE]
    )
    avant = _comptage()

    assert _charger() == sortie
    assert _comptage() == avant


@pytest.mark.django_db
def test_la_demo_refuse_de_se_charger_hors_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="mode DEBUG"):
        call_command("demo", stdout=StringIO(), stderr=StringIO())
