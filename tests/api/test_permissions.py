"""Every endpoint × every role: 401 anonymous, 404 hidden, 403 forbidden on a visible object, 2xx allowed
(SPEC §9). Each row also checks what the answer contains, so that a leak or a no-op cannot pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, Indicateur, Membre
from tests.api.conftest import PDF_DE_TEST, Monde, fermer_campagne_ouverte
from tests.collectifs.factories import DeclarationFactory
from tests.conftest import ROLES

R, V, L = "/api/v1/", "referent_a", "national"


@dataclass
class Cas:
    """One endpoint call; `attendus` maps each logged-in role to its status (anonymous: always 401)."""

    nom: str
    methode: str
    url: Callable[[Monde], str]
    attendus: dict[str, int]
    donnees: Callable[[Monde], Any] | None = None
    preparer: Callable[[Monde], None] | None = None
    # Checks run after a 2xx answer: (monde, response) -> None.
    verifier: Callable[[Monde, Any], None] | None = None
    # Checks run after a refusal (403/404): the object must be unchanged.
    inchange: Callable[[Monde], None] | None = field(default=None)


def tous(code: int) -> dict[str, int]:
    return {role: code for role in ROLES if role != "anonyme"}


# Visibility of collectif A and of its filed declaration: référent A, instructeur 42, national staff.
VISIBLE_A = {"referent_a": 200, "referent_b": 404, "instructeur_42": 200, "instructeur_autre": 404, "national": 200}
# Writes on collectif A: only its référent; instructeur 42 and national staff see it but may not write (403).
ECRITURE_A = {"referent_a": 200, "referent_b": 404, "instructeur_42": 403, "instructeur_autre": 404, "national": 403}
# A draft is private to its collectif's référents.
BROUILLON_A = {"referent_a": 200, "referent_b": 404, "instructeur_42": 404, "instructeur_autre": 404, "national": 404}
# Campaigns of the Loire: its instructeur and national staff see them; only its instructeur changes them (SPEC §2:
# national staff change only national objects).
CAMPAGNE_42 = {"referent_a": 404, "referent_b": 404, "instructeur_42": 200, "instructeur_autre": 404, "national": 200}
CAMPAGNE_42_ECRITURE = CAMPAGNE_42 | {"national": 403}


def _etat(modele: type, pk_de: Callable[[Monde], int], attendu: str) -> Callable[[Monde], None]:
    def verifier(monde: Monde) -> None:
        assert modele.objects.get(pk=pk_de(monde)).etat == attendu

    return verifier


def _id_est(pk_de: Callable[[Monde], int]) -> Callable[[Monde, Any], None]:
    def verifier(monde: Monde, reponse: Any) -> None:
        assert reponse.json()["id"] == pk_de(monde)

    return verifier


def _campagne_ouverte_2027(m: Monde) -> int:
    return m.d.campagne.pk


def _verifier_composition(m: Monde, r: Any) -> None:
    assert r.json()["est_conforme"] is True
    assert [c["effectif"] for c in r.json()["colleges"]] == [1, 2, 2]


def _verifier_membres(m: Monde, r: Any) -> None:
    assert r.json()["count"] == 5


def _verifier_pdf(m: Monde, r: Any) -> None:
    assert r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content if r.streaming else [r.content]) == PDF_DE_TEST
    assert m.recepisse_a.numero in r["Content-Disposition"]


CAS = [
    Cas("racine", "get", lambda m: R, tous(200)),
    Cas(
        "departements-liste",
        "get",
        lambda m: R + "departements/",
        tous(200),
        verifier=lambda m, r: len(r.json()) == 101 or pytest.fail("101 départements attendus"),
    ),
    Cas(
        "departements-detail",
        "get",
        lambda m: R + "departements/2A/",
        tous(200),
        verifier=lambda m, r: r.json() == {"code": "2A", "nom": "Corse-du-Sud"} or pytest.fail(str(r.json())),
    ),
    # --- campagnes
    Cas(
        "campagnes-liste",
        "get",
        lambda m: R + "campagnes/",
        {"referent_a": 403, "referent_b": 403, "instructeur_42": 200, "instructeur_autre": 200, "national": 200},
    ),
    Cas(
        "campagnes-detail",
        "get",
        lambda m: R + f"campagnes/{m.d.campagne.pk}/",
        CAMPAGNE_42,
        verifier=_id_est(_campagne_ouverte_2027),
    ),
    Cas(
        "campagnes-creer",
        "post",
        lambda m: R + "campagnes/",
        {"referent_a": 403, "referent_b": 403, "instructeur_42": 201, "instructeur_autre": 403, "national": 403},
        donnees=lambda m: {
            "departement": "42",
            "annee": 2030,
            "quota": 3,
            "enveloppe_annuelle": "60000.00",
            "montant_minimal_annuel": "15000.00",
            "date_ouverture": "2030-01-15",
            "date_cloture": "2030-03-31",
        },
        verifier=lambda m, r: Campagne.objects.get(pk=r.json()["id"], annee=2030, departement="42"),
        inchange=lambda m: not Campagne.objects.filter(annee=2030).exists() or pytest.fail("campagne créée"),
    ),
    Cas(
        "campagnes-modifier",
        "patch",
        lambda m: R + f"campagnes/{m.campagne_preparation.pk}/",
        CAMPAGNE_42_ECRITURE,
        donnees=lambda m: {"quota": 4},
        verifier=lambda m, r: Campagne.objects.get(pk=m.campagne_preparation.pk).quota == 4 or pytest.fail("quota"),
        inchange=lambda m: Campagne.objects.get(pk=m.campagne_preparation.pk).quota == 5 or pytest.fail("modifiée"),
    ),
    Cas(
        "campagnes-modifier-close",
        "patch",
        lambda m: R + f"campagnes/{m.campagne_close.pk}/",
        {"referent_a": 404, "referent_b": 404, "instructeur_42": 403, "instructeur_autre": 404, "national": 403},
        donnees=lambda m: {"delai_instruction_jours": 30},
        inchange=lambda m: (
            Campagne.objects.get(pk=m.campagne_close.pk).delai_instruction_jours == 60 or pytest.fail("modifiée")
        ),
    ),
    Cas(
        "campagnes-ouvrir",
        "post",
        lambda m: R + f"campagnes/{m.campagne_preparation.pk}/ouvrir/",
        CAMPAGNE_42_ECRITURE,
        preparer=fermer_campagne_ouverte,
        verifier=lambda m, r: _etat(Campagne, lambda m: m.campagne_preparation.pk, EtatCampagne.OUVERTE)(m),
        inchange=_etat(Campagne, lambda m: m.campagne_preparation.pk, EtatCampagne.PREPARATION),
    ),
    Cas(
        "campagnes-clore",
        "post",
        lambda m: R + f"campagnes/{m.d.campagne.pk}/clore/",
        CAMPAGNE_42_ECRITURE,
        verifier=lambda m, r: _etat(Campagne, _campagne_ouverte_2027, EtatCampagne.CLOSE)(m),
        inchange=_etat(Campagne, _campagne_ouverte_2027, EtatCampagne.OUVERTE),
    ),
    # --- collectifs
    Cas("collectifs-liste", "get", lambda m: R + "collectifs/", tous(200)),
    Cas(
        "collectifs-detail",
        "get",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/",
        VISIBLE_A,
        verifier=lambda m, r: r.json()["nom"] == "Collectif A de Montreynaud" or pytest.fail("nom"),
    ),
    Cas(
        "collectifs-creer",
        "post",
        lambda m: R + "collectifs/",
        tous(201),
        donnees=lambda m: {
            "nom": "Collectif de Roanne",
            "departement": "42",
            "territoire": "Roanne, quartier du Parc",
            "institutions_origine": [{"nom": "Centre social du Parc"}],
        },
        verifier=lambda m, r: Collectif.objects.get(pk=r.json()["id"], nom="Collectif de Roanne"),
    ),
    Cas(
        "collectifs-modifier",
        "patch",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/",
        ECRITURE_A,
        donnees=lambda m: {"territoire": "Montreynaud et La Cotonne"},
        verifier=lambda m, r: (
            Collectif.objects.get(pk=m.d.collectif_a.pk).territoire == "Montreynaud et La Cotonne"
            or pytest.fail("territoire")
        ),
        inchange=lambda m: (
            Collectif.objects.get(pk=m.d.collectif_a.pk).territoire != "Montreynaud et La Cotonne"
            or pytest.fail("modifié")
        ),
    ),
    Cas(
        "collectifs-composition",
        "get",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/composition/",
        VISIBLE_A,
        verifier=_verifier_composition,
    ),
    # --- membres
    Cas(
        "membres-liste",
        "get",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/membres/",
        VISIBLE_A,
        verifier=_verifier_membres,
    ),
    Cas(
        "membres-detail",
        "get",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/membres/{m.membre_a.pk}/",
        VISIBLE_A,
        verifier=_id_est(lambda m: m.membre_a.pk),
    ),
    Cas(
        "membres-ajouter",
        "post",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/membres/",
        {**ECRITURE_A, "referent_a": 201},
        donnees=lambda m: {"college": "HABITANT", "prenom": "Yasmina", "nom": "Belkacem", "consentement": True},
        verifier=lambda m, r: Membre.objects.get(pk=r.json()["id"], collectif=m.d.collectif_a, nom="Belkacem"),
        inchange=lambda m: not Membre.objects.filter(nom="Belkacem").exists() or pytest.fail("ajouté"),
    ),
    Cas(
        "membres-modifier",
        "patch",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/membres/{m.membre_a.pk}/",
        ECRITURE_A,
        donnees=lambda m: {"fonction": "Présidente de l'amicale"},
        verifier=lambda m, r: (
            Membre.objects.get(pk=m.membre_a.pk).fonction == "Présidente de l'amicale" or pytest.fail("fonction")
        ),
        inchange=lambda m: Membre.objects.get(pk=m.membre_a.pk).fonction == "" or pytest.fail("modifié"),
    ),
    Cas(
        "membres-supprimer-impossible",
        "delete",
        lambda m: R + f"collectifs/{m.d.collectif_a.pk}/membres/{m.membre_a.pk}/",
        tous(405),
        inchange=lambda m: Membre.objects.get(pk=m.membre_a.pk),
    ),
    # --- déclarations
    Cas("declarations-liste", "get", lambda m: R + "declarations/", tous(200)),
    Cas(
        "declarations-detail-deposee",
        "get",
        lambda m: R + f"declarations/{m.deposee_a.pk}/",
        VISIBLE_A,
        verifier=lambda m, r: r.json()["recepisse"]["numero"] == m.recepisse_a.numero or pytest.fail("récépissé"),
    ),
    Cas(
        "declarations-detail-brouillon",
        "get",
        lambda m: R + f"declarations/{m.brouillon_a.pk}/",
        BROUILLON_A,
        verifier=lambda m, r: r.json()["etat"] == "brouillon" or pytest.fail("état"),
    ),
    Cas(
        "declarations-enregistrer-brouillon",
        "patch",
        lambda m: R + f"declarations/{m.brouillon_a.pk}/",
        BROUILLON_A,
        donnees=lambda m: {"projet": "Un jardin partagé."},
        verifier=lambda m, r: (
            Declaration.objects.get(pk=m.brouillon_a.pk).projet == "Un jardin partagé." or pytest.fail("projet")
        ),
        inchange=lambda m: Declaration.objects.get(pk=m.brouillon_a.pk).projet == "" or pytest.fail("modifié"),
    ),
    Cas(
        "declarations-enregistrer-deposee",
        "patch",
        lambda m: R + f"declarations/{m.deposee_a.pk}/",
        {**ECRITURE_A, "referent_a": 403},
        donnees=lambda m: {"projet": "Réécrit après dépôt."},
        inchange=lambda m: Declaration.objects.get(pk=m.deposee_a.pk).projet == "" or pytest.fail("modifiée"),
    ),
    Cas(
        "declarations-indicateurs-brouillon",
        "put",
        lambda m: R + f"declarations/{m.brouillon_a.pk}/indicateurs/",
        BROUILLON_A,
        donnees=lambda m: {"indicateurs": [{"libelle": "Paroles d'habitant·es recueillies"}]},
        verifier=lambda m, r: Indicateur.objects.get(declaration=m.brouillon_a),
        inchange=lambda m: not Indicateur.objects.exists() or pytest.fail("indicateur créé"),
    ),
    Cas(
        "declarations-indicateurs-deposee",
        "put",
        lambda m: R + f"declarations/{m.deposee_a.pk}/indicateurs/",
        {**ECRITURE_A, "referent_a": 403},
        donnees=lambda m: {"indicateurs": [{"libelle": "Ajouté après dépôt"}]},
        inchange=lambda m: not Indicateur.objects.exists() or pytest.fail("indicateur créé"),
    ),
    Cas(
        "declarations-charte-brouillon",
        "post",
        lambda m: R + f"declarations/{m.brouillon_a.pk}/accepter-charte/",
        BROUILLON_A,
        verifier=lambda m, r: (
            Declaration.objects.get(pk=m.brouillon_a.pk).adhesion_charte.personne == m.d.referent_a
            or pytest.fail("adhésion")
        ),
        inchange=lambda m: (
            Declaration.objects.get(pk=m.brouillon_a.pk).adhesion_charte is None or pytest.fail("adhésion enregistrée")
        ),
    ),
    Cas(
        "declarations-charte-deposee",
        "post",
        lambda m: R + f"declarations/{m.deposee_a.pk}/accepter-charte/",
        {**ECRITURE_A, "referent_a": 403},
        inchange=lambda m: (
            Declaration.objects.get(pk=m.deposee_a.pk).adhesion_charte is None or pytest.fail("adhésion enregistrée")
        ),
    ),
    Cas(
        "declarations-conditions-brouillon",
        "get",
        lambda m: R + f"declarations/{m.brouillon_a.pk}/conditions/",
        BROUILLON_A,
        verifier=lambda m, r: "adhesion_charte" in r.json()["erreurs"] or pytest.fail(str(r.json())),
    ),
    Cas(
        "declarations-conditions-deposee",
        "get",
        lambda m: R + f"declarations/{m.deposee_a.pk}/conditions/",
        VISIBLE_A,
        verifier=lambda m, r: r.json()["peut_deposer"] is False or pytest.fail(str(r.json())),
    ),
    Cas(
        "declarations-deposer",
        "post",
        lambda m: R + f"declarations/{m.brouillon_b.pk}/deposer/",
        {"referent_a": 404, "referent_b": 201, "instructeur_42": 404, "instructeur_autre": 404, "national": 404},
        verifier=lambda m, r: _etat(Declaration, lambda m: m.brouillon_b.pk, EtatDeclaration.DEPOSEE)(m),
        inchange=_etat(Declaration, lambda m: m.brouillon_b.pk, EtatDeclaration.BROUILLON),
    ),
    Cas(
        "declarations-deposer-deja-deposee",
        "post",
        lambda m: R + f"declarations/{m.deposee_a.pk}/deposer/",
        {**ECRITURE_A, "referent_a": 400},
        inchange=_etat(Declaration, lambda m: m.deposee_a.pk, EtatDeclaration.DEPOSEE),
    ),
    Cas(
        "declarations-retirer",
        "post",
        lambda m: R + f"declarations/{m.deposee_a.pk}/retirer/",
        ECRITURE_A,
        donnees=lambda m: {"motif": "Le collectif s'est dissous."},
        verifier=lambda m, r: _etat(Declaration, lambda m: m.deposee_a.pk, EtatDeclaration.RETIREE)(m),
        inchange=_etat(Declaration, lambda m: m.deposee_a.pk, EtatDeclaration.DEPOSEE),
    ),
    Cas(
        "declarations-recepisse",
        "get",
        lambda m: R + f"declarations/{m.deposee_a.pk}/recepisse/",
        VISIBLE_A,
        verifier=_verifier_pdf,
    ),
    Cas(
        "declarations-recepisse-absent",
        "get",
        lambda m: R + f"declarations/{m.brouillon_a.pk}/recepisse/",
        {**BROUILLON_A, "referent_a": 404},
    ),
    # --- compte
    Cas("jeton-etat", "get", lambda m: R + "compte/jeton/", tous(200)),
    Cas(
        "jeton-creer",
        "post",
        lambda m: R + "compte/jeton/",
        tous(201),
        verifier=lambda m, r: len(r.json()["cle"]) == 40 or pytest.fail("clé"),
    ),
    Cas("jeton-revoquer", "delete", lambda m: R + "compte/jeton/", tous(204)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cas", CAS, ids=lambda c: c.nom)
def test_matrice_des_droits(api, monde, cas, role):
    if cas.preparer:
        cas.preparer(monde)
    user = monde.utilisateur(role)
    corps = cas.donnees(monde) if cas.donnees else None
    reponse = getattr(api.en(user), cas.methode)(cas.url(monde), corps, format="json")

    attendu = 401 if role == "anonyme" else cas.attendus[role]
    assert reponse.status_code == attendu, getattr(reponse, "data", reponse)
    if attendu == 401:
        assert reponse["WWW-Authenticate"] == "Token"
    if 200 <= attendu < 300 and cas.verifier:
        cas.verifier(monde, reponse)
    if attendu in (401, 403, 404, 405) and cas.inchange:
        cas.inchange(monde)
    if attendu == 404:
        # Nothing of a hidden object leaks: the body is the generic « not found ».
        assert set(reponse.json()) == {"detail"}


@pytest.mark.parametrize(
    ("role", "attendus"),
    [
        ("instructeur_42", {"campagne", "campagne_preparation", "campagne_close"}),
        ("instructeur_autre", {"campagne_69"}),
        ("national", {"campagne", "campagne_preparation", "campagne_close", "campagne_69"}),
    ],
)
def test_liste_des_campagnes_limitee_au_perimetre(api, monde, role, attendus):
    noms = {"campagne": monde.d.campagne, **{n: getattr(monde, n) for n in attendus - {"campagne"}}}
    reponse = api.en(monde.utilisateur(role)).get(R + "campagnes/")
    assert reponse.status_code == 200
    assert {c["id"] for c in reponse.json()["results"]} == {noms[n].pk for n in attendus}


@pytest.mark.parametrize(
    ("role", "attendus"),
    [
        ("referent_a", {"collectif_a", "collectif_c"}),
        ("referent_b", {"collectif_b"}),
        ("instructeur_42", {"collectif_a"}),  # B and C have only a draft
        ("instructeur_autre", set()),
        ("national", {"collectif_a", "collectif_b", "collectif_c"}),
    ],
)
def test_liste_des_collectifs_limitee_au_perimetre(api, monde, role, attendus):
    collectifs = {
        "collectif_a": monde.d.collectif_a,
        "collectif_b": monde.d.collectif_b,
        "collectif_c": monde.collectif_c,
    }
    reponse = api.en(monde.utilisateur(role)).get(R + "collectifs/")
    assert reponse.status_code == 200
    assert {c["id"] for c in reponse.json()["results"]} == {collectifs[n].pk for n in attendus}


@pytest.mark.parametrize(
    ("role", "attendus"),
    [
        ("referent_a", {"deposee_a", "brouillon_a"}),
        ("referent_b", {"brouillon_b"}),
        ("instructeur_42", {"deposee_a"}),  # drafts stay private
        ("instructeur_autre", set()),
        ("national", {"deposee_a"}),
    ],
)
def test_liste_des_declarations_limitee_au_perimetre(api, monde, role, attendus):
    reponse = api.en(monde.utilisateur(role)).get(R + "declarations/")
    assert reponse.status_code == 200
    assert {d["id"] for d in reponse.json()["results"]} == {getattr(monde, n).pk for n in attendus}


def test_filtres_de_la_liste_des_declarations(api, monde):
    client = api.en(monde.d.referent_a)
    par_collectif = client.get(R + "declarations/", {"collectif": monde.collectif_c.pk}).json()["results"]
    assert [d["id"] for d in par_collectif] == [monde.brouillon_a.pk]
    par_etat = client.get(R + "declarations/", {"etat": "deposee"}).json()["results"]
    assert [d["id"] for d in par_etat] == [monde.deposee_a.pk]
    reponse = client.get(R + "declarations/", {"etat": "inconnu"})
    assert reponse.status_code == 400
    assert "etat" in reponse.json()


def test_un_collectif_qui_a_depose_reste_visible_meme_avec_un_nouveau_brouillon(api, monde):
    """A collectif that filed once and opened a new draft stays visible to its instructeurs."""
    nouveau = DeclarationFactory(collectif=monde.d.collectif_a, campagne=monde.campagne_preparation)
    reponse = api.en(monde.d.instructeur_42).get(R + f"collectifs/{monde.d.collectif_a.pk}/")
    assert reponse.status_code == 200
    corps = reponse.json()
    assert (corps["id"], corps["nom"], corps["departement"]) == (
        monde.d.collectif_a.pk,
        "Collectif A de Montreynaud",
        "42",
    )
    assert corps["brouillon"] == nouveau.pk
