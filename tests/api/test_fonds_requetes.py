"""The fund's API lists run a constant number of SQL queries whatever the number of rows (SPEC §9), pinned at two
sizes for every list."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fonds.enums import NatureBeneficiaire, NatureFinanceur
from fonds.models import AccesFinanceur, Fonds
from fonds.services import (
    DonneesProjet,
    abondement_enregistrer,
    convention_signer,
    enveloppe_repartir,
    financeur_creer,
    fonds_creer,
    projet_financer,
    versement_enregistrer,
)
from territoires.models import Departement
from tests.comptes.factories import UserFactory

R = "/api/v1/"
TAILLES = [3, 25]
E = Decimal


def _fonds(d: Any) -> Fonds:
    return fonds_creer(acteur=d.national, nom="Fonds national d'innovation sociale")


def _financeurs(d: Any, fonds: Fonds, n: int) -> list[Any]:
    return [
        financeur_creer(acteur=d.national, nom=f"Financeur {i:03d}", nature=NatureFinanceur.FONDATION) for i in range(n)
    ]


def _liste_fonds(d, n):
    _fonds(d)
    for i in range(n - 1):
        departement = Departement.objects.order_by("code")[i]
        fonds_creer(
            acteur=d.national, nom=f"Fonds de {departement.nom}", gestion="departementale", departement=departement
        )
    return R + "fonds/", d.national, n


def _liste_financeurs(d, n):
    _financeurs(d, _fonds(d), n)
    return R + "financeurs/", d.national, n


def _liste_abondements(d, n):
    fonds = _fonds(d)
    loire = Departement.objects.get(code="42")
    for i, financeur in enumerate(_financeurs(d, fonds, n)):
        fleche = loire if i % 2 else None
        abondement_enregistrer(
            acteur=d.national,
            fonds=fonds,
            financeur=financeur,
            annee=2027,
            montant=E("1000"),
            departement_fleche=fleche,
        )
    return R + "abondements/", d.national, n


def _finance(d: Any, annees: range = range(2027, 2028)) -> Fonds:
    fonds = _fonds(d)
    (financeur,) = _financeurs(d, fonds, 1)
    for annee in annees:
        abondement_enregistrer(acteur=d.national, fonds=fonds, financeur=financeur, annee=annee, montant=E("10000000"))
    return fonds


def _liste_enveloppes(d, n):
    fonds = _finance(d)
    for departement in Departement.objects.order_by("code")[:n]:
        enveloppe_repartir(acteur=d.national, fonds=fonds, departement=departement, annee=2027, montant=E("1000"))
    return R + "enveloppes/", d.national, n


def _liste_ecritures(d, n):
    fonds = _finance(d)  # 2 lines
    for _ in range((n - 2) // 2):
        enveloppe_repartir(
            acteur=d.national, fonds=fonds, departement=Departement.objects.get(code="42"), annee=2027, montant=E("10")
        )
    return R + "ecritures/", d.national, 2 + 2 * ((n - 2) // 2)


def _projets(d: Any, n: int, *, payer: bool = False) -> Fonds:
    """n projects of the Loire, 2027, one tranche each; signed and paid when asked."""
    fonds = _finance(d)
    enveloppe_repartir(
        acteur=d.national, fonds=fonds, departement=Departement.objects.get(code="42"), annee=2027, montant=E("500000")
    )
    for i in range(n):
        convention = projet_financer(
            acteur=d.instructeur_42,
            fonds=fonds,
            departement_code="42",
            donnees=DonneesProjet(
                nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT,
                beneficiaire=f"Université {i}",
                objet="Enquête",
                date_debut=datetime.date(2027, 1, 1),
                date_fin=datetime.date(2027, 12, 31),
                tranches=[(2027, E("1000"))],
            ),
        )
        if payer:
            convention_signer(
                acteur=d.instructeur_42,
                convention=convention,
                signee_le=timezone.localdate(),
                signataire_beneficiaire="La présidente",
                signataire_departement="Le président",
            )
            versement_enregistrer(
                acteur=d.instructeur_42,
                tranche=convention.tranches.get(),
                date_versement=timezone.localdate(),
                montant=E("1000"),
                reference_bancaire=f"VIR-{i}",
            )
    return fonds


def _liste_conventions_national(d, n):
    _projets(d, n, payer=True)
    return R + "conventions/", d.national, n


def _liste_conventions_instructeur(d, n):
    _projets(d, n)
    return R + "conventions/", d.instructeur_42, n


def _liste_tranches(d, n):
    _projets(d, n, payer=True)
    return R + "tranches/", d.instructeur_42, n


def _liste_versements(d, n):
    _projets(d, n, payer=True)
    return R + "versements/", d.national, n


def _parts_du_financeur(d, n):
    fonds = _projets(d, n, payer=True)
    financeur = fonds.abondements.get().financeur
    user = UserFactory()
    AccesFinanceur.objects.create(
        financeur=financeur, email=user.email, utilisateur=user, invite_par=d.national, accepte_le=timezone.now()
    )
    return R + f"financeurs/{financeur.pk}/parts/", user, n


# (name, builder, queries): session + user (+ the funder's access), then the list itself: count + page, plus one
# query per prefetched relation (conventions: tranches), or the grouped reads of the fund's shares.
LISTES = [
    ("fonds", _liste_fonds, 4),
    ("financeurs", _liste_financeurs, 4),
    ("abondements", _liste_abondements, 4),
    ("enveloppes", _liste_enveloppes, 4),
    ("ecritures", _liste_ecritures, 4),
    ("conventions-national", _liste_conventions_national, 5),
    ("conventions-instructeur", _liste_conventions_instructeur, 5),
    ("tranches", _liste_tranches, 4),
    ("versements", _liste_versements, 4),
    ("parts-du-financeur", _parts_du_financeur, 9),
]


@pytest.mark.parametrize("taille", TAILLES)
@pytest.mark.parametrize(("nom", "construire", "requetes"), LISTES, ids=[cas[0] for cas in LISTES])
def test_nombre_de_requetes_constant(api, distribution, django_assert_num_queries, nom, construire, requetes, taille):
    url, user, attendus = construire(distribution, taille)
    client = api.en(user)
    with django_assert_num_queries(requetes):
        reponse = client.get(url)
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] == len(corps["results"]) == attendus


@pytest.mark.parametrize("annees", [2, 12])
def test_la_situation_et_les_enveloppes_d_un_fonds_en_requetes_constantes(
    api, distribution, django_assert_num_queries, annees
):
    """One grouped query for the situation of every year; two for a département's envelopes, whatever the years."""
    d = distribution
    fonds = _finance(d, range(2027, 2027 + annees))
    for annee in range(2027, 2027 + annees):
        enveloppe_repartir(
            acteur=d.national, fonds=fonds, departement=Departement.objects.get(code="42"), annee=annee, montant=E("5")
        )
    client = api.en(d.national)
    with django_assert_num_queries(4):  # session, user, fund, the grouped ledger
        situation = client.get(R + f"fonds/{fonds.pk}/situation/")
    assert len(situation.json()) == annees
    with django_assert_num_queries(6):  # session, user, fund, the département, its years, its envelopes
        enveloppes = client.get(R + f"fonds/{fonds.pk}/enveloppes/", {"departement": "42"})
    assert [e["annee"] for e in enveloppes.json()] == list(range(2027, 2027 + annees))
