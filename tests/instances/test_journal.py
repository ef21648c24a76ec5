"""The research-action journal (R10): only the collectif's current accompagnateur writes it, with a date that is
neither in the future nor before the assignment; its référents, its accompagnateur, the département's
instructeurs and national staff read it, nobody else (other collectifs, the instance's members, funders,
employers, other départements)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from instances.models import EntreeJournal
from instances.permissions import can_ecrire_journal, can_voir_journal
from instances.selectors import collectifs_du_journal_visible_to, entrees_journal_visibles
from instances.services_journal import entree_journal_ajouter
from tests.instances.monde_journal import ROLES_JOURNAL, TEXTE_ENTREE, construire_monde_journal

pytestmark = pytest.mark.django_db

HIER = datetime.timedelta(days=1)

LECTEURS_A = {"referent_a", "instructeur_42", "national", "accompagnateur"}


@pytest.fixture
def monde(distribution):
    return construire_monde_journal(distribution)


def test_l_accompagnateur_tient_le_journal(monde):
    entree = entree_journal_ajouter(
        acteur=monde.accompagnateur,
        collectif=monde.collectif_a,
        date_entree=timezone.localdate() - HIER,
        texte="  Réunion avec la mairie sur le local.  ",
    )
    assert entree.accompagnateur == monde.accompagnatrice
    assert entree.auteur == monde.accompagnateur
    assert entree.texte == "Réunion avec la mairie sur le local."
    assert list(EntreeJournal.objects.filter(collectif=monde.collectif_a)) == [entree, monde.entree]


@pytest.mark.parametrize("role", sorted(set(ROLES_JOURNAL) - {"anonyme", "accompagnateur"}))
def test_seul_l_accompagnateur_du_collectif_ecrit(monde, role):
    with pytest.raises(PermissionDenied):
        entree_journal_ajouter(
            acteur=monde.utilisateur(role), collectif=monde.collectif_a, date_entree=timezone.localdate(), texte="x"
        )
    assert EntreeJournal.objects.count() == 1


def test_l_ancien_accompagnateur_n_ecrit_plus(monde):
    monde.collectif_a.affectations.update(fin=timezone.now())
    with pytest.raises(PermissionDenied):
        entree_journal_ajouter(
            acteur=monde.accompagnateur, collectif=monde.collectif_a, date_entree=timezone.localdate(), texte="x"
        )


@pytest.mark.parametrize(
    ("jours", "texte", "champ", "message"),
    [
        (0, "   ", "texte", "Écrivez l'entrée du journal."),
        (0, "x" * 5001, "texte", "5000 caractères au plus."),
        (-1, TEXTE_ENTREE, "date", "La date ne peut pas être dans le futur."),
        (31, TEXTE_ENTREE, "date", "La date ne peut pas précéder votre affectation au collectif"),
    ],
    ids=["vide", "trop-long", "futur", "avant-affectation"],
)
def test_une_entree_invalide_est_refusee(monde, jours, texte, champ, message):
    with pytest.raises(ValidationError) as erreur:
        entree_journal_ajouter(
            acteur=monde.accompagnateur,
            collectif=monde.collectif_a,
            date_entree=timezone.localdate() - datetime.timedelta(days=jours),
            texte=texte,
        )
    assert list(erreur.value.message_dict) == [champ]
    assert erreur.value.message_dict[champ][0].startswith(message)
    assert EntreeJournal.objects.count() == 1


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_qui_lit_le_journal(monde, role):
    """The predicate, the scoped selector of collectifs and the scoped selector of entries agree."""
    user = monde.utilisateur(role)
    lit = role in LECTEURS_A
    assert can_voir_journal(user, monde.collectif_a) is lit
    assert collectifs_du_journal_visible_to(user).filter(pk=monde.collectif_a.pk).exists() is lit
    assert entrees_journal_visibles(user).filter(pk=monde.entree.pk).exists() is lit
    assert can_ecrire_journal(user, monde.collectif_a) is (role == "accompagnateur")


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_qui_lit_le_journal_du_collectif_b(monde, role):
    lit = role in {"referent_b", "instructeur_42", "national", "accompagnateur_b"}
    assert can_voir_journal(monde.utilisateur(role), monde.collectif_b) is lit
    assert collectifs_du_journal_visible_to(monde.utilisateur(role)).filter(pk=monde.collectif_b.pk).exists() is lit
