"""R3 reservation, R5, R7, R8: opening a campaign reserves its envelope for three budget years, the agreement
creates the convention charged to that reservation, signature releases tranche 1, a payment pays it once, and a
cancellation before the first payment gives the money and the place back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from campagnes.services import campagne_clore, campagne_ouvrir
from collectifs.enums import EtatDeclaration
from fonds.enums import Compte, EtatConvention, EtatTranche
from fonds.models import Convention, EcritureFonds, Reservation
from fonds.selectors import enveloppes_du_departement, reservation_restante
from fonds.services import convention_annuler, convention_signer, tranche_liberer, versement_enregistrer
from instances.services import point_fixer_montants, point_statuer
from journal.models import TransitionLog
from tests.fonds.parcours import E, agreer, campagne_ouverte, loire_financee, point_pret
from tests.instances.factories import CampagneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    return loire_financee()


def test_l_ouverture_reserve_trois_annees_et_signale_l_annee_projetee(monde):
    campagne = campagne_ouverte(monde)

    reservations = {r.annee: r.projetee for r in Reservation.objects.filter(campagne=campagne)}
    assert reservations == {2027: False, 2028: False, 2029: True}
    assert reservation_restante(campagne) == {2027: E("60000"), 2028: E("60000"), 2029: E("60000")}
    etats = enveloppes_du_departement(monde.fonds, "42", [2027, 2028, 2029])
    assert etats[2027].disponible == E("40000")
    assert etats[2029].projetee and etats[2029].base == E("100000") and etats[2029].disponible == E("40000")
    assert EcritureFonds.objects.aggregate(total=Sum("montant"))["total"] == 0


def test_cohortes_chevauchantes_la_troisieme_est_refusee_avec_l_annee():
    monde = loire_financee(enveloppes={2026: E("100000"), 2027: E("100000"), 2028: E("100000")})
    for annee in (2026, 2027):
        ouverte = campagne_ouverte(monde, annee=annee, quota=3, enveloppe_annuelle=E("30000"))
        campagne_clore(acteur=monde.instructeur, campagne=ouverte)
    troisieme = CampagneFactory(annee=2028, enveloppe_annuelle=E("75000"), montant_minimal_annuel=E("10000"))

    with pytest.raises(ValidationError) as erreur:
        campagne_ouvrir(acteur=monde.instructeur, campagne=troisieme)

    messages = erreur.value.message_dict["enveloppe_annuelle"]
    assert any(
        "L'enveloppe 2028 de Loire (42) (100 000,00 €)" in m and "il manque 35 000,00 €" in m for m in messages
    ), messages
    assert any(
        "L'enveloppe 2029 de Loire (42) (projetée au dernier montant connu : 100 000,00 €)" in m
        and "il manque 5 000,00 €" in m
        for m in messages
    ), messages
    assert Campagne.objects.get(pk=troisieme.pk).etat == EtatCampagne.PREPARATION
    assert not Reservation.objects.filter(campagne=troisieme).exists()


def test_l_agrement_cree_la_convention_et_ses_trois_tranches(monde):
    campagne = campagne_ouverte(monde)

    declaration = agreer(monde, campagne, "Collectif des Hauts de Firminy")

    assert declaration.etat == EtatDeclaration.AGREEE
    convention = Convention.objects.get(declaration=declaration)
    assert [(t.rang, t.annee, t.montant, t.etat) for t in convention.tranches.all()] == [
        (1, 2027, E("10000.00"), EtatTranche.PREVUE),
        (2, 2028, E("10000.00"), EtatTranche.PREVUE),
        (3, 2029, E("10000.00"), EtatTranche.PREVUE),
    ]
    assert reservation_restante(campagne) == {2027: E("50000"), 2028: E("50000"), 2029: E("50000")}


def test_agrement_refuse_par_l_enveloppe_alors_que_le_quota_le_permet(monde):
    campagne = campagne_ouverte(monde, quota=3, enveloppe_annuelle=E("30000"), montant_minimal_annuel=E("10000"))
    plus = point_pret(monde, campagne, "Collectif mieux doté")
    point_fixer_montants(acteur=monde.instructeur, point=plus, montants=[E("15000"), E("15000"), None])
    point_statuer(acteur=monde.instructeur, point=plus)

    etats = [agreer(monde, campagne, f"Collectif {rang}").etat for rang in range(2)]

    assert etats == [EtatDeclaration.AGREEE, EtatDeclaration.EN_ATTENTE]
    assert reservation_restante(campagne) == {2027: E("5000"), 2028: E("5000"), 2029: E("10000")}


def test_signature_versement_unique_et_annulation_impossible_apres(monde):
    campagne = campagne_ouverte(monde)
    convention = Convention.objects.get(declaration=agreer(monde, campagne, "Collectif du Soleil"))
    aujourd_hui = timezone.localdate()

    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=aujourd_hui,
        signataire_beneficiaire="Odile Marchand, référente",
        signataire_departement="Le président du Département",
    )
    premiere, deuxieme = convention.tranches.order_by("rang")[:2]
    premiere.refresh_from_db()
    assert premiere.etat == EtatTranche.EXIGIBLE
    with pytest.raises(ValidationError, match="tranche 1 n'est pas encore versée"):
        tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)

    versement_enregistrer(
        acteur=monde.instructeur,
        tranche=premiere,
        date_versement=aujourd_hui,
        montant=E("10000.00"),
        reference_bancaire="VIR-1",
    )
    with pytest.raises(ValidationError, match="jamais payée deux fois"):
        versement_enregistrer(
            acteur=monde.instructeur,
            tranche=premiere,
            date_versement=aujourd_hui,
            montant=E("10000.00"),
            reference_bancaire="VIR-2",
        )
    with pytest.raises(ValidationError, match="bilan annuel 2027"):
        tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)
    with pytest.raises(ValidationError, match="versée"):
        convention_annuler(acteur=monde.instructeur, convention=convention, motifs="Erreur")
    verse = EcritureFonds.objects.filter(compte=Compte.VERSE).aggregate(t=Sum("montant"))["t"]
    assert verse == E("10000.00")
    assert TransitionLog.objects.filter(object_id=premiere.pk, cible=EtatTranche.VERSEE).exists()


def test_l_annulation_rend_la_reservation_et_promeut_la_liste_d_attente(monde):
    campagne = campagne_ouverte(monde, quota=1)
    agreee = agreer(monde, campagne, "Collectif premier")
    en_attente = agreer(monde, campagne, "Collectif second")
    assert en_attente.etat == EtatDeclaration.EN_ATTENTE

    convention_annuler(acteur=monde.instructeur, convention=agreee.convention, motifs="Le collectif s'est dissous.")

    assert Convention.objects.get(pk=agreee.convention.pk).etat == EtatConvention.ANNULEE
    assert set(agreee.convention.tranches.values_list("etat", flat=True)) == {EtatTranche.ANNULEE}
    assert reservation_restante(campagne) == {2027: E("60000"), 2028: E("60000"), 2029: E("60000")}
    en_attente.refresh_from_db()
    assert en_attente.etat == EtatDeclaration.INSCRITE_EN_SEANCE and en_attente.promue_le is not None
