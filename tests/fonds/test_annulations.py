"""R5, R7, R8, R19: cancelling a convention, and what may not be cancelled or paid. A cancellation before the first
payment gives the money back and frees a place; after a payment, or by someone else than the département's
instructeurs, it is refused; a collectif that withdraws its agreed declaration cancels its unpaid convention; a
payment waits for the envelope of its year to be distributed; and the ledger lines of reservations, commitments and
payments cannot be changed in the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from collectifs.services import declaration_retirer
from fonds.enums import Compte, EtatConvention, EtatTranche
from fonds.models import Convention, EcritureFonds, Versement
from fonds.selectors import reservation_restante
from fonds.services import convention_annuler, convention_signer, enveloppe_repartir, versement_enregistrer
from territoires.models import Departement
from tests.comptes.factories import InstructeurFactory
from tests.fonds.parcours import E, agreer, campagne_ouverte, loire_financee
from tests.fonds.test_proprietes import verifier_invariants

pytestmark = pytest.mark.django_db

RESERVATION_ENTIERE = {2027: E("60000"), 2028: E("60000"), 2029: E("60000")}


@pytest.fixture
def monde():
    """Loire envelopes of 100 000 € in 2027 and 2028 (2029 projected)."""
    return loire_financee()


def _signer(monde, convention: Convention) -> None:
    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=timezone.localdate(),
        signataire_beneficiaire="La référente du collectif",
        signataire_departement="Le président du Département",
    )


def _verser(monde, convention: Convention, rang: int = 1) -> Versement:
    tranche = convention.tranches.get(rang=rang)
    return versement_enregistrer(
        acteur=monde.instructeur,
        tranche=tranche,
        date_versement=timezone.localdate(),
        montant=tranche.montant,
        reference_bancaire=f"VIR-{tranche.pk}",
    )


def _empreinte(convention: Convention) -> tuple:
    return (
        EcritureFonds.objects.count(),
        Convention.objects.get(pk=convention.pk).etat,
        tuple(convention.tranches.order_by("rang").values_list("etat", flat=True)),
    )


def test_une_convention_payee_ne_s_annule_plus_et_ne_libere_pas_de_place(monde):
    campagne = campagne_ouverte(monde, quota=1)
    agreee = agreer(monde, campagne, "Collectif payé")
    en_attente = agreer(monde, campagne, "Collectif en attente")
    _signer(monde, agreee.convention)
    _verser(monde, agreee.convention)
    avant = _empreinte(agreee.convention)

    with pytest.raises(ValidationError) as erreur:
        convention_annuler(acteur=monde.instructeur, convention=agreee.convention, motifs="Le collectif s'est dissous.")

    assert erreur.value.messages == ["Une convention dont une tranche est versée ne peut plus être annulée."]
    assert _empreinte(agreee.convention) == avant
    en_attente.refresh_from_db()
    assert en_attente.etat == EtatDeclaration.EN_ATTENTE and en_attente.promue_le is None
    assert reservation_restante(campagne) == {2027: E("50000"), 2028: E("50000"), 2029: E("50000")}
    verifier_invariants(monde.fonds)


@pytest.mark.parametrize("qui", ["instructeur_69", "national"])
def test_seuls_les_instructeurs_du_departement_annulent(monde, qui):
    acteur = InstructeurFactory(departements=["69"]).user if qui == "instructeur_69" else monde.national
    campagne = campagne_ouverte(monde)
    convention = agreer(monde, campagne, "Collectif du Soleil").convention
    avant = _empreinte(convention)

    with pytest.raises(PermissionDenied):
        convention_annuler(acteur=acteur, convention=convention, motifs="Erreur de saisie.")

    assert _empreinte(convention) == avant
    assert reservation_restante(campagne) == {2027: E("50000"), 2028: E("50000"), 2029: E("50000")}


def test_une_convention_annulee_ne_s_annule_pas_deux_fois_et_il_faut_des_motifs(monde):
    campagne = campagne_ouverte(monde)
    convention = agreer(monde, campagne, "Collectif du Soleil").convention
    with pytest.raises(ValidationError) as erreur:
        convention_annuler(acteur=monde.instructeur, convention=convention, motifs="   ")
    assert erreur.value.message_dict == {"motifs": ["Indiquez les motifs de l'annulation."]}

    convention_annuler(acteur=monde.instructeur, convention=convention, motifs="Le collectif renonce.")
    avant = _empreinte(convention)
    with pytest.raises(ValidationError, match="n'est plus active"):
        convention_annuler(acteur=monde.instructeur, convention=convention, motifs="Encore.")

    assert _empreinte(convention) == avant
    # Given back once, not twice.
    assert reservation_restante(campagne) == RESERVATION_ENTIERE
    verifier_invariants(monde.fonds)


def test_un_collectif_qui_retire_sa_declaration_agreee_annule_sa_convention(monde):
    campagne = campagne_ouverte(monde, quota=1)
    agreee = agreer(monde, campagne, "Collectif qui renonce")
    en_attente = agreer(monde, campagne, "Collectif en attente")
    _signer(monde, agreee.convention)  # signed, tranche 1 payable, nothing paid yet
    referent = agreee.collectif.referents.get()

    declaration_retirer(acteur=referent, declaration=agreee, motif="Le collectif s'est dissous.")

    convention = Convention.objects.get(pk=agreee.convention.pk)
    assert convention.etat == EtatConvention.ANNULEE
    assert convention.motifs_annulation == "Déclaration retirée par le collectif : Le collectif s'est dissous."
    assert set(convention.tranches.values_list("etat", flat=True)) == {EtatTranche.ANNULEE}
    assert reservation_restante(campagne) == RESERVATION_ENTIERE
    engagement = EcritureFonds.objects.filter(convention=convention, compte=Compte.ENGAGEMENT)
    assert engagement.aggregate(total=Sum("montant"))["total"] == 0
    en_attente.refresh_from_db()
    assert en_attente.etat == EtatDeclaration.INSCRITE_EN_SEANCE and en_attente.promue_le is not None
    verifier_invariants(monde.fonds)


def test_un_collectif_paye_qui_se_retire_garde_sa_convention(monde):
    campagne = campagne_ouverte(monde)
    agreee = agreer(monde, campagne, "Collectif payé qui renonce")
    _signer(monde, agreee.convention)
    _verser(monde, agreee.convention)

    declaration_retirer(acteur=agreee.collectif.referents.get(), declaration=agreee, motif="Fin de la dynamique.")

    convention = Convention.objects.get(pk=agreee.convention.pk)
    assert convention.etat == EtatConvention.ACTIVE  # staff follow it up: money was paid
    assert list(convention.tranches.order_by("rang").values_list("etat", flat=True)) == [
        EtatTranche.VERSEE,
        EtatTranche.PREVUE,
        EtatTranche.PREVUE,
    ]
    verifier_invariants(monde.fonds)


def test_un_versement_attend_que_l_enveloppe_de_son_annee_soit_repartie():
    # Only 2027 is distributed: a 2028 campaign reserved 2028–2030 against the projection.
    monde = loire_financee(enveloppes={2027: E("100000")})
    campagne = campagne_ouverte(monde, annee=2028)
    convention = agreer(monde, campagne, "Collectif de 2028").convention
    _signer(monde, convention)
    lignes = EcritureFonds.objects.count()

    with pytest.raises(ValidationError) as erreur:
        _verser(monde, convention)

    assert erreur.value.message_dict["montant"] == [
        "L'enveloppe 2028 de Loire (42) n'est pas encore couverte par la répartition du fonds : le versement attend "
        "que l'équipe nationale la répartisse."
    ]
    assert EcritureFonds.objects.count() == lignes
    assert not Versement.objects.exists()

    enveloppe_repartir(
        acteur=monde.national,
        fonds=monde.fonds,
        departement=Departement.objects.get(code="42"),
        annee=2028,
        montant=E("100000"),
    )
    _verser(monde, convention)
    assert convention.tranches.get(rang=1).etat == EtatTranche.VERSEE
    verifier_invariants(monde.fonds)


@pytest.mark.postgres
@pytest.mark.parametrize("compte", [Compte.RESERVATION, Compte.ENGAGEMENT, Compte.VERSE])
@pytest.mark.parametrize(
    "requete",
    [
        "UPDATE fonds_ecriturefonds SET montant = montant + 1 WHERE id = %s",
        "UPDATE fonds_ecriturefonds SET compte = 'disponible' WHERE id = %s",
        "DELETE FROM fonds_ecriturefonds WHERE id = %s",
    ],
    ids=["update-montant", "update-compte", "delete"],
)
def test_le_grand_livre_refuse_le_sql_brut_sur_les_reservations_engagements_et_versements(monde, compte, requete):
    if connection.vendor != "postgresql":
        pytest.skip("Les déclencheurs n'existent que sur PostgreSQL.")
    convention = agreer(monde, campagne_ouverte(monde), "Collectif du Soleil").convention
    _signer(monde, convention)
    _verser(monde, convention)
    ligne = EcritureFonds.objects.filter(compte=compte).order_by("pk").first()
    assert ligne is not None

    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(requete, [ligne.pk])

    relue = EcritureFonds.objects.get(pk=ligne.pk)
    assert (relue.compte, relue.montant) == (ligne.compte, ligne.montant)
    verifier_invariants(monde.fonds)
