"""R8: the fund also finances the other kinds of beneficiary (expérimentations hors normes, projets étudiants…).
Staff record such a project; it is charged to the département's envelopes (which must really cover it: a projected
year cannot be committed), the collectif rules do not apply, its tranche 2 is released once tranche 1 is paid, and
its cancellation gives the money back to the envelope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from fonds.enums import Compte, EtatConvention, EtatTranche, GestionFonds, NatureBeneficiaire
from fonds.models import Convention, EcritureFonds
from fonds.selectors import enveloppes_du_departement
from fonds.services import (
    DonneesProjet,
    convention_annuler,
    convention_signer,
    fonds_creer,
    projet_financer,
    tranche_liberer,
    versement_enregistrer,
)
from territoires.models import Departement
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.fonds.parcours import E, agreer, campagne_ouverte, loire_financee
from tests.fonds.test_proprietes import verifier_invariants

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    """Loire envelopes of 100 000 € in 2027 and 2028; 2029 is projected."""
    return loire_financee()


def _projet(tranches: list[tuple[int, Decimal]], **champs) -> DonneesProjet:
    valeurs = {
        "nature_beneficiaire": NatureBeneficiaire.PROJET_ETUDIANT,
        "beneficiaire": "Université Jean-Monnet",
        "objet": "Projet étudiant : diagnostic partagé du quartier de Montreynaud",
        "date_debut": datetime.date(tranches[0][0], 1, 1),
        "date_fin": datetime.date(tranches[-1][0], 12, 31),
        "tranches": tranches,
        "siret_beneficiaire": "19421095100423",
        **champs,
    }
    return DonneesProjet(**valeurs)


def _disponible(monde, annee: int) -> Decimal:
    return enveloppes_du_departement(monde.fonds, "42", [annee])[annee].disponible


@pytest.mark.parametrize("qui", ["national", "instructeur"])
def test_un_projet_est_enregistre_par_l_equipe_nationale_ou_les_instructeurs_du_departement(monde, qui):
    acteur = monde.national if qui == "national" else monde.instructeur

    convention = projet_financer(
        acteur=acteur,
        fonds=monde.fonds,
        departement_code="42",
        donnees=_projet([(2027, E("20000")), (2028, E("15000"))]),
    )

    assert convention.nature_beneficiaire == NatureBeneficiaire.PROJET_ETUDIANT
    assert [(t.rang, t.annee, t.montant, t.etat) for t in convention.tranches.all()] == [
        (1, 2027, E("20000"), EtatTranche.PREVUE),
        (2, 2028, E("15000"), EtatTranche.PREVUE),
    ]
    # Charged to the envelope, not to any campaign's reservation.
    assert _disponible(monde, 2027) == E("80000")
    assert _disponible(monde, 2028) == E("85000")
    assert not EcritureFonds.objects.filter(compte=Compte.RESERVATION).exists()
    engagement = EcritureFonds.objects.filter(convention=convention, compte=Compte.ENGAGEMENT)
    assert engagement.aggregate(total=Sum("montant"))["total"] == E("35000")
    verifier_invariants(monde.fonds)


@pytest.mark.parametrize("qui", ["anonyme", "instructeur_69", "referent", "national_d_un_fonds_departemental"])
def test_les_autres_ne_financent_pas_de_projet(monde, qui):
    if qui == "national_d_un_fonds_departemental":
        # A département that runs its own fund: its projects are its instructeurs', not national staff's.
        fonds = fonds_creer(
            acteur=monde.national,
            nom="Fonds du Rhône",
            gestion=GestionFonds.DEPARTEMENTALE,
            departement=Departement.objects.get(code="69"),
        )
        acteur, code = monde.national, "69"
    else:
        fonds, code = monde.fonds, "42"
        acteur = {
            "anonyme": AnonymousUser(),
            "instructeur_69": InstructeurFactory(departements=["69"]).user,
            "referent": UserFactory(),
        }[qui]
    lignes = EcritureFonds.objects.count()

    with pytest.raises(PermissionDenied):
        projet_financer(acteur=acteur, fonds=fonds, departement_code=code, donnees=_projet([(2027, E("1000"))]))

    assert not Convention.objects.exists()
    assert EcritureFonds.objects.count() == lignes


def test_un_projet_que_l_enveloppe_ne_couvre_pas_est_refuse_avec_l_annee(monde):
    lignes = EcritureFonds.objects.count()

    with pytest.raises(ValidationError) as erreur:
        projet_financer(
            acteur=monde.national,
            fonds=monde.fonds,
            departement_code="42",
            donnees=_projet([(2027, E("30000")), (2028, E("100000.01")), (2029, E("10000"))]),
        )

    messages = erreur.value.message_dict["tranches"]
    assert messages == [
        "L'enveloppe 2028 de Loire (42) (100 000,00 €) est déjà prise à hauteur de 0,00 € : il reste "
        "100 000,00 € pour 100 000,01 € demandés, il manque 0,01 €.",
        # 2029 is only projected (at 100 000 €): a project cannot be committed there, however small.
        "L'enveloppe 2029 de Loire (42) n'est pas encore répartie : un projet ne peut pas y être engagé.",
    ]
    assert not Convention.objects.exists()
    assert EcritureFonds.objects.count() == lignes


def test_un_projet_ne_prend_pas_l_argent_deja_reserve_par_une_campagne(monde):
    campagne_ouverte(monde, enveloppe_annuelle=E("60000"))  # reserves 60 000 € in 2027, 2028 (and 2029)

    with pytest.raises(ValidationError, match="il manque 5 000,00 €"):
        projet_financer(
            acteur=monde.instructeur,
            fonds=monde.fonds,
            departement_code="42",
            donnees=_projet([(2027, E("45000"))]),
        )
    projet_financer(
        acteur=monde.instructeur, fonds=monde.fonds, departement_code="42", donnees=_projet([(2027, E("40000"))])
    )
    assert _disponible(monde, 2027) == E("0")
    verifier_invariants(monde.fonds)


def test_les_regles_des_collectifs_ne_s_appliquent_pas(monde):
    # A campaign whose quota is full does not stop a project: places and quotas are the collectifs' (R5).
    campagne = campagne_ouverte(monde, quota=1, enveloppe_annuelle=E("10000"))
    agreer(monde, campagne, "Collectif seul agréé")
    assert agreer(monde, campagne, "Collectif en attente").etat == EtatDeclaration.EN_ATTENTE

    # No declaration, no members, no composition (R1), no secondment (R9): an organisation and its tranches.
    convention = projet_financer(
        acteur=monde.instructeur,
        fonds=monde.fonds,
        departement_code="42",
        donnees=_projet(
            [(2027, E("3000"))],
            nature_beneficiaire=NatureBeneficiaire.EXPERIMENTATION,
            beneficiaire="Association Nuits solidaires",
            objet="Expérimentation hors normes : un accueil de nuit sans condition",
            siret_beneficiaire="",
            rna_beneficiaire="w423001234",
        ),
    )
    assert convention.declaration is None and convention.campagne is None
    assert convention.rna_beneficiaire == "W423001234"
    # … but a collectif is funded by its agreement in séance, never as a project.
    with pytest.raises(ValidationError) as erreur:
        projet_financer(
            acteur=monde.instructeur,
            fonds=monde.fonds,
            departement_code="42",
            donnees=_projet([(2027, E("3000"))], nature_beneficiaire=NatureBeneficiaire.COLLECTIF),
        )
    assert "nature_beneficiaire" in erreur.value.message_dict


def test_la_tranche_2_d_un_projet_est_liberee_apres_le_versement_de_la_tranche_1(monde):
    convention = projet_financer(
        acteur=monde.instructeur,
        fonds=monde.fonds,
        departement_code="42",
        donnees=_projet([(2027, E("20000")), (2028, E("15000"))]),
    )
    premiere, deuxieme = convention.tranches.order_by("rang")
    with pytest.raises(ValidationError, match="pas encore signée"):
        tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)
    aujourd_hui = timezone.localdate()
    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=aujourd_hui,
        signataire_beneficiaire="Le président de l'université",
        signataire_departement="Le président du Département",
    )
    with pytest.raises(ValidationError, match="tranche 1 n'est pas encore versée"):
        tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)
    with pytest.raises(PermissionDenied):
        tranche_liberer(acteur=monde.national, tranche=deuxieme)

    versement_enregistrer(
        acteur=monde.instructeur,
        tranche=premiere,
        date_versement=aujourd_hui,
        montant=E("20000"),
        reference_bancaire="VIR-PROJET-1",
    )
    tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)

    deuxieme.refresh_from_db()
    assert deuxieme.etat == EtatTranche.EXIGIBLE
    with pytest.raises(ValidationError, match="n'est pas « prévue »"):
        tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)
    verifier_invariants(monde.fonds)


def test_l_annulation_d_un_projet_rend_l_argent_a_l_enveloppe(monde):
    convention = projet_financer(
        acteur=monde.national,
        fonds=monde.fonds,
        departement_code="42",
        donnees=_projet([(2027, E("20000")), (2028, E("15000"))]),
    )

    convention_annuler(acteur=monde.instructeur, convention=convention, motifs="Le projet est abandonné.")

    assert Convention.objects.get(pk=convention.pk).etat == EtatConvention.ANNULEE
    assert set(convention.tranches.values_list("etat", flat=True)) == {EtatTranche.ANNULEE}
    etats = enveloppes_du_departement(monde.fonds, "42", [2027, 2028, 2029])
    # The money is back, and it is not counted as distributed (the 2029 projection stays at 100 000 €).
    assert [(e.repartie, e.prise, e.disponible) for e in etats.values()] == [
        (E("100000"), E("0"), E("100000")),
        (E("100000"), E("0"), E("100000")),
        (E("0"), E("0"), E("100000")),
    ]
    engagement = EcritureFonds.objects.filter(convention=convention, compte=Compte.ENGAGEMENT)
    assert engagement.aggregate(total=Sum("montant"))["total"] == 0
    verifier_invariants(monde.fonds)
