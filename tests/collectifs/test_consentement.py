"""Proxy entries of members (R10, R20): the accompagnateur enters a member only with the person's consent; a
référent may do so for a member without e-mail. Every proxy entry has its consent record (who agreed, how, when,
who typed), in the same transaction; an entry without consent is refused and nothing is written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from collectifs.enums import College, ModeConsentement
from collectifs.models import Consentement, Membre
from collectifs.services import DonneesMembre, consentement_enregistrer, membre_ajouter, membre_modifier
from collectifs.services.collectif import SAISIE_SANS_ACCORD
from tests.instances.monde_journal import accord, construire_monde_journal

pytestmark = pytest.mark.django_db


def josette(**extra):
    valeurs = {"college": College.HABITANT, "prenom": "Josette", "nom": "Granger", "consentement": True}
    valeurs.update(extra)
    return DonneesMembre(**valeurs)


@pytest.fixture
def monde(distribution):
    return construire_monde_journal(distribution)


def test_l_accompagnateur_saisit_un_membre_avec_l_accord(monde):
    membre = membre_ajouter(
        acteur=monde.accompagnateur,
        collectif=monde.collectif_a,
        donnees=josette(),
        pour_autrui=accord(mode=ModeConsentement.PAPIER),
    )
    membre.refresh_from_db()
    consentement = membre.consentement_saisie
    assert consentement is not None
    assert consentement.membre == membre
    assert consentement.collectif == monde.collectif_a
    assert consentement.pour_le_compte_de == "Josette Granger"
    assert consentement.mode == ModeConsentement.PAPIER
    assert consentement.saisi_par == monde.accompagnateur
    assert consentement.recueilli_le == timezone.localdate() - datetime.timedelta(days=1)
    assert membre.saisi_par == monde.accompagnateur
    assert str(consentement) == f"Saisi par {monde.accompagnateur} pour le compte de Josette Granger"


def test_une_saisie_de_l_accompagnateur_sans_accord_est_refusee(monde):
    with pytest.raises(ValidationError) as erreur:
        membre_ajouter(acteur=monde.accompagnateur, collectif=monde.collectif_a, donnees=josette())
    assert erreur.value.message_dict == {"mode": [SAISIE_SANS_ACCORD]}
    assert not Membre.objects.filter(collectif=monde.collectif_a, nom="Granger").exists()
    assert not Consentement.objects.exists()


def test_une_correction_de_l_accompagnateur_sans_accord_est_refusee(monde):
    membre = membre_ajouter(acteur=monde.referent_a, collectif=monde.collectif_a, donnees=josette())
    with pytest.raises(ValidationError):
        membre_modifier(acteur=monde.accompagnateur, membre=membre, donnees=josette(fonction="Trésorière"))
    membre.refresh_from_db()
    assert membre.fonction == ""
    assert membre.consentement_saisie is None


def test_chaque_correction_pour_autrui_a_son_propre_accord(monde):
    membre = membre_ajouter(
        acteur=monde.accompagnateur, collectif=monde.collectif_a, donnees=josette(), pour_autrui=accord()
    )
    premier = membre.consentement_saisie
    membre_modifier(
        acteur=monde.accompagnateur,
        membre=membre,
        donnees=josette(fonction="Trésorière de l'amicale"),
        pour_autrui=accord(mode=ModeConsentement.AUTRE, precision="Par SMS à l'accompagnatrice"),
    )
    membre.refresh_from_db()
    assert membre.fonction == "Trésorière de l'amicale"
    assert membre.consentement_saisie != premier
    assert membre.consentement_saisie.precision == "Par SMS à l'accompagnatrice"
    assert Consentement.objects.filter(membre=membre).count() == 2


def test_toute_saisie_pour_autrui_a_un_accord(monde):
    """Every member typed by someone who is not a référent of the collectif carries a consent record, and each
    consent record points to a member of the same collectif."""
    for prenom, nom in (("Mamadou", "Diallo"), ("Inès", "Roux"), ("Paul", "Faure")):
        membre_ajouter(
            acteur=monde.accompagnateur,
            collectif=monde.collectif_a,
            donnees=josette(prenom=prenom, nom=nom),
            pour_autrui=accord(),
        )
        with pytest.raises(ValidationError):
            membre_ajouter(
                acteur=monde.accompagnateur, collectif=monde.collectif_a, donnees=josette(prenom=prenom, nom="Bis")
            )
    referents = set(monde.collectif_a.referents.values_list("pk", flat=True))
    pour_autrui = Membre.objects.filter(collectif=monde.collectif_a).exclude(saisi_par__in=referents)
    assert pour_autrui.count() == 3
    assert not pour_autrui.filter(consentement_saisie__isnull=True).exists()
    assert set(Consentement.objects.values_list("membre__collectif", flat=True)) == {monde.collectif_a.pk}


def test_le_referent_saisit_pour_un_membre_sans_adresse(monde):
    membre = membre_ajouter(
        acteur=monde.referent_a, collectif=monde.collectif_a, donnees=josette(), pour_autrui=accord()
    )
    assert membre.consentement_saisie.saisi_par == monde.referent_a
    ordinaire = membre_ajouter(
        acteur=monde.referent_a, collectif=monde.collectif_a, donnees=josette(prenom="Odile", nom="Marchand")
    )
    assert ordinaire.consentement_saisie is None


@pytest.mark.parametrize("role", ["accompagnateur_b", "referent_b", "instructeur_42", "national", "financeur"])
def test_les_autres_ne_saisissent_pas_pour_autrui(monde, role):
    with pytest.raises(PermissionDenied):
        membre_ajouter(
            acteur=monde.utilisateur(role), collectif=monde.collectif_a, donnees=josette(), pour_autrui=accord()
        )
    assert not Membre.objects.filter(nom="Granger").exists()
    assert not Consentement.objects.exists()


def test_l_ancien_accompagnateur_ne_saisit_plus(monde):
    monde.collectif_a.affectations.update(fin=timezone.now())
    with pytest.raises(PermissionDenied):
        membre_ajouter(
            acteur=monde.accompagnateur, collectif=monde.collectif_a, donnees=josette(), pour_autrui=accord()
        )


@pytest.mark.parametrize(
    ("donnees", "champ"),
    [
        ({"mode": ModeConsentement.AUTRE}, "precision"),
        ({"mode": "telepathie"}, "mode"),
        ({"recueilli_le": timezone.localdate() + datetime.timedelta(days=1)}, "recueilli_le"),
    ],
    ids=["autre-sans-precision", "mode-inconnu", "date-future"],
)
def test_un_accord_incomplet_refuse_toute_la_saisie(monde, donnees, champ):
    with pytest.raises(ValidationError) as erreur:
        membre_ajouter(
            acteur=monde.accompagnateur, collectif=monde.collectif_a, donnees=josette(), pour_autrui=accord(**donnees)
        )
    assert champ in erreur.value.message_dict
    assert not Membre.objects.filter(nom="Granger").exists()  # the member is not kept without its consent
    assert not Consentement.objects.exists()


def test_un_accord_ne_vaut_que_pour_un_membre_du_collectif(monde):
    etranger = membre_ajouter(acteur=monde.referent_b, collectif=monde.collectif_b, donnees=josette())
    with pytest.raises(ValidationError) as erreur:
        consentement_enregistrer(
            acteur=monde.accompagnateur, collectif=monde.collectif_a, donnees=accord(membre=etranger)
        )
    assert erreur.value.message_dict == {"pour_le_compte_de": ["Cette personne n'est pas membre du collectif."]}
