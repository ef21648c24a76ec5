"""R8: a funder sees what its money financed. Earmarked money first, then the unearmarked pool, pro rata of the
contributions; the shares of a convention add up to its amount to the cent (largest remainder)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fonds.models import Convention, Financeur
from fonds.selectors.parts import parts_de_la_convention, parts_du_financeur, repartir
from fonds.services import abondement_enregistrer
from tests.fonds.parcours import E, agreer, campagne_ouverte, loire_financee

pytestmark = pytest.mark.django_db


def _par_nom(parts):
    return {(p.financeur.nom if p.financeur else None): p.montant for p in parts}


def test_le_flechage_passe_d_abord_puis_le_pot_commun_au_prorata():
    # Loire envelopes 2027 and 2028: 100 000 € each, of which 50 000 € earmarked by the Loire (distributed first).
    monde = loire_financee()
    campagne = campagne_ouverte(monde, quota=5, enveloppe_annuelle=E("60000"), montant_minimal_annuel=E("10000"))
    conventions = [
        Convention.objects.get(declaration=agreer(monde, campagne, f"Collectif {rang}")) for rang in range(5)
    ]

    # Tranches of 2027 consume the envelope in order: the five (50 000 €) take all the earmarked money.
    premiere = _par_nom(parts_de_la_convention(conventions[0]))
    # 2027 and 2028: 10 000 € earmarked each; 2029 is not yet distributed, so nothing earmarked: the pool.
    assert premiere["Département de la Loire"] == E("20000.00")
    assert premiere["État"] == E("7500.00") and premiere["Fondation Solidarités"] == E("2500.00")
    assert sum(premiere.values()) == E("30000.00")
    assert _par_nom(parts_de_la_convention(conventions[4]))["Département de la Loire"] == E("20000.00")


def test_les_parts_d_une_convention_somment_au_centime():
    monde = loire_financee(enveloppes={2027: E("100000"), 2028: E("100000"), 2029: E("100000")})
    # Three unearmarked funders at 1/3 each: 10 000,01 € cannot split evenly.
    tiers = Financeur.objects.create(nom="Mécène du Pilat", nature="mecenat")
    for annee in (2027, 2028, 2029):
        abondement_enregistrer(
            acteur=monde.national, fonds=monde.fonds, financeur=tiers, annee=annee, montant=E("100000")
        )
    campagne = campagne_ouverte(monde, quota=3, enveloppe_annuelle=E("60000"), montant_minimal_annuel=E("10000.01"))
    autres = [Convention.objects.get(declaration=agreer(monde, campagne, f"Collectif {rang}")) for rang in range(3)]

    for convention in autres:
        parts = parts_de_la_convention(convention)
        total = sum(t.montant for t in convention.tranches.all())
        assert sum(p.montant for p in parts) == total
        assert all(p.montant == p.montant.quantize(E("0.01")) for p in parts)


def test_la_vue_du_financeur_somme_ses_parts():
    monde = loire_financee()
    campagne = campagne_ouverte(monde)
    convention = Convention.objects.get(declaration=agreer(monde, campagne, "Collectif du Gier"))

    lignes = {f.nom: parts_du_financeur(f) for f in monde.financeurs.values()}

    assert sum(ligne.part for vue in lignes.values() for ligne in vue) + sum(
        p.montant for p in parts_de_la_convention(convention) if p.financeur is None
    ) == E("30000.00")
    loire = lignes["Département de la Loire"][0]
    assert loire.convention == convention and loire.par_annee == {2027: E("10000.00"), 2028: E("10000.00")}
    assert loire.part_versee == 0


@settings(max_examples=200, deadline=None)
@given(
    montant=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2),
    poids=st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2), min_size=1, max_size=7
    ),
)
def test_le_plus_fort_reste_tombe_juste(montant, poids):
    financeurs = [Financeur(pk=i + 1, nom=f"F{i}") for i in range(len(poids))]
    parts = repartir(montant, list(zip(financeurs, poids, strict=True)))
    assert sum(m for _, m in parts) == montant
    total = sum(poids)
    for financeur, m in parts:
        exact = montant * poids[financeur.pk - 1] / total
        assert abs(m - exact) < E("0.01")
