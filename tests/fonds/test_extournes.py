"""R8, R19: a contribution or a distribution recorded by mistake is corrected by a reversing movement that points
to it; nothing is changed or deleted, and the balances follow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from fonds.enums import Compte
from fonds.models import EcritureFonds
from fonds.selectors import situation_du_fonds
from fonds.services import abondement_enregistrer, enveloppe_repartir, mouvement_extourner
from territoires.models import Departement
from tests.fonds.parcours import E, campagne_ouverte, loire_financee

pytestmark = pytest.mark.django_db


def _mouvement_de(**filtre):
    return EcritureFonds.objects.filter(**filtre).order_by("-pk").first().mouvement


def test_un_abondement_errone_s_extourne_et_les_soldes_suivent():
    monde = loire_financee(enveloppes={})
    avant = situation_du_fonds(monde.fonds, 2031)
    abondement = abondement_enregistrer(
        acteur=monde.national, fonds=monde.fonds, financeur=monde.financeurs["etat"], annee=2031, montant=E("999999")
    )
    mouvement = _mouvement_de(abondement=abondement)

    mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=mouvement, motif="Montant mal saisi")

    assert situation_du_fonds(monde.fonds, 2031) == avant
    extourne = EcritureFonds.objects.filter(extourne_de=mouvement)
    assert extourne.count() == 2 and extourne.aggregate(t=Sum("montant"))["t"] == 0
    assert EcritureFonds.objects.filter(mouvement=mouvement).count() == 2  # the original stays
    with pytest.raises(ValidationError, match="déjà été extourné"):
        mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=mouvement, motif="Encore")


def test_une_repartition_reservee_ne_s_extourne_pas_et_un_abondement_reparti_non_plus():
    monde = loire_financee(enveloppes={2027: E("100000"), 2028: E("100000"), 2029: E("100000")})
    campagne_ouverte(monde)  # reserves 60 000 € in 2027–2029
    repartition = _mouvement_de(compte=Compte.ENVELOPPE, annee=2027, campagne__isnull=True, montant__gt=0)
    with pytest.raises(ValidationError, match="ne couvrirait plus les 60 000,00 €"):
        mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=repartition, motif="Erreur")
    reserve = _mouvement_de(compte=Compte.RESERVATION)
    with pytest.raises(ValidationError, match="annulation de la convention"):
        mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=reserve, motif="Erreur")
    fleche = _mouvement_de(abondement__departement_fleche__code="42", annee=2027)
    with pytest.raises(ValidationError, match="ne peut plus être extourné"):
        mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=fleche, motif="Erreur")


def test_une_repartition_libre_s_extourne_et_seule_l_equipe_nationale_le_peut():
    monde = loire_financee(enveloppes={})
    rhone = Departement.objects.get(code="69")
    enveloppe_repartir(acteur=monde.national, fonds=monde.fonds, departement=rhone, annee=2027, montant=E("5000"))
    mouvement = _mouvement_de(compte=Compte.ENVELOPPE, departement=rhone)
    with pytest.raises(PermissionDenied):
        mouvement_extourner(acteur=monde.instructeur, fonds=monde.fonds, mouvement=mouvement, motif="Erreur")
    with pytest.raises(ValidationError, match="pourquoi"):
        mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=mouvement, motif="  ")

    mouvement_extourner(acteur=monde.national, fonds=monde.fonds, mouvement=mouvement, motif="Mauvais département")

    assert situation_du_fonds(monde.fonds, 2027).enveloppes == 0
