"""Every URL of collectifs/urls.py, for every role: 302 to login, 404 when hidden, 403 when forbidden,
200/302 when allowed (SPEC §9, CONVENTIONS §3.7).

Objects (tests.vues.Monde): collectif A has a filed declaration (`deposee_a`, with its récépissé) and a new
draft (`brouillon_a`); collectif B has a draft. Drafts are private to their collectif's référents."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, Indicateur, InvitationReferent, Membre
from documents.models import Document
from tests.vues import (
    CONNECTES,
    CONNEXION,
    PDF,
    Cas,
    Monde,
    attendu,
    brouillon_pret,
    construire_monde,
    matrice,
    membre,
    verifier,
)

# Rows used by many URLs.
BROUILLON_PRIVE = attendu(
    anonyme=CONNEXION, referent_a=200, referent_b=404, instructeur_42=404, instructeur_autre=404, national=404
)
ECRITURE_BROUILLON = attendu(
    anonyme=CONNEXION, referent_a=302, referent_b=404, instructeur_42=404, instructeur_autre=404, national=404
)
# A filed declaration is no longer edited: visible ones give 403, hidden ones 404.
DEPOSEE_FIGEE = attendu(
    anonyme=CONNEXION, referent_a=403, referent_b=404, instructeur_42=403, instructeur_autre=404, national=403
)
DEPOSEE_VISIBLE = attendu(
    anonyme=CONNEXION, referent_a=200, referent_b=404, instructeur_42=200, instructeur_autre=404, national=200
)
POST_SEULEMENT = attendu(
    anonyme=CONNEXION, referent_a=405, referent_b=405, instructeur_42=405, instructeur_autre=405, national=405
)
PERSONNE: frozenset[str] = frozenset()
REFERENT_A = frozenset({"referent_a"})

ETAPES = [
    ("collectif", "Le collectif", 1),
    ("membres", "Les membres", 2),
    ("projet", "Le projet", 3),
    ("indicateurs", "Les indicateurs", 4),
    ("charte", "La charte", 5),
    ("recapitulatif", "Récapitulatif et dépôt", 6),
]
CONTENU_ETAPE = {
    "collectif": 'value="{m.collectif_a.nom}"',
    "membres": "Odile Marchand",
    "projet": "Un jardin partagé rue de la Marandinière.",
    "indicateurs": "Indicateur 5",
    "charte": "version 1",
    "recapitulatif": "Déposer",
}


# The follow-up page of a filed declaration and its actions are in the instances layer (they show the decisions).
SUIVI = {"declaration_detail", "document", "repondre_complements", "message_envoyer"}


def _url(nom: str, objet: str, *autres: str):
    espace = "instances" if nom in SUIVI else "collectifs"
    return lambda m: reverse(f"{espace}:{nom}", args=[getattr(m, objet).pk, *(getattr(m, a).pk for a in autres)])


def _declaration(m: Monde, objet: str) -> Declaration:
    return Declaration.objects.get(pk=getattr(m, objet).pk)


def _projet_modifie(objet: str):
    return lambda m, role: _declaration(m, objet).projet == "Projet réécrit pendant le test."


DONNEES_PROJET = {
    "dynamique_preexistante": "Des réunions mensuelles depuis 2021.",
    "projet": "Projet réécrit pendant le test.",
    "additionnalite": "Personne ne le ferait seul.",
    "continuer": "1",
}
DONNEES_MEMBRE = {
    "college": "HABITANT",
    "prenom": "Lucie",
    "nom": "Ferrand",
    "fonction": "Habitante de la Cotonne",
    "consentement": "on",
}
DONNEES_INDICATEURS = {
    "indicateurs-TOTAL_FORMS": "5",
    "indicateurs-INITIAL_FORMS": "0",
    "indicateurs-MIN_NUM_FORMS": "5",
    "indicateurs-MAX_NUM_FORMS": "5",
    "indicateurs-0-libelle": "Nombre d'habitant·es qui prennent la parole en réunion",
    "indicateurs-0-nature": "qualitatif",
    **{f"indicateurs-{i}-nature": "qualitatif" for i in range(1, 5)},
    "continuer": "1",
}
DONNEES_COLLECTIF = {
    "nom": "Collectif des Hauts de Montreynaud",
    "territoire": "Montreynaud, Saint-Étienne",
    "codes_communes": "42218",
    "institutions-TOTAL_FORMS": "1",
    "institutions-INITIAL_FORMS": "0",
    "institutions-MIN_NUM_FORMS": "0",
    "institutions-MAX_NUM_FORMS": "10",
    "institutions-0-nom": "Centre social de Montreynaud",
    "continuer": "1",
}
DONNEES_NOUVEAU_COLLECTIF = {
    **DONNEES_COLLECTIF,
    "nom": "Collectif des Crêts",
    "departement": "42",
    "territoire": "Quartier des Crêts, Firminy",
    "codes_communes": "42095",
}


def _etapes() -> list[Cas]:
    cas = []
    for code, titre, rang in ETAPES:
        cas.append(
            Cas(
                f"etape_{code}-brouillon",
                _url(f"etape_{code}", "brouillon_a"),
                BROUILLON_PRIVE,
                contenu=(titre, f"Étape {rang} sur 6", "{m.collectif_a.nom}", CONTENU_ETAPE[code]),
            )
        )
        cas.append(Cas(f"etape_{code}-deposee", _url(f"etape_{code}", "deposee_a"), DEPOSEE_FIGEE))
    return cas


CAS = [
    # --- Creating a collectif: any signed-in person may start one.
    Cas(
        "collectif_nouveau",
        lambda m: reverse("collectifs:collectif_nouveau"),
        attendu(
            anonyme=CONNEXION, referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200
        ),
        contenu=("Nom du collectif", "Loire (42)"),
    ),
    Cas(
        "collectif_nouveau-post",
        lambda m: reverse("collectifs:collectif_nouveau"),
        attendu(
            anonyme=CONNEXION, referent_a=302, referent_b=302, instructeur_42=302, instructeur_autre=302, national=302
        ),
        methode="post",
        donnees=DONNEES_NOUVEAU_COLLECTIF,
        suite=lambda m: reverse(
            "collectifs:etape_membres", args=[Declaration.objects.get(collectif__nom="Collectif des Crêts").pk]
        ),
        agissent=CONNECTES,
        fait=lambda m, role: Collectif.objects.filter(
            nom="Collectif des Crêts", referents=m.utilisateur(role)
        ).exists(),
    ),
    # --- Référents of a collectif: the collectif is visible to instructeurs of 42 and national staff once
    #     it has filed; only its référents invite.
    Cas(
        "referent_inviter",
        _url("referent_inviter", "collectif_a"),
        attendu(
            anonyme=CONNEXION, referent_a=200, referent_b=404, instructeur_42=403, instructeur_autre=404, national=403
        ),
        contenu=("Référent·es de {m.collectif_a.nom}", "{m.referent_a.email}", "{m.referent_b.email}"),
    ),
    Cas(
        "referent_inviter-post",
        _url("referent_inviter", "collectif_a"),
        attendu(
            anonyme=CONNEXION, referent_a=302, referent_b=404, instructeur_42=403, instructeur_autre=404, national=403
        ),
        methode="post",
        donnees={"email": "nouvelle.referente@exemple.fr"},
        suite=_url("referent_inviter", "collectif_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: InvitationReferent.objects.filter(email="nouvelle.referente@exemple.fr").exists(),
    ),
    Cas(
        "referent_inviter-collectif_b",
        _url("referent_inviter", "collectif_b"),
        attendu(
            anonyme=CONNEXION, referent_a=404, referent_b=200, instructeur_42=404, instructeur_autre=404, national=403
        ),
        contenu=("Référent·es de {m.collectif_b.nom}",),
    ),
    # --- An invitation link: whoever holds it sees it; only the invited address accepts it.
    Cas(
        "invitation",
        lambda m: reverse("collectifs:invitation", args=[m.invitation_b.jeton]),
        attendu(
            anonyme=CONNEXION, referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200
        ),
        contenu=("Invitation à rejoindre {m.collectif_a.nom}", "{m.referent_b.email}"),
    ),
    Cas(
        "invitation-post",
        lambda m: reverse("collectifs:invitation", args=[m.invitation_b.jeton]),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=302, instructeur_42=403, instructeur_autre=403, national=403
        ),
        methode="post",
        suite=lambda m: reverse("tableau_de_bord"),
        agissent=frozenset({"referent_b"}),
        fait=lambda m, role: m.collectif_a.referents.filter(pk=m.referent_b.pk).exists(),
    ),
    # --- The declaration page.
    Cas(
        "declaration_detail-brouillon",
        _url("declaration_detail", "brouillon_a"),
        BROUILLON_PRIVE,
        contenu=("Déclaration de {m.collectif_a.nom}", "Brouillon", "Continuer la déclaration"),
    ),
    Cas(
        "declaration_detail-brouillon_b",
        _url("declaration_detail", "brouillon_b"),
        attendu(
            anonyme=CONNEXION, referent_a=404, referent_b=200, instructeur_42=404, instructeur_autre=404, national=404
        ),
        contenu=("Déclaration de {m.collectif_b.nom}", "Une fête des voisins au Chambon."),
    ),
    Cas(
        "declaration_detail-deposee",
        _url("declaration_detail", "deposee_a"),
        DEPOSEE_VISIBLE,
        contenu={
            "referent_a": (
                "Déclaration de {m.collectif_a.nom}",
                "Déposée",
                "{m.recepisse_a.numero}",
                "Odile Marchand",
                "Retirer la déclaration",
            ),
            "instructeur_42": (
                "Déclaration de {m.collectif_a.nom}",
                "Déposée",
                "{m.recepisse_a.numero}",
                "Odile Marchand",
            ),
            "national": ("Déclaration de {m.collectif_a.nom}", "Déposée", "{m.recepisse_a.numero}", "Odile Marchand"),
        },
        absent={"instructeur_42": ("Retirer la déclaration",), "national": ("Retirer la déclaration",)},
    ),
    # --- The steps of the draft: private to the référents, and frozen once filed.
    *_etapes(),
    Cas(
        "etape_collectif-post",
        _url("etape_collectif", "brouillon_a"),
        ECRITURE_BROUILLON,
        methode="post",
        donnees=DONNEES_COLLECTIF,
        suite=_url("etape_membres", "brouillon_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: Collectif.objects.get(pk=m.collectif_a.pk).nom == "Collectif des Hauts de Montreynaud",
    ),
    Cas(
        "etape_membres-post",
        _url("etape_membres", "brouillon_a"),
        ECRITURE_BROUILLON,
        methode="post",
        donnees=DONNEES_MEMBRE,
        suite=lambda m: reverse("collectifs:etape_membres", args=[m.brouillon_a.pk]) + "#composition",
        agissent=REFERENT_A,
        fait=lambda m, role: Membre.objects.filter(collectif=m.collectif_a, nom="Ferrand").exists(),
    ),
    Cas(
        "etape_membres-post-deposee",
        _url("etape_membres", "deposee_a"),
        DEPOSEE_FIGEE,
        methode="post",
        donnees=DONNEES_MEMBRE,
        agissent=PERSONNE,
        fait=lambda m, role: Membre.objects.filter(nom="Ferrand").exists(),
    ),
    Cas(
        "etape_projet-post",
        _url("etape_projet", "brouillon_a"),
        ECRITURE_BROUILLON,
        methode="post",
        donnees=DONNEES_PROJET,
        suite=_url("etape_indicateurs", "brouillon_a"),
        agissent=REFERENT_A,
        fait=_projet_modifie("brouillon_a"),
    ),
    Cas(
        "etape_projet-post-deposee",
        _url("etape_projet", "deposee_a"),
        DEPOSEE_FIGEE,
        methode="post",
        donnees=DONNEES_PROJET,
        agissent=PERSONNE,
        fait=_projet_modifie("deposee_a"),
    ),
    Cas(
        "etape_indicateurs-post",
        _url("etape_indicateurs", "brouillon_a"),
        ECRITURE_BROUILLON,
        methode="post",
        donnees=DONNEES_INDICATEURS,
        suite=_url("etape_charte", "brouillon_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: Indicateur.objects.filter(declaration=m.brouillon_a).count() == 1,
    ),
    Cas(
        "etape_charte-post",
        _url("etape_charte", "brouillon_a"),
        ECRITURE_BROUILLON,
        methode="post",
        donnees={"accepte": "on", "continuer": "1"},
        suite=_url("etape_recapitulatif", "brouillon_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: _declaration(m, "brouillon_a").adhesion_charte is not None,
    ),
    Cas("etape_recapitulatif-post", _url("etape_recapitulatif", "brouillon_a"), POST_SEULEMENT, methode="post"),
    # --- One member's record.
    Cas(
        "membre_modifier",
        _url("membre_modifier", "brouillon_a", "membre_a"),
        BROUILLON_PRIVE,
        contenu=('value="Marchand"', 'value="Odile"', "Membre jusqu&#x27;au"),
    ),
    Cas(
        "membre_modifier-post",
        _url("membre_modifier", "brouillon_a", "membre_a"),
        ECRITURE_BROUILLON,
        methode="post",
        donnees={
            "college": "ELU_RESPONSABLE",
            "prenom": "Odile",
            "nom": "Marchand",
            "fonction": "Maire adjointe",
            "consentement": "on",
        },
        suite=_url("etape_membres", "brouillon_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: Membre.objects.get(pk=m.membre_a.pk).fonction == "Maire adjointe",
    ),
    Cas("membre_modifier-deposee", _url("membre_modifier", "deposee_a", "membre_a"), DEPOSEE_FIGEE),
    # --- Filing. Collectif A already filed in the open campaign, so its new draft is refused (422);
    #     the allowed filing is in test_deposer_matrice below.
    Cas(
        "deposer-brouillon",
        _url("deposer", "brouillon_a"),
        attendu(
            anonyme=CONNEXION, referent_a=422, referent_b=404, instructeur_42=404, instructeur_autre=404, national=404
        ),
        methode="post",
        contenu=(
            "La déclaration n'a pas pu être déposée",
            "Le collectif a déjà une déclaration déposée pour la campagne 2027.",
        ),
        agissent=PERSONNE,
        fait=lambda m, role: _declaration(m, "brouillon_a").etat != EtatDeclaration.BROUILLON,
    ),
    Cas(
        "deposer-deposee",
        _url("deposer", "deposee_a"),
        DEPOSEE_FIGEE,
        methode="post",
        agissent=PERSONNE,
        fait=lambda m, role: Document.objects.count() != 1,
    ),
    Cas("deposer-get", _url("deposer", "brouillon_a"), POST_SEULEMENT),
    # --- The récépissé: whoever sees the filed declaration downloads it; a draft has none.
    Cas("recepisse-deposee", _url("recepisse", "deposee_a"), DEPOSEE_VISIBLE, type_contenu=PDF),
    Cas(
        "recepisse-brouillon",
        _url("recepisse", "brouillon_a"),
        attendu(
            anonyme=CONNEXION, referent_a=404, referent_b=404, instructeur_42=404, instructeur_autre=404, national=404
        ),
    ),
    # --- Withdrawal: the référents of the collectif only, and only once filed.
    Cas(
        "retirer",
        _url("retirer", "deposee_a"),
        attendu(
            anonyme=CONNEXION, referent_a=200, referent_b=404, instructeur_42=403, instructeur_autre=404, national=403
        ),
        contenu=("Retirer la déclaration de {m.collectif_a.nom}", "Motif du retrait"),
    ),
    Cas(
        "retirer-post",
        _url("retirer", "deposee_a"),
        attendu(
            anonyme=CONNEXION, referent_a=302, referent_b=404, instructeur_42=403, instructeur_autre=404, national=403
        ),
        methode="post",
        donnees={"motif": "Le collectif s'est dissous."},
        suite=_url("declaration_detail", "deposee_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: _declaration(m, "deposee_a").etat == EtatDeclaration.RETIREE,
    ),
    Cas(
        "retirer-brouillon",
        _url("retirer", "brouillon_a"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=404, instructeur_42=404, instructeur_autre=404, national=404
        ),
    ),
    # --- The instruction list: instructeurs (their départements) and national staff; drafts never appear.
    Cas(
        "instruction",
        lambda m: reverse("collectifs:instruction"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=200, instructeur_autre=200, national=200
        ),
        contenu={
            "instructeur_42": ("<h1>Déclarations</h1>", "{m.collectif_a.nom}"),
            "instructeur_autre": ("<h1>Déclarations</h1>", "Aucune déclaration en cours pour l’instant."),
            "national": ("<h1>Déclarations</h1>", "{m.collectif_a.nom}"),
        },
        absent={
            "instructeur_42": ("{m.collectif_b.nom}",),
            "instructeur_autre": ("{m.collectif_a.nom}", "{m.collectif_b.nom}"),
            "national": ("{m.collectif_b.nom}",),
        },
    ),
]


@pytest.fixture
def monde(distribution) -> Monde:
    return construire_monde(distribution)


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


# --- Filing a ready draft (collectif A has not filed yet in this world) ------------------------------------

CAS_DEPOT = [
    Cas(
        "deposer-pret",
        _url("deposer", "brouillon_a"),
        ECRITURE_BROUILLON,
        methode="post",
        suite=_url("declaration_detail", "brouillon_a"),
        agissent=REFERENT_A,
        fait=lambda m, role: (
            _declaration(m, "brouillon_a").etat == EtatDeclaration.DEPOSEE
            and Document.objects.filter(object_id=m.brouillon_a.pk).exists()
        ),
    ),
]


@pytest.fixture
def monde_depot(distribution) -> Monde:
    return Monde(
        distribution=distribution,
        deposee_a=None,
        recepisse_a=None,
        brouillon_a=brouillon_pret(distribution.collectif_a),
        brouillon_b=None,
        membre_a=None,
        invitation_b=None,
    )


@pytest.mark.parametrize(("cas", "role"), matrice(CAS_DEPOT))
def test_deposer_matrice(cas, role, monde_depot, client):
    verifier(cas, role, monde_depot, client)


# --- Objects that do not exist, or do not belong together ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/declarations/999999/",
        "/declarations/999999/membres/",
        "/declarations/999999/recepisse.pdf",
        "/collectifs/999999/referents/",
        "/invitations/jeton-inconnu/",
    ],
)
def test_objet_inexistant_404(url, monde, client):
    client.force_login(monde.referent_a)
    assert client.get(url).status_code == 404


def test_membre_d_un_autre_collectif_404(monde, client):
    """The member must belong to the draft's collectif, even for a référent of both."""
    membre_b = membre(monde.collectif_b, "HABITANT", "Paul", "Rivière")
    monde.collectif_b.referents.add(monde.referent_a)
    client.force_login(monde.referent_a)
    url = reverse("collectifs:membre_modifier", args=[monde.brouillon_a.pk, membre_b.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"college": "HABITANT", "prenom": "Paul", "nom": "Changé", "consentement": "on"}).status_code
        == 404
    )
    assert Membre.objects.get(pk=membre_b.pk).nom == "Rivière"


def test_invitation_deja_acceptee_404(monde, client):
    client.force_login(monde.referent_b)
    url = reverse("collectifs:invitation", args=[monde.invitation_b.jeton])
    assert client.post(url).status_code == 302
    assert client.get(url).status_code == 404


# --- CSRF is really enforced outside the test client ----------------------------------------------------------


@pytest.mark.parametrize(
    "cas_nom", ["retirer-post", "etape_projet-post", "etape_membres-post", "referent_inviter-post"]
)
def test_post_sans_jeton_csrf_refuse(cas_nom, monde):
    cas = next(c for c in CAS if c.nom == cas_nom)
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.referent_a)
    reponse = client.post(cas.url(monde), cas.donnees)
    assert reponse.status_code == 403
    assert cas.fait is not None and cas.fait(monde, "referent_a") is False
