"""R8, first part: the fund, its funders, their contributions and the distribution into departmental envelopes,
with every balance computed from the append-only double-entry ledger (ADR 0005)."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from comptes.models import User
from fonds.enums import Compte, GestionFonds, NatureFinanceur
from fonds.models import EcritureFonds, Enveloppe, Financeur, Fonds
from fonds.selectors import situation_du_fonds, solde
from fonds.services import abondement_enregistrer, enveloppe_repartir, financeur_creer, fonds_creer
from territoires.models import Departement

E = Decimal


@pytest.fixture
def national(db) -> User:
    return User.objects.create_user(email="equipe.nationale@exemple.fr", est_equipe_nationale=True)


@pytest.fixture
def fonds(national) -> Fonds:
    return fonds_creer(acteur=national, nom="Fonds national d'innovation sociale")


@pytest.fixture
def financeurs(national) -> dict[str, Financeur]:
    return {
        "etat": financeur_creer(acteur=national, nom="État", nature=NatureFinanceur.ETAT),
        "loire": financeur_creer(acteur=national, nom="Département de la Loire", nature=NatureFinanceur.DEPARTEMENT),
        "fondation": financeur_creer(acteur=national, nom="Fondation Solidarités", nature=NatureFinanceur.FONDATION),
    }


def _dep(code: str) -> Departement:
    return Departement.objects.get(code=code)


@pytest.mark.parametrize("role", ["anonyme", "referent", "instructeur"])
def test_seule_l_equipe_nationale_cree_le_fonds_et_les_financeurs(distribution, role):
    acteur = {
        "anonyme": None,
        "referent": distribution.referent_a,
        "instructeur": distribution.instructeur_42,
    }[role]

    acteur = acteur or AnonymousUser()
    with pytest.raises(PermissionDenied):
        fonds_creer(acteur=acteur, nom="Fonds")
    with pytest.raises(PermissionDenied):
        financeur_creer(acteur=acteur, nom="État", nature=NatureFinanceur.ETAT)
    assert not Fonds.objects.exists()
    assert not Financeur.objects.exists()


def test_un_abondement_ecrit_un_mouvement_equilibre(national, fonds, financeurs):
    abondement = abondement_enregistrer(
        acteur=national, fonds=fonds, financeur=financeurs["etat"], annee=2027, montant=E("500000.00")
    )
    lignes = list(EcritureFonds.objects.filter(abondement=abondement))
    assert sorted((ligne.compte, ligne.montant) for ligne in lignes) == [
        (Compte.APPORT, E("-500000.00")),
        (Compte.DISPONIBLE, E("500000.00")),
    ]
    assert len({ligne.mouvement for ligne in lignes}) == 1
    assert situation_du_fonds(fonds, 2027).contributions == E("500000.00")
    assert situation_du_fonds(fonds, 2027).a_repartir == E("500000.00")


def test_la_repartition_puise_d_abord_dans_le_flechage(national, fonds, financeurs):
    loire, rhone = _dep("42"), _dep("69")
    abondement_enregistrer(
        acteur=national,
        fonds=fonds,
        financeur=financeurs["loire"],
        annee=2027,
        montant=E("100000"),
        departement_fleche=loire,
    )
    abondement_enregistrer(acteur=national, fonds=fonds, financeur=financeurs["etat"], annee=2027, montant=E("200000"))

    enveloppe_repartir(acteur=national, fonds=fonds, departement=loire, annee=2027, montant=E("150000"))

    assert solde(fonds, Compte.ENVELOPPE, 2027, departement=loire) == E("150000")
    assert solde(fonds, Compte.DISPONIBLE, 2027, departement=loire) == E("0")  # earmarked money used first
    assert solde(fonds, Compte.DISPONIBLE, 2027, departement=None) == E("150000")
    # The Rhône can get the unearmarked rest, never the Loire's earmarked money.
    with pytest.raises(ValidationError) as erreur:
        enveloppe_repartir(acteur=national, fonds=fonds, departement=rhone, annee=2027, montant=E("150000.01"))
    assert erreur.value.message_dict["montant"] == [
        "Il reste 150 000,00 € à répartir pour Rhône (69) en 2027 (dont 0,00 € fléchés vers ce département) : "
        "il manque 0,01 €."
    ]
    enveloppe_repartir(acteur=national, fonds=fonds, departement=rhone, annee=2027, montant=E("150000"))
    situation = situation_du_fonds(fonds, 2027)
    assert (situation.contributions, situation.enveloppes, situation.a_repartir) == (
        E("300000"),
        E("300000"),
        E("0"),
    )
    assert Enveloppe.objects.filter(fonds=fonds, annee=2027).count() == 2


def test_un_abondement_fleche_ne_finance_pas_un_autre_departement(national, fonds, financeurs):
    abondement_enregistrer(
        acteur=national,
        fonds=fonds,
        financeur=financeurs["loire"],
        annee=2028,
        montant=E("80000"),
        departement_fleche=_dep("42"),
    )
    with pytest.raises(ValidationError):
        enveloppe_repartir(acteur=national, fonds=fonds, departement=_dep("69"), annee=2028, montant=E("1"))
    assert not EcritureFonds.objects.filter(compte=Compte.ENVELOPPE).exists()


def test_les_instructeurs_ne_repartissent_pas_le_fonds_national(distribution, national, fonds, financeurs):
    abondement_enregistrer(acteur=national, fonds=fonds, financeur=financeurs["etat"], annee=2027, montant=E("1000"))
    with pytest.raises(PermissionDenied):
        enveloppe_repartir(
            acteur=distribution.instructeur_42, fonds=fonds, departement=_dep("42"), annee=2027, montant=E("10")
        )
    with pytest.raises(PermissionDenied):
        abondement_enregistrer(
            acteur=distribution.instructeur_42,
            fonds=fonds,
            financeur=financeurs["etat"],
            annee=2027,
            montant=E("10"),
        )


def test_un_fonds_departemental_est_gere_par_ses_instructeurs(distribution, national, financeurs):
    fonds = fonds_creer(
        acteur=national, nom="Fonds de la Loire", gestion=GestionFonds.DEPARTEMENTALE, departement=_dep("42")
    )
    abondement_enregistrer(
        acteur=distribution.instructeur_42, fonds=fonds, financeur=financeurs["loire"], annee=2027, montant=E("5000")
    )
    enveloppe_repartir(
        acteur=distribution.instructeur_42, fonds=fonds, departement=_dep("42"), annee=2027, montant=E("5000")
    )
    with pytest.raises(PermissionDenied):
        enveloppe_repartir(
            acteur=distribution.instructeur_autre, fonds=fonds, departement=_dep("42"), annee=2027, montant=E("1")
        )
    with pytest.raises(ValidationError):
        enveloppe_repartir(
            acteur=distribution.instructeur_42, fonds=fonds, departement=_dep("69"), annee=2027, montant=E("1")
        )


def test_le_grand_livre_est_en_ajout_seul_en_python(national, fonds, financeurs):
    abondement_enregistrer(acteur=national, fonds=fonds, financeur=financeurs["etat"], annee=2027, montant=E("10"))
    ligne = EcritureFonds.objects.first()
    ligne.montant = E("999")
    with pytest.raises(ValueError, match="ajout seul"):
        ligne.save()
    with pytest.raises(ValueError, match="ajout seul"):
        ligne.delete()
    with pytest.raises(ValueError, match="ajout seul"):
        EcritureFonds.objects.update(montant=E("1"))
    with pytest.raises(ValueError, match="ajout seul"):
        EcritureFonds.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "requete",
    ["UPDATE fonds_ecriturefonds SET montant = 1 WHERE id = %s", "DELETE FROM fonds_ecriturefonds WHERE id = %s"],
    ids=["update", "delete"],
)
def test_le_grand_livre_refuse_le_sql_brut(national, fonds, financeurs, requete):
    if connection.vendor != "postgresql":
        pytest.skip("Les déclencheurs n'existent que sur PostgreSQL.")
    abondement_enregistrer(acteur=national, fonds=fonds, financeur=financeurs["etat"], annee=2027, montant=E("10"))
    ligne = EcritureFonds.objects.first()
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(requete, [ligne.pk])
    assert EcritureFonds.objects.get(pk=ligne.pk).montant == ligne.montant


DEPARTEMENTS = ["42", "69", "01"]
ANNEES = [2027, 2028]
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("abonder"),
            st.sampled_from(ANNEES),
            st.integers(min_value=1, max_value=50_000),
            st.sampled_from([None, *DEPARTEMENTS]),
        ),
        st.tuples(
            st.just("repartir"),
            st.sampled_from(ANNEES),
            st.integers(min_value=1, max_value=80_000),
            st.sampled_from(DEPARTEMENTS),
        ),
    ),
    max_size=12,
)


class InvariantsDuFonds(HypothesisTestCase):
    """R8 over random sequences of contributions and distributions: after every step, every account that
    must not go negative is ≥ 0, Σ envelopes ≤ Σ contributions per year, each movement is balanced, and the
    balances shown equal the sums of the ledger."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    def test_les_invariants_tiennent_apres_chaque_pas(self, pas):
        national = User.objects.create_user(email="national.h@exemple.fr", est_equipe_nationale=True)
        fonds = fonds_creer(acteur=national, nom="Fonds")
        financeur = financeur_creer(acteur=national, nom="État", nature=NatureFinanceur.ETAT)
        for operation, annee, montant, departement in pas:
            if operation == "abonder":
                abondement_enregistrer(
                    acteur=national,
                    fonds=fonds,
                    financeur=financeur,
                    annee=annee,
                    montant=E(montant),
                    departement_fleche=_dep(departement) if departement else None,
                )
            else:
                # A refused distribution changes nothing: the invariants below must hold all the same.
                with contextlib.suppress(ValidationError):
                    enveloppe_repartir(
                        acteur=national, fonds=fonds, departement=_dep(departement), annee=annee, montant=E(montant)
                    )
            for an in ANNEES:
                situation = situation_du_fonds(fonds, an)
                self.assertGreaterEqual(situation.a_repartir, 0)
                self.assertLessEqual(situation.enveloppes, situation.contributions)
                self.assertEqual(situation.contributions - situation.enveloppes, situation.a_repartir)
                for code in DEPARTEMENTS:
                    self.assertGreaterEqual(solde(fonds, Compte.DISPONIBLE, an, departement=_dep(code)), 0)
            self.assertEqual(EcritureFonds.objects.aggregate(total=Sum("montant"))["total"] or 0, 0)
