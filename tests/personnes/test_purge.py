"""R20 retention: `purger_donnees` deletes the drafts never filed and untouched for three years and the accounts
never used created more than three years ago, unless something protected refers to them; `--dry-run` deletes
nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration, Message
from comptes.models import User
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import UserFactory

VIEUX = timedelta(days=3 * 365 + 1)
RECENT = timedelta(days=3 * 365 - 1)


@pytest.fixture
def donnees(db):
    maintenant = timezone.now()
    referent = UserFactory(email="referente@exemple.fr")
    referent.last_login = maintenant
    referent.save(update_fields=["last_login"])
    collectif = CollectifFactory(referent=referent, nom="Collectif des Ormes")
    vieux = DeclarationFactory(collectif=collectif, modifiee_le=maintenant - VIEUX)
    recent = DeclarationFactory(collectif=CollectifFactory(referent=referent), modifiee_le=maintenant - RECENT)
    deposee = DeclarationFactory(collectif=collectif, deposee=True, modifiee_le=maintenant - VIEUX)
    jamais_venu = UserFactory(email="jamais@exemple.fr", date_joined=maintenant - VIEUX)
    nouveau = UserFactory(email="nouveau@exemple.fr", date_joined=maintenant - RECENT)
    national = UserFactory(email="national.ancien@exemple.fr", date_joined=maintenant - VIEUX, national=True)
    # Never logged in, but the author of a message on a draft: both stay (the message protects them).
    auteur = UserFactory(email="auteur@exemple.fr", date_joined=maintenant - VIEUX)
    protege = DeclarationFactory(collectif=CollectifFactory(referent=referent), modifiee_le=maintenant - VIEUX)
    Message.objects.create(declaration=protege, auteur=auteur, texte="Bonjour")
    return {
        "vieux": vieux,
        "recent": recent,
        "deposee": deposee,
        "protege": protege,
        "jamais_venu": jamais_venu,
        "nouveau": nouveau,
        "national": national,
        "auteur": auteur,
        "referent": referent,
    }


def _lancer(*options: str) -> str:
    sortie = StringIO()
    call_command("purger_donnees", *options, stdout=sortie)
    return sortie.getvalue()


def test_la_simulation_ne_supprime_rien(donnees):
    avant = (Declaration.objects.count(), User.objects.count())
    sortie = _lancer("--dry-run")
    assert (Declaration.objects.count(), User.objects.count()) == avant
    assert f"Brouillon n° {donnees['vieux'].pk} du collectif « Collectif des Ormes » : serait supprimé" in sortie
    assert f"Compte n° {donnees['jamais_venu'].pk} " in sortie
    assert "simulation : rien n'a été supprimé" in sortie


def test_la_purge_ne_supprime_que_ce_qui_est_assez_ancien(donnees):
    sortie = _lancer()
    assert not Declaration.objects.filter(pk=donnees["vieux"].pk).exists()
    assert not User.objects.filter(pk=donnees["jamais_venu"].pk).exists()
    restants = set(Declaration.objects.values_list("pk", flat=True))
    assert restants == {donnees["recent"].pk, donnees["deposee"].pk, donnees["protege"].pk}
    for cle in ("nouveau", "national", "auteur", "referent"):
        assert User.objects.filter(pk=donnees[cle].pk).exists(), cle
    assert Declaration.objects.get(pk=donnees["deposee"].pk).etat == EtatDeclaration.DEPOSEE
    assert "encore référencé : conservé" in sortie
    assert "2 brouillon(s)" not in sortie and "1 brouillon(s) et 1 compte(s) supprimés." in sortie
    assert _lancer().endswith("0 brouillon(s) et 0 compte(s) supprimés.\n")  # nothing left to purge
