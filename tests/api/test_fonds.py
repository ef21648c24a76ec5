"""The fund through the API (R3, R7, R8): every endpoint × seven roles (anonymous, référent A, instructeur of the
Loire, instructeur of the Rhône, national staff, a funder's account, the employer's account of collectif A's
originating institution), French errors keyed by field, a tranche never paid twice, the ledger and the funders'
shares scoped and consistent."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework.test import APIClient

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from fonds.enums import Compte, EtatConvention, EtatTranche, NatureBeneficiaire
from fonds.models import (
    Abondement,
    AccesFinanceur,
    Convention,
    EcritureFonds,
    Enveloppe,
    Financeur,
    Fonds,
    Tranche,
    Versement,
)
from fonds.selectors import situation_du_fonds
from fonds.services import (
    DonneesProjet,
    convention_creer_pour_agrement,
    convention_signer,
    projet_financer,
    versement_enregistrer,
)
from instances.models import PointOrdreDuJour
from tests.collectifs.factories import DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.fonds.parcours import E, LoireFinancee, campagne_ouverte, loire_financee, point_pret
from tests.fonds.test_vues_conventions import compte_employeur

R = "/api/v1/"
ROLES = ["anonyme", "referent_a", "instructeur_42", "instructeur_autre", "national", "financeur", "employeur"]
AUJOURD_HUI = timezone.localdate


# --- the world ------------------------------------------------------------------------------------


@dataclass
class MondeFonds:
    """The shared roles, a funded Loire (national fund, three funders, envelopes 2027 and 2028), the Loire 2028
    campaign opened through the service (it reserves 2028–2030), and three conventions:
    - `convention`: collectif A's (référent A), agreed, not signed yet;
    - `projet_verse`: a project of another kind, signed, tranche 1 (2027) paid, tranche 2 (2028) « prévue »;
    - `projet_signe`: a project of another kind, signed, tranche 1 (2027) « exigible ».
    The État's funder has a login (`financeur`); collectif A's originating institution has an employer's login
    (`employeur`, R9), which reads nothing of the fund."""

    d: Any
    lf: LoireFinancee
    financeur: Any
    employeur: Any
    campagne: Campagne
    convention: Convention
    projet_verse: Convention
    projet_signe: Convention

    @property
    def fonds(self) -> Fonds:
        return self.lf.fonds

    def utilisateur(self, role: str) -> Any:
        if role in ("financeur", "employeur"):
            return getattr(self, role)
        return self.d.utilisateur(role)

    def tranche(self, convention: Convention, rang: int) -> Tranche:
        return convention.tranches.get(rang=rang)


def projet(lf: LoireFinancee, acteur: Any, nom: str, tranches: list[tuple[int, Decimal]]) -> Convention:
    return projet_financer(
        acteur=acteur,
        fonds=lf.fonds,
        departement_code="42",
        donnees=DonneesProjet(
            nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT,
            beneficiaire=nom,
            objet="Enquête participative sur l'accès aux droits",
            date_debut=datetime.date(2027, 1, 1),
            date_fin=datetime.date(2028, 12, 31),
            tranches=tranches,
        ),
    )


def signer(lf: LoireFinancee, convention: Convention) -> None:
    convention_signer(
        acteur=lf.instructeur,
        convention=convention,
        signee_le=AUJOURD_HUI(),
        signataire_beneficiaire="Odile Marchand, présidente",
        signataire_departement="Le président du Département",
    )


def verser(lf: LoireFinancee, tranche: Tranche, reference: str = "VIR-2027-001") -> Versement:
    return versement_enregistrer(
        acteur=lf.instructeur,
        tranche=tranche,
        date_versement=AUJOURD_HUI(),
        montant=tranche.montant,
        reference_bancaire=reference,
    )


def construire_monde(d: Any) -> MondeFonds:
    lf = loire_financee(national=d.national, instructeur=d.instructeur_42)
    Campagne.objects.filter(pk=d.campagne.pk).update(etat=EtatCampagne.CLOSE)  # one open campaign per département
    campagne = campagne_ouverte(lf, annee=2028)
    declaration = DeclarationFactory(collectif=d.collectif_a, campagne=campagne, agreee=True)
    with transaction.atomic():
        convention = convention_creer_pour_agrement(
            acteur=lf.instructeur, campagne=campagne, declaration=declaration, montants=[E("10000.00")] * 3
        )
    projet_verse = projet(lf, lf.instructeur, "Université Jean Monnet", [(2027, E("5000")), (2028, E("5000"))])
    signer(lf, projet_verse)
    verser(lf, projet_verse.tranches.get(rang=1))
    projet_signe = projet(lf, lf.instructeur, "IRTS Auvergne-Rhône-Alpes", [(2027, E("4000")), (2028, E("4000"))])
    signer(lf, projet_signe)
    financeur = UserFactory(email="financeur.etat@exemple.fr")
    AccesFinanceur.objects.create(
        financeur=lf.financeurs["etat"],
        email=financeur.email,
        utilisateur=financeur,
        invite_par=d.national,
        accepte_le=timezone.now(),
    )
    employeur = compte_employeur(d.collectif_a.institutions_origine.first(), d.referent_a)
    return MondeFonds(d, lf, financeur, employeur, campagne, convention, projet_verse, projet_signe)


@pytest.fixture
def mf(distribution) -> MondeFonds:
    return construire_monde(distribution)


def client_de(api: Any, monde: MondeFonds, role: str) -> Any:
    return api.en(monde.utilisateur(role))


# --- the permission matrix ------------------------------------------------------------------------


@dataclass
class Cas:
    """One endpoint call; `attendus` maps each logged-in role to its status (anonymous: always 401)."""

    nom: str
    methode: str
    url: Callable[[MondeFonds], str]
    attendus: dict[str, int]
    donnees: Callable[[MondeFonds], Any] | None = None
    preparer: Callable[[MondeFonds], None] | None = None
    # Run after a 2xx answer: (monde, role, response) -> None.
    verifier: Callable[[MondeFonds, str, Any], None] | None = None
    # Run after a refusal (401/403/404): nothing changed.
    inchange: Callable[[MondeFonds], None] | None = None


def roles(
    referent_a: int, instructeur_42: int, instructeur_autre: int, national: int, financeur: int, employeur: int
) -> dict:
    return {
        "referent_a": referent_a,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "financeur": financeur,
        "employeur": employeur,
    }


NATIONAL_SEUL = roles(403, 403, 403, 200, 403, 403)
PERSONNEL = roles(403, 200, 200, 200, 403, 403)
# A Loire convention: read by référent A (collectif A's only), the Loire's instructeur and national staff; changed
# by the Loire's instructeur only (national staff change national objects only).
CONVENTION_A = roles(200, 200, 404, 200, 404, 404)
PROJET_42 = roles(404, 200, 404, 200, 404, 404)
GESTION_42 = roles(404, 200, 404, 403, 404, 404)
GESTION_A = roles(403, 200, 404, 403, 404, 404)


def _ids(reponse: Any) -> set[int]:
    return {ligne["id"] for ligne in reponse.json()["results"]}


def _verifier_fonds_liste(m: MondeFonds, role: str, r: Any) -> None:
    assert [f["nom"] for f in r.json()["results"]] == ["Fonds national d'innovation sociale"]


def _verifier_situation(m: MondeFonds, role: str, r: Any) -> None:
    annees = {ligne["annee"]: ligne for ligne in r.json()}
    assert sorted(annees) == [2026, 2027, 2028, 2029, 2030]
    a_2027 = annees[2027]
    assert a_2027["contributions"] == "450000.00"
    assert a_2027["reparti"] == "100000.00"
    assert a_2027["a_repartir"] == "350000.00"
    # 2027: two projects committed 9 000 €, of which 5 000 € paid.
    assert (a_2027["engagements"], a_2027["verse"], a_2027["enveloppes"]) == ("4000.00", "5000.00", "91000.00")
    situation = situation_du_fonds(m.fonds, 2027)
    assert Decimal(a_2027["enveloppes"]) == situation.enveloppes
    assert Decimal(a_2027["a_repartir"]) == situation.a_repartir


def _verifier_enveloppes_42(m: MondeFonds, role: str, r: Any) -> None:
    lignes = {ligne["annee"]: ligne for ligne in r.json()}
    assert sorted(lignes) == [2027, 2028, 2029, 2030]
    assert (lignes[2027]["repartie"], lignes[2027]["prise"], lignes[2027]["projetee"]) == (
        "100000.00",
        "9000.00",
        False,
    )
    assert (lignes[2028]["prise"], lignes[2028]["disponible"]) == ("69000.00", "31000.00")
    assert lignes[2029]["projetee"] is True and lignes[2029]["base"] == "100000.00"


def _verifier_financeurs(m: MondeFonds, role: str, r: Any) -> None:
    noms = {f["nom"] for f in r.json()["results"]}
    attendus = {"État"} if role == "financeur" else {"État", "Département de la Loire", "Fondation Solidarités"}
    assert noms == attendus


def _verifier_parts(m: MondeFonds, role: str, r: Any) -> None:
    """Earmarked money first: the Loire's earmarked contributions cover the 2027 and 2028 tranches; the État shares
    the unearmarked pool of 2029 and 2030 (projected years) with the foundation, 300 000 € to 100 000 €."""
    (ligne,) = r.json()["results"]
    assert ligne["convention"] == m.convention.pk and ligne["reference"] == m.convention.reference
    assert (ligne["montant_convention"], ligne["part"], ligne["part_versee"]) == ("30000.00", "15000.00", "0.00")
    assert ligne["par_annee"] == [{"annee": 2029, "montant": "7500.00"}, {"annee": 2030, "montant": "7500.00"}]


def _verifier_abondements(m: MondeFonds, role: str, r: Any) -> None:
    corps = r.json()
    if role == "financeur":
        assert corps["count"] == 5 and {a["financeur_nom"] for a in corps["results"]} == {"État"}
    elif role == "national":
        assert corps["count"] == 15
    else:  # the national fund is not theirs: no contribution of a fund their département runs
        assert corps["count"] == 0


def _verifier_enveloppes(m: MondeFonds, role: str, r: Any) -> None:
    """The Loire's envelopes 2027 and 2028 were distributed; 2029 and 2030 only hold the campaign's reservation."""
    lignes = {ligne["annee"]: ligne for ligne in r.json()["results"]}
    if role == "instructeur_autre":
        assert lignes == {}
        return
    assert sorted(lignes) == [2027, 2028, 2029, 2030]
    assert (lignes[2027]["repartie"], lignes[2027]["prise"], lignes[2027]["solde"]) == (
        "100000.00",
        "9000.00",
        "91000.00",
    )
    assert (lignes[2029]["repartie"], lignes[2029]["prise"], lignes[2029]["solde"]) == (
        "0.00",
        "60000.00",
        "-60000.00",
    )


def _verifier_ecritures(m: MondeFonds, role: str, r: Any) -> None:
    corps = r.json()
    if role == "national":
        assert corps["count"] == EcritureFonds.objects.count()
    elif role == "instructeur_42":
        assert corps["count"] == EcritureFonds.objects.filter(departement_id="42").count() > 0
        assert {ligne["departement"] for ligne in corps["results"]} == {"42"}
    else:
        assert corps["count"] == 0


def _verifier_conventions(m: MondeFonds, role: str, r: Any) -> None:
    attendus = {
        "referent_a": {m.convention.pk},
        "instructeur_42": {m.convention.pk, m.projet_verse.pk, m.projet_signe.pk},
        "instructeur_autre": set(),
        "national": {m.convention.pk, m.projet_verse.pk, m.projet_signe.pk},
        "financeur": set(),
        "employeur": set(),
    }[role]
    assert _ids(r) == attendus


def _verifier_convention_a(m: MondeFonds, role: str, r: Any) -> None:
    corps = r.json()
    assert corps["reference"] == m.convention.reference
    assert corps["montant"] == "30000.00" and corps["verse"] == "0.00"
    assert [(t["rang"], t["annee"], t["montant"], t["etat"]) for t in corps["tranches"]] == [
        (1, 2028, "10000.00", "prevue"),
        (2, 2029, "10000.00", "prevue"),
        (3, 2030, "10000.00", "prevue"),
    ]
    # The funders' shares add up to the convention's amount, to the cent.
    assert sum(Decimal(p["montant"]) for p in corps["parts"]) == Decimal("30000.00")


def _verifier_tranches(m: MondeFonds, role: str, r: Any) -> None:
    attendus = {
        "referent_a": 3,
        "instructeur_42": 7,
        "instructeur_autre": 0,
        "national": 7,
        "financeur": 0,
        "employeur": 0,
    }[role]
    assert r.json()["count"] == attendus


def _verifier_versements(m: MondeFonds, role: str, r: Any) -> None:
    attendus = {
        "referent_a": 0,
        "instructeur_42": 1,
        "instructeur_autre": 0,
        "national": 1,
        "financeur": 0,
        "employeur": 0,
    }[role]
    corps = r.json()
    assert corps["count"] == attendus
    if attendus:
        assert corps["results"][0]["reference_bancaire"] == "VIR-2027-001"
        assert corps["results"][0]["montant"] == "5000.00"


def _pas_de(modele: type, **filtres: Any) -> Callable[[MondeFonds], None]:
    def verifier(m: MondeFonds) -> None:
        assert not modele.objects.filter(**filtres).exists(), f"{modele.__name__} créé"

    return verifier


def _verifier_invitation(m: MondeFonds, r: Any) -> None:
    """The invitation is pending, by national staff, for the normalised address; its token is never read back."""
    corps = r.json()
    acces = AccesFinanceur.objects.get(pk=corps["id"])
    assert (acces.financeur, acces.invite_par, acces.utilisateur, acces.accepte_le) == (
        m.lf.financeurs["fondation"],
        m.d.national,
        None,
        None,
    )
    assert corps["email"] == acces.email and acces.email.lower() == "invitee.fondation@exemple.fr"
    assert (corps["financeur"], corps["financeur_nom"], corps["acceptee"]) == (
        m.lf.financeurs["fondation"].pk,
        "Fondation Solidarités",
        False,
    )
    assert "jeton" not in corps and acces.jeton not in r.content.decode()


def _etat(objet: Callable[[MondeFonds], Any], attendu: str) -> Callable[[MondeFonds], None]:
    def verifier(m: MondeFonds) -> None:
        instance = objet(m)
        assert type(instance).objects.get(pk=instance.pk).etat == attendu

    return verifier


def _preparer_point(m: MondeFonds) -> None:
    m.point = point_pret(m.lf, m.campagne, "Collectif du Crêt de Roch")  # type: ignore[attr-defined]


def _verifier_montants(m: MondeFonds, role: str, r: Any) -> None:
    point = PointOrdreDuJour.objects.get(pk=m.point.pk)  # type: ignore[attr-defined]
    assert (point.montant_annee_1, point.montant_annee_2, point.montant_annee_3) == (E("15000.00"), None, None)
    assert (r.json()["montant_annee_1"], r.json()["montant_annee_2"]) == ("15000.00", None)


def _montants_inchanges(m: MondeFonds) -> None:
    point = PointOrdreDuJour.objects.get(pk=m.point.pk)  # type: ignore[attr-defined]
    assert point.montant_annee_1 is None


PROJET = {
    "departement": "42",
    "nature_beneficiaire": "experimentation",
    "beneficiaire": "Association Habiter Autrement",
    "objet": "Expérimentation d'un habitat partagé hors normes",
    "date_debut": "2027-01-01",
    "date_fin": "2027-12-31",
    "tranches": [{"annee": 2027, "montant": "7500.00"}],
}
SIGNATURE = {
    "signataire_beneficiaire": "Odile Marchand, référente",
    "signataire_departement": "Le président du Département",
}


CAS = [
    # --- lectures
    Cas("fonds-liste", "get", lambda m: R + "fonds/", PERSONNEL, verifier=_verifier_fonds_liste),
    Cas("fonds-detail", "get", lambda m: R + f"fonds/{m.fonds.pk}/", roles(404, 200, 200, 200, 404, 404)),
    Cas(
        "fonds-situation",
        "get",
        lambda m: R + f"fonds/{m.fonds.pk}/situation/",
        roles(404, 403, 403, 200, 404, 404),
        verifier=_verifier_situation,
    ),
    Cas(
        "fonds-enveloppes-du-departement",
        "get",
        lambda m: R + f"fonds/{m.fonds.pk}/enveloppes/?departement=42",
        roles(404, 200, 403, 200, 404, 404),
        verifier=_verifier_enveloppes_42,
    ),
    Cas(
        "financeurs-liste",
        "get",
        lambda m: R + "financeurs/",
        roles(403, 403, 403, 200, 200, 403),
        verifier=_verifier_financeurs,
    ),
    Cas(
        "financeurs-detail-le-sien",
        "get",
        lambda m: R + f"financeurs/{m.lf.financeurs['etat'].pk}/",
        roles(404, 404, 404, 200, 200, 404),
        verifier=lambda m, role, r: r.json()["nature"] == "etat" or pytest.fail(str(r.json())),
    ),
    Cas(
        "financeurs-detail-un-autre",
        "get",
        lambda m: R + f"financeurs/{m.lf.financeurs['fondation'].pk}/",
        roles(404, 404, 404, 200, 404, 404),
    ),
    Cas(
        "financeurs-parts",
        "get",
        lambda m: R + f"financeurs/{m.lf.financeurs['etat'].pk}/parts/",
        roles(404, 404, 404, 200, 200, 404),
        verifier=_verifier_parts,
    ),
    Cas(
        "financeurs-parts-d-un-autre",
        "get",
        lambda m: R + f"financeurs/{m.lf.financeurs['fondation'].pk}/parts/",
        roles(404, 404, 404, 200, 404, 404),
    ),
    Cas(
        "abondements-liste",
        "get",
        lambda m: R + "abondements/",
        roles(403, 200, 200, 200, 200, 403),
        verifier=_verifier_abondements,
    ),
    Cas(
        "abondements-detail",
        "get",
        lambda m: R + f"abondements/{Abondement.objects.filter(financeur__nom='État').first().pk}/",
        roles(404, 404, 404, 200, 200, 404),
    ),
    Cas("enveloppes-liste", "get", lambda m: R + "enveloppes/", PERSONNEL, verifier=_verifier_enveloppes),
    Cas(
        "enveloppes-detail",
        "get",
        lambda m: R + f"enveloppes/{Enveloppe.objects.get(departement='42', annee=2027).pk}/",
        roles(404, 200, 404, 200, 404, 404),
        verifier=lambda m, role, r: r.json()["solde"] == "91000.00" or pytest.fail(str(r.json())),
    ),
    Cas("ecritures-liste", "get", lambda m: R + "ecritures/", PERSONNEL, verifier=_verifier_ecritures),
    Cas(
        "ecritures-detail-de-la-loire",
        "get",
        lambda m: R + f"ecritures/{EcritureFonds.objects.filter(departement='42').first().pk}/",
        roles(404, 200, 404, 200, 404, 404),
    ),
    Cas(
        "ecritures-detail-nationale",
        "get",
        lambda m: R + f"ecritures/{EcritureFonds.objects.filter(compte=Compte.APPORT).first().pk}/",
        roles(404, 404, 404, 200, 404, 404),
    ),
    Cas(
        "conventions-liste",
        "get",
        lambda m: R + "conventions/",
        roles(200, 200, 200, 200, 200, 200),
        verifier=_verifier_conventions,
    ),
    Cas(
        "conventions-detail",
        "get",
        lambda m: R + f"conventions/{m.convention.pk}/",
        CONVENTION_A,
        verifier=_verifier_convention_a,
    ),
    Cas("conventions-detail-projet", "get", lambda m: R + f"conventions/{m.projet_verse.pk}/", PROJET_42),
    Cas(
        "tranches-liste",
        "get",
        lambda m: R + "tranches/",
        roles(200, 200, 200, 200, 200, 200),
        verifier=_verifier_tranches,
    ),
    Cas("tranches-detail", "get", lambda m: R + f"tranches/{m.tranche(m.convention, 1).pk}/", CONVENTION_A),
    Cas(
        "versements-liste",
        "get",
        lambda m: R + "versements/",
        roles(200, 200, 200, 200, 200, 200),
        verifier=_verifier_versements,
    ),
    Cas(
        "versements-detail",
        "get",
        lambda m: R + f"versements/{Versement.objects.get().pk}/",
        PROJET_42,
        verifier=lambda m, role, r: r.json()["convention"] == m.projet_verse.pk or pytest.fail(str(r.json())),
    ),
    # --- actions
    Cas(
        "fonds-creer",
        "post",
        lambda m: R + "fonds/",
        roles(403, 403, 403, 201, 403, 403),
        donnees=lambda m: {"nom": "Fonds de la Loire", "gestion": "departementale", "departement": "42"},
        verifier=lambda m, role, r: Fonds.objects.get(pk=r.json()["id"], departement="42"),
        inchange=_pas_de(Fonds, nom="Fonds de la Loire"),
    ),
    Cas(
        "financeurs-creer",
        "post",
        lambda m: R + "financeurs/",
        roles(403, 403, 403, 201, 403, 403),
        donnees=lambda m: {"nom": "CAF de la Loire", "nature": "autre_collectivite"},
        verifier=lambda m, role, r: Financeur.objects.get(pk=r.json()["id"], nom="CAF de la Loire"),
        inchange=_pas_de(Financeur, nom="CAF de la Loire"),
    ),
    Cas(
        "financeurs-inviter",
        "post",
        lambda m: R + f"financeurs/{m.lf.financeurs['fondation'].pk}/inviter/",
        roles(404, 404, 404, 201, 404, 404),
        donnees=lambda m: {"email": "Invitee.Fondation@Exemple.fr"},
        verifier=lambda m, role, r: _verifier_invitation(m, r),
        inchange=_pas_de(AccesFinanceur, email__iexact="invitee.fondation@exemple.fr"),
    ),
    Cas(
        "financeurs-inviter-pour-le-sien",
        "post",
        lambda m: R + f"financeurs/{m.lf.financeurs['etat'].pk}/inviter/",
        roles(404, 404, 404, 201, 403, 404),
        donnees=lambda m: {"email": "collegue.etat@exemple.fr"},
        inchange=_pas_de(AccesFinanceur, email="collegue.etat@exemple.fr"),
    ),
    Cas(
        "abondements-creer",
        "post",
        lambda m: R + "abondements/",
        roles(403, 403, 403, 201, 403, 403),
        donnees=lambda m: {
            "fonds": m.fonds.pk,
            "financeur": m.lf.financeurs["fondation"].pk,
            "annee": 2031,
            "montant": "25000.50",
        },
        verifier=lambda m, role, r: (
            (
                r.json()["montant"] == "25000.50"
                and EcritureFonds.objects.filter(annee=2031).aggregate(s=Sum("montant"))["s"] == 0
            )
            or pytest.fail(str(r.json()))
        ),
        inchange=_pas_de(Abondement, annee=2031),
    ),
    Cas(
        "enveloppes-repartir",
        "post",
        lambda m: R + "enveloppes/",
        roles(403, 403, 403, 201, 403, 403),
        donnees=lambda m: {"fonds": m.fonds.pk, "departement": "69", "annee": 2027, "montant": "80000.00"},
        verifier=lambda m, role, r: (
            (r.json()["departement"], r.json()["repartie"], r.json()["solde"]) == ("69", "80000.00", "80000.00")
            or pytest.fail(str(r.json()))
        ),
        inchange=_pas_de(Enveloppe, departement="69"),
    ),
    Cas(
        "conventions-financer-un-projet",
        "post",
        lambda m: R + "conventions/",
        roles(403, 201, 403, 201, 403, 403),
        donnees=lambda m: PROJET,
        verifier=lambda m, role, r: (
            (r.json()["nature_beneficiaire"], r.json()["montant"], len(r.json()["tranches"]))
            == ("experimentation", "7500.00", 1)
            or pytest.fail(str(r.json()))
        ),
        inchange=_pas_de(Convention, beneficiaire="Association Habiter Autrement"),
    ),
    Cas(
        "conventions-signer",
        "post",
        lambda m: R + f"conventions/{m.convention.pk}/signer/",
        GESTION_A,
        donnees=lambda m: {"signee_le": AUJOURD_HUI().isoformat(), **SIGNATURE},
        verifier=lambda m, role, r: (
            (r.json()["tranches"][0]["etat"] == "exigible" and r.json()["signee_le"] == AUJOURD_HUI().isoformat())
            or pytest.fail(str(r.json()))
        ),
        inchange=lambda m: Convention.objects.get(pk=m.convention.pk).signee_le is None or pytest.fail("signée"),
    ),
    Cas(
        "conventions-annuler",
        "post",
        lambda m: R + f"conventions/{m.convention.pk}/annuler/",
        GESTION_A,
        donnees=lambda m: {"motifs": "Le collectif renonce au financement."},
        verifier=lambda m, role, r: (
            (r.json()["etat"], r.json()["montant"]) == ("annulee", "0.00") or pytest.fail(str(r.json()))
        ),
        inchange=_etat(lambda m: m.convention, EtatConvention.ACTIVE),
    ),
    Cas(
        "tranches-liberer",
        "post",
        lambda m: R + f"tranches/{m.tranche(m.projet_verse, 2).pk}/liberer/",
        GESTION_42,
        verifier=lambda m, role, r: r.json()["etat"] == "exigible" or pytest.fail(str(r.json())),
        inchange=_etat(lambda m: m.tranche(m.projet_verse, 2), EtatTranche.PREVUE),
    ),
    Cas(
        "tranches-liberer-collectif-sans-bilan",
        "post",
        lambda m: R + f"tranches/{m.tranche(m.convention, 2).pk}/liberer/",
        roles(403, 400, 404, 403, 404, 404),
        inchange=_etat(lambda m: m.tranche(m.convention, 2), EtatTranche.PREVUE),
    ),
    Cas(
        "versements-enregistrer",
        "post",
        lambda m: R + "versements/",
        roles(404, 201, 404, 403, 404, 404),
        donnees=lambda m: {
            "tranche": m.tranche(m.projet_signe, 1).pk,
            "date_versement": AUJOURD_HUI().isoformat(),
            "montant": "4000.00",
            "reference_bancaire": "VIR-2027-002",
        },
        verifier=lambda m, role, r: (
            (r.json()["convention"], r.json()["rang"], r.json()["montant"]) == (m.projet_signe.pk, 1, "4000.00")
            or pytest.fail(str(r.json()))
        ),
        inchange=_etat(lambda m: m.tranche(m.projet_signe, 1), EtatTranche.EXIGIBLE),
    ),
    Cas(
        "points-fixer-montants",
        "post",
        lambda m: R + f"seances/{m.point.seance_id}/points/{m.point.pk}/montants/",  # type: ignore[attr-defined]
        roles(404, 200, 404, 403, 404, 404),
        donnees=lambda m: {"montants": ["15000.00", None, None]},
        preparer=_preparer_point,
        verifier=_verifier_montants,
        inchange=_montants_inchanges,
    ),
    Cas("ecritures-pas-d-ecriture", "post", lambda m: R + "ecritures/", roles(405, 405, 405, 405, 405, 405)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cas", CAS, ids=lambda c: c.nom)
def test_matrice_des_droits_du_fonds(api, mf, cas, role):
    if cas.preparer:
        cas.preparer(mf)
    corps = cas.donnees(mf) if cas.donnees else None
    reponse = getattr(client_de(api, mf, role), cas.methode)(cas.url(mf), corps, format="json")

    attendu = 401 if role == "anonyme" else cas.attendus[role]
    assert reponse.status_code == attendu, getattr(reponse, "data", reponse)
    if 200 <= attendu < 300 and cas.verifier:
        cas.verifier(mf, role, reponse)
    if attendu >= 400 and cas.inchange:
        cas.inchange(mf)
    if attendu == 404:
        assert set(reponse.json()) == {"detail"}


# --- validation: French messages keyed by field ---------------------------------------------------


def _post(api: Any, user: Any, url: str, donnees: Any) -> Any:
    return api.en(user).post(R + url, donnees, format="json")


def test_un_montant_mal_forme_est_refuse_par_champ(api, mf):
    reponse = _post(
        api,
        mf.d.national,
        "abondements/",
        {"fonds": mf.fonds.pk, "financeur": mf.lf.financeurs["etat"].pk, "annee": 1990, "montant": "12,5"},
    )
    assert reponse.status_code == 400
    erreurs = reponse.json()
    assert erreurs["montant"] == ["Un nombre valide est requis."]
    assert erreurs["annee"] == ["L'année budgétaire est comprise entre 2015 et 2100."]
    assert not Abondement.objects.filter(annee=1990).exists()


def test_une_repartition_au_dela_des_abondements_nomme_ce_qui_manque(api, mf):
    reponse = _post(
        api,
        mf.d.national,
        "enveloppes/",
        {"fonds": mf.fonds.pk, "departement": "69", "annee": 2027, "montant": "400000.00"},
    )
    assert reponse.status_code == 400
    (message,) = reponse.json()["montant"]
    assert "Il reste 350 000,00 € à répartir pour Rhône (69) en 2027" in message
    assert "il manque 50 000,00 €" in message
    assert not Enveloppe.objects.filter(departement="69").exists()


def test_un_fonds_inconnu_dans_le_corps_est_introuvable(api, mf):
    reponse = _post(
        api, mf.d.national, "enveloppes/", {"fonds": 999999, "departement": "69", "annee": 2027, "montant": "1.00"}
    )
    assert reponse.status_code == 404


def test_un_projet_hors_de_sa_periode_ou_collectif_est_refuse(api, mf):
    hors_periode = {**PROJET, "tranches": [{"annee": 2029, "montant": "1000.00"}]}
    reponse = _post(api, mf.d.instructeur_42, "conventions/", hors_periode)
    assert reponse.status_code == 400
    assert reponse.json() == {"tranches": ["Les tranches tombent dans la période du projet (2027–2027)."]}

    collectif = {**PROJET, "nature_beneficiaire": "collectif"}
    reponse = _post(api, mf.d.instructeur_42, "conventions/", collectif)
    assert reponse.status_code == 400
    assert set(reponse.json()) == {"nature_beneficiaire"}

    trop = {**PROJET, "tranches": [{"annee": 2027, "montant": "95000.00"}]}
    reponse = _post(api, mf.d.instructeur_42, "conventions/", trop)
    assert reponse.status_code == 400
    assert "L'enveloppe 2027 de Loire (42)" in reponse.json()["tranches"][0]
    assert not Convention.objects.filter(beneficiaire=PROJET["beneficiaire"]).exists()


def test_une_signature_datee_du_futur_ou_sans_signataire_est_refusee(api, mf):
    demain = (AUJOURD_HUI() + datetime.timedelta(days=1)).isoformat()
    reponse = _post(
        api,
        mf.d.instructeur_42,
        f"conventions/{mf.convention.pk}/signer/",
        {"signee_le": demain, "signataire_beneficiaire": " ", "signataire_departement": "Le président"},
    )
    assert reponse.status_code == 400
    assert reponse.json() == {
        "signee_le": ["La date de signature ne peut pas être dans le futur."],
        "signataire_beneficiaire": ["Indiquez le nom et la qualité du ou de la signataire."],
    }
    reponse = _post(api, mf.d.instructeur_42, f"conventions/{mf.convention.pk}/signer/", {})
    assert reponse.status_code == 400
    assert reponse.json()["signee_le"] == ["Ce champ est obligatoire."]
    assert Convention.objects.get(pk=mf.convention.pk).signee_le is None


def test_une_annulation_sans_motif_ou_apres_versement_est_refusee(api, mf):
    reponse = _post(api, mf.d.instructeur_42, f"conventions/{mf.convention.pk}/annuler/", {"motifs": "  "})
    assert reponse.status_code == 400
    assert reponse.json() == {"motifs": ["Indiquez les motifs de l'annulation."]}

    reponse = _post(api, mf.d.instructeur_42, f"conventions/{mf.projet_verse.pk}/annuler/", {"motifs": "Erreur."})
    assert reponse.status_code == 400
    assert reponse.json() == {
        "non_field_errors": ["Une convention dont une tranche est versée ne peut plus être annulée."]
    }
    assert Convention.objects.get(pk=mf.projet_verse.pk).etat == EtatConvention.ACTIVE


def test_un_versement_d_un_autre_montant_est_refuse(api, mf):
    reponse = _post(
        api,
        mf.d.instructeur_42,
        "versements/",
        {
            "tranche": mf.tranche(mf.projet_signe, 1).pk,
            "date_versement": AUJOURD_HUI().isoformat(),
            "montant": "3999.99",
            "reference_bancaire": "",
        },
    )
    assert reponse.status_code == 400
    assert reponse.json() == {
        "montant": ["Une tranche se verse en une fois, de son montant : 4 000,00 €."],
        "reference_bancaire": ["Indiquez la référence bancaire du virement."],
    }
    assert not Versement.objects.filter(tranche__convention=mf.projet_signe).exists()


def test_une_tranche_n_est_jamais_payee_deux_fois(api, mf):
    tranche = mf.tranche(mf.projet_verse, 1)
    reponse = _post(
        api,
        mf.d.instructeur_42,
        "versements/",
        {
            "tranche": tranche.pk,
            "date_versement": AUJOURD_HUI().isoformat(),
            "montant": "5000.00",
            "reference_bancaire": "VIR-2027-009",
        },
    )
    assert reponse.status_code == 400
    assert reponse.json() == {
        "non_field_errors": ["La tranche 1 est déjà versée : une tranche n'est jamais payée deux fois."]
    }
    assert Versement.objects.filter(tranche=tranche).count() == 1
    assert EcritureFonds.objects.filter(tranche=tranche, compte=Compte.VERSE).count() == 1


def test_les_tranches_d_un_point_sous_le_minimum_sont_refusees(api, mf):
    point = point_pret(mf.lf, mf.campagne, "Collectif du Crêt de Roch")
    url = f"seances/{point.seance_id}/points/{point.pk}/montants/"
    reponse = _post(api, mf.d.instructeur_42, url, {"montants": ["5000.00", None, None]})
    assert reponse.status_code == 400
    assert reponse.json() == {"montants": ["La tranche 1 (2028) doit être d'au moins 10 000,00 €."]}
    reponse = _post(api, mf.d.instructeur_42, url, {"montants": ["15000.00"]})
    assert reponse.status_code == 400
    assert reponse.json() == {"montants": ["Une convention triennale a trois tranches, une par année."]}
    # 2029 and 2030: the reservation of 60 000 € keeps 50 000 € once collectif A's convention is committed.
    reponse = _post(api, mf.d.instructeur_42, url, {"montants": [None, "55000.00", None]})
    assert reponse.status_code == 400
    assert "2029 : il reste 50 000,00 € pour 55 000,00 €" in reponse.json()["montants"][0]


@pytest.mark.parametrize(
    ("requete", "champ"),
    [
        ("fonds/{fonds}/situation/?annee=deux-mille", "annee"),
        ("fonds/{fonds}/enveloppes/", "departement"),
        ("fonds/{fonds}/enveloppes/?departement=99", "departement"),
        ("ecritures/?compte=caisse", "compte"),
        ("conventions/?etat=perdue", "etat"),
        ("tranches/?convention=0", "convention"),
    ],
)
def test_un_filtre_invalide_est_une_erreur_400_par_champ(api, mf, requete, champ):
    reponse = api.en(mf.d.national).get(R + requete.format(fonds=mf.fonds.pk))
    assert reponse.status_code == 400
    assert list(reponse.json()) == [champ]


def test_les_filtres_du_grand_livre_et_des_conventions(api, mf):
    client = api.en(mf.d.national)
    lignes = client.get(R + "ecritures/", {"convention": mf.projet_verse.pk, "compte": "verse"}).json()
    assert [(ligne["montant"], ligne["tranche"]) for ligne in lignes["results"]] == [
        ("5000.00", mf.tranche(mf.projet_verse, 1).pk)
    ]
    projets = client.get(R + "conventions/", {"nature_beneficiaire": "projet_etudiant"}).json()
    assert {c["id"] for c in projets["results"]} == {mf.projet_verse.pk, mf.projet_signe.pk}
    situation = client.get(R + f"fonds/{mf.fonds.pk}/situation/", {"annee": 2028}).json()
    assert [s["annee"] for s in situation] == [2028]


def test_le_grand_livre_s_equilibre_et_la_situation_le_resume(api, mf):
    """Every year: contributions = à répartir + enveloppes + réservations + engagements + versé (double entry)."""
    for ligne in api.en(mf.d.national).get(R + f"fonds/{mf.fonds.pk}/situation/").json():
        parties = ("a_repartir", "enveloppes", "reservations", "engagements", "verse")
        assert Decimal(ligne["contributions"]) == sum(Decimal(ligne[p]) for p in parties), ligne
        assert (
            Decimal(ligne["contributions"])
            == -EcritureFonds.objects.filter(fonds=mf.fonds, annee=ligne["annee"], compte=Compte.APPORT).aggregate(
                s=Sum("montant")
            )["s"]
        )


def test_les_parts_de_tous_les_financeurs_font_le_montant_de_chaque_convention(api, mf):
    client = api.en(mf.d.national)
    totaux: dict[int, Decimal] = {}
    for financeur in mf.lf.financeurs.values():
        for ligne in client.get(R + f"financeurs/{financeur.pk}/parts/").json()["results"]:
            totaux[ligne["convention"]] = totaux.get(ligne["convention"], Decimal("0")) + Decimal(ligne["part"])
    assert totaux == {
        mf.convention.pk: Decimal("30000.00"),
        mf.projet_verse.pk: Decimal("10000.00"),
        mf.projet_signe.pk: Decimal("8000.00"),
    }


def test_un_parcours_du_fonds_par_l_api(api, distribution):
    """National staff create the fund, a funder, a contribution earmarked for the Loire and distribute it; the
    Loire's instructeur funds a project, signs it and pays tranche 1; the funder's share follows."""
    national = api.en(distribution.national)
    fonds = national.post(R + "fonds/", {"nom": "Fonds national"}, format="json").json()
    assert fonds["gestion"] == "nationale" and fonds["departement"] is None
    caf = national.post(R + "financeurs/", {"nom": "CAF de la Loire", "nature": "autre_collectivite"}, format="json")
    abondement = national.post(
        R + "abondements/",
        {
            "fonds": fonds["id"],
            "financeur": caf.json()["id"],
            "annee": 2027,
            "montant": "20000.00",
            "departement_fleche": "42",
        },
        format="json",
    )
    assert abondement.status_code == 201 and abondement.json()["departement_fleche"] == "42"
    repartition = {"fonds": fonds["id"], "departement": "42", "annee": 2027, "montant": "20000.00"}
    assert national.post(R + "enveloppes/", repartition, format="json").status_code == 201

    instructeur = APIClient()
    instructeur.force_login(distribution.instructeur_42)
    projet_cree = instructeur.post(R + "conventions/", PROJET, format="json")
    assert projet_cree.status_code == 201, projet_cree.json()
    convention = projet_cree.json()
    signature = {"signee_le": AUJOURD_HUI().isoformat(), **SIGNATURE}
    assert instructeur.post(R + f"conventions/{convention['id']}/signer/", signature, format="json").status_code == 200
    versement = instructeur.post(
        R + "versements/",
        {
            "tranche": convention["tranches"][0]["id"],
            "date_versement": AUJOURD_HUI().isoformat(),
            "montant": "7500.00",
            "reference_bancaire": "VIR-1",
        },
        format="json",
    )
    assert versement.status_code == 201, versement.json()

    parts = national.get(R + f"financeurs/{caf.json()['id']}/parts/").json()["results"]
    assert [(p["part"], p["part_versee"], p["par_annee"]) for p in parts] == [
        ("7500.00", "7500.00", [{"annee": 2027, "montant": "7500.00"}])
    ]
    detail = national.get(R + f"conventions/{convention['id']}/").json()
    assert detail["verse"] == "7500.00"
    assert detail["parts"] == [
        {"financeur": caf.json()["id"], "financeur_nom": "CAF de la Loire", "montant": "7500.00", "fleche": True}
    ]
    assert EcritureFonds.objects.aggregate(s=Sum("montant"))["s"] == 0
    assert Tranche.objects.get(pk=convention["tranches"][0]["id"]).etat == EtatTranche.VERSEE


def test_une_invitation_a_une_adresse_invalide_ou_deja_invitee_est_refusee(api, mf, django_capture_on_commit_callbacks):
    url = f"financeurs/{mf.lf.financeurs['etat'].pk}/inviter/"
    avant = AccesFinanceur.objects.count()

    reponse = _post(api, mf.d.national, url, {"email": "pas-une-adresse"})
    assert reponse.status_code == 400
    assert reponse.json() == {"email": ["Saisissez une adresse e-mail valide."]}

    reponse = _post(api, mf.d.national, url, {})
    assert reponse.status_code == 400
    assert reponse.json() == {"email": ["Ce champ est obligatoire."]}

    # financeur.etat@exemple.fr already reads the État's view (an accepted invitation).
    reponse = _post(api, mf.d.national, url, {"email": "Financeur.Etat@exemple.fr"})
    assert reponse.status_code == 400
    (message,) = reponse.json()["email"]
    assert "a déjà accès à la vue de" in message
    assert AccesFinanceur.objects.count() == avant


def test_l_invitation_part_par_courriel(api, mf, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _post(
            api, mf.d.national, f"financeurs/{mf.lf.financeurs['fondation'].pk}/inviter/", {"email": "a@exemple.fr"}
        )
    assert reponse.status_code == 201
    acces = AccesFinanceur.objects.get(pk=reponse.json()["id"])
    (courriel,) = mailoutbox
    assert courriel.to == ["a@exemple.fr"] and acces.jeton in courriel.body


@pytest.mark.parametrize("role", ["referent_a", "financeur", "employeur"])
@pytest.mark.parametrize("url", ["fonds/", "financeurs/", "abondements/", "enveloppes/", "conventions/"])
def test_sans_droit_le_refus_precede_la_validation(api, mf, role, url):
    """Deny by default: a role that may never create here gets a 403, not the list of expected fields."""
    reponse = client_de(api, mf, role).post(R + url, {}, format="json")
    assert reponse.status_code == 403
    assert set(reponse.json()) == {"detail"}
