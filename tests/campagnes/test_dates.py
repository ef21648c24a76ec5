"""Implausible dates are refused with a French message next to the field (core.dates; R3 for campaigns)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from campagnes.enums import EtatCampagne
from campagnes.services import campagne_creer, campagne_modifier, campagne_ouvrir
from collectifs.services import DonneesMembre, membre_ajouter
from core.dates import bornes_campagne, bornes_membre, bornes_seance, hors_bornes
from territoires.models import Departement
from tests.instances.factories import CampagneFactory

J = datetime.date


def _creer(instructeur, **dates):
    valeurs = {"date_ouverture": J(2028, 1, 15), "date_cloture": J(2028, 6, 30)} | dates
    return campagne_creer(
        acteur=instructeur,
        departement=Departement.objects.get(code="42"),
        annee=2028,
        quota=3,
        enveloppe_annuelle=Decimal("60000"),
        montant_minimal_annuel=Decimal("15000"),
        **valeurs,
    )


@pytest.mark.parametrize(
    ("dates", "champs"),
    [
        ({"date_ouverture": J(1, 1, 1)}, ["date_ouverture"]),
        ({"date_cloture": J(9999, 12, 31)}, ["date_cloture"]),
        ({"date_ouverture": J(1, 1, 1), "date_cloture": J(9999, 12, 31)}, ["date_cloture", "date_ouverture"]),
        ({"date_ouverture": J(2026, 12, 31)}, ["date_ouverture"]),
        ({"date_cloture": J(2030, 1, 1)}, ["date_cloture"]),
    ],
)
def test_une_campagne_aux_dates_invraisemblables_est_refusee(distribution, dates, champs):
    with pytest.raises(ValidationError) as erreur:
        _creer(distribution.instructeur_42, **dates)
    assert sorted(erreur.value.message_dict) == champs
    for champ in champs:
        assert "Cette date n'est pas plausible" in erreur.value.message_dict[champ][0]
        assert "1 janvier 2027" in erreur.value.message_dict[champ][0]
        assert "31 décembre 2029" in erreur.value.message_dict[champ][0]


def test_les_bornes_de_l_annee_sont_acceptees(distribution):
    campagne = _creer(distribution.instructeur_42, date_ouverture=J(2027, 1, 1), date_cloture=J(2029, 12, 31))
    assert (campagne.date_ouverture, campagne.date_cloture) == (J(2027, 1, 1), J(2029, 12, 31))


def test_une_modification_vers_une_date_invraisemblable_est_refusee(distribution):
    campagne = CampagneFactory(annee=2028, date_ouverture=J(2028, 1, 1), date_cloture=J(2028, 6, 30))
    with pytest.raises(ValidationError) as erreur:
        campagne_modifier(acteur=distribution.instructeur_42, campagne=campagne, date_cloture=J(9999, 12, 31))
    assert list(erreur.value.message_dict) == ["date_cloture"]


@time_machine.travel(datetime.datetime(2028, 7, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_une_campagne_dont_la_cloture_est_passee_ne_s_ouvre_pas(distribution):
    campagne = CampagneFactory(annee=2028, date_ouverture=J(2028, 1, 15), date_cloture=J(2028, 6, 30))
    with pytest.raises(ValidationError) as erreur:
        campagne_ouvrir(acteur=distribution.instructeur_42, campagne=campagne)
    assert erreur.value.message_dict["date_cloture"] == [
        "La date de clôture (30 juin 2028) est passée : reportez-la avant d'ouvrir la campagne."
    ]
    campagne.refresh_from_db()
    assert campagne.etat == EtatCampagne.PREPARATION


@time_machine.travel(datetime.datetime(2028, 6, 30, 10, tzinfo=datetime.UTC), tick=False)
def test_une_campagne_qui_ferme_aujourd_hui_s_ouvre_encore(distribution):
    rhone = Departement.objects.get(code="69")
    campagne = CampagneFactory(
        departement=rhone, annee=2028, date_ouverture=J(2028, 1, 15), date_cloture=J(2028, 6, 30)
    )
    assert campagne_ouvrir(acteur=distribution.instructeur_autre, campagne=campagne).etat == EtatCampagne.OUVERTE


@pytest.mark.parametrize(
    ("champ", "jour"),
    [("date_debut", J(1, 1, 1)), ("date_debut", J(9999, 1, 1)), ("date_fin", J(9999, 12, 31))],
)
def test_un_membre_aux_dates_invraisemblables_est_refuse(distribution, champ, jour):
    donnees = DonneesMembre(college="HABITANT", prenom="Nadia", nom="Haddad", consentement=True, **{champ: jour})
    with pytest.raises(ValidationError) as erreur:
        membre_ajouter(acteur=distribution.referent_a, collectif=distribution.collectif_a, donnees=donnees)
    assert "Cette date n'est pas plausible" in erreur.value.message_dict[champ][0]
    assert not distribution.collectif_a.membres.filter(nom="Haddad").exists()


def test_les_bornes_sont_dites_une_seule_fois():
    assert bornes_campagne(2027) == (J(2026, 1, 1), J(2028, 12, 31))
    assert bornes_seance(2027) == (J(2026, 1, 1), J(2029, 12, 31))
    assert bornes_membre(J(2027, 3, 1)) == (J(1950, 1, 1), J(2032, 12, 31))
    assert hors_bornes(None, J(2026, 1, 1), J(2026, 12, 31)) is None
    assert hors_bornes(J(2026, 6, 1), J(2026, 1, 1), J(2026, 12, 31)) is None
