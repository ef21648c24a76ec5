"""Every URL of comptes/urls.py, for every role (SPEC §9): the account pages need a login, except the
login, sign-up and forgotten-password pages; POST-only actions refuse GET. The flows themselves are tested in
test_mot_de_passe.py and test_mon_compte.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from comptes.models import User
from tests.comptes.factories import MOT_DE_PASSE
from tests.vues import CONNECTES, CONNEXION, ROLES, Cas, attendu, construire_monde, matrice, verifier

TOUS_200 = attendu(anonyme=200, referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200)
CONNECTE_200 = attendu(
    anonyme=CONNEXION, referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200
)
CONNECTE_302 = attendu(
    anonyme=CONNEXION, referent_a=302, referent_b=302, instructeur_42=302, instructeur_autre=302, national=302
)
POST_SEULEMENT = attendu(
    anonyme=CONNEXION, referent_a=405, referent_b=405, instructeur_42=405, instructeur_autre=405, national=405
)
ROLES_CONNECTES = [r for r in ROLES if r != "anonyme"]


def _jetons_pour_tous(m) -> None:
    for role in ROLES_CONNECTES:
        Token.objects.create(user=m.utilisateur(role))


def _url(nom: str):
    return lambda m: reverse(f"comptes:{nom}")


CAS = [
    Cas(
        "connexion",
        _url("connexion"),
        attendu(anonyme=200, referent_a=302, referent_b=302, instructeur_42=302, instructeur_autre=302, national=302),
        contenu={"anonyme": ("Adresse électronique", "Mot de passe", "Se connecter")},
        suite=lambda m: reverse("tableau_de_bord"),
    ),
    Cas(
        "connexion-post",
        _url("connexion"),
        attendu(anonyme=302, referent_a=302, referent_b=302, instructeur_42=302, instructeur_autre=302, national=302),
        methode="post",
        # The e-mail is the identifier, whatever its case.
        donnees={"username": "REFERENTE.A@Exemple.fr", "password": MOT_DE_PASSE},
        suite=lambda m: reverse("tableau_de_bord"),
    ),
    Cas("deconnexion", _url("deconnexion"), POST_SEULEMENT),
    Cas("deconnexion-post", _url("deconnexion"), CONNECTE_302, methode="post", suite=lambda m: reverse("accueil")),
    # A signed-in person is sent to the dashboard: signing up again would silently switch accounts.
    Cas(
        "inscription",
        _url("inscription"),
        attendu(anonyme=200, referent_a=302, referent_b=302, instructeur_42=302, instructeur_autre=302, national=302),
        contenu={"anonyme": ("Créer un compte", "Confirmation du mot de passe")},
        suite=lambda m: reverse("tableau_de_bord"),
    ),
    Cas(
        "inscription-post",
        _url("inscription"),
        attendu(anonyme=302, referent_a=302, referent_b=302, instructeur_42=302, instructeur_autre=302, national=302),
        methode="post",
        donnees={
            "email": "Nouvelle.Personne@Exemple.fr",
            "prenom": "Nadia",
            "nom": "Bouvier",
            "password1": "une phrase de passe solide",
            "password2": "une phrase de passe solide",
        },
        suite=lambda m: reverse("tableau_de_bord"),
        agissent=frozenset({"anonyme"}),
        fait=lambda m, role: User.objects.filter(email="nouvelle.personne@exemple.fr").exists(),
    ),
    Cas(
        "tableau_de_bord",
        lambda m: reverse("tableau_de_bord"),
        CONNECTE_200,
        contenu={
            "referent_a": ("Mes collectifs", "{m.collectif_a.nom}", "Déposée", "Continuer<span"),
            "referent_b": ("Mes collectifs", "{m.collectif_b.nom}", "Continuer<span"),
            "instructeur_42": (
                "Tâches d'instruction",
                "Instruction — Loire (42)",
                "Campagne 2027 — Loire",
            ),
            "instructeur_autre": ("Tâches d'instruction", "Instruction — Rhône (69)"),
            "national": ("Pilotage national", "Campagne 2027 — Loire"),
        },
        absent={
            "referent_a": ("{m.collectif_b.nom}", "Tâches d'instruction"),
            "referent_b": ("{m.collectif_a.nom}", "Tâches d'instruction"),
            "instructeur_42": ("{m.collectif_a.nom}",),
            "instructeur_autre": ("Campagne 2027 — Loire", "{m.collectif_a.nom}"),
            "national": ("{m.collectif_a.nom}",),
        },
    ),
    Cas(
        "compte",
        _url("compte"),
        CONNECTE_200,
        contenu={
            role: ("Mon compte", f"{{m.{role}.email}}", "Vous n'avez pas de jeton actif.") for role in ROLES_CONNECTES
        },
    ),
    Cas("identite", _url("identite"), CONNECTE_200, contenu=dict.fromkeys(ROLES_CONNECTES, ("Modifier mon nom",))),
    Cas(
        "mot_de_passe_changer",
        _url("mot_de_passe_changer"),
        CONNECTE_200,
        contenu=dict.fromkeys(ROLES_CONNECTES, ("Mot de passe actuel", "Nouveau mot de passe")),
    ),
    Cas(
        "email_changer",
        _url("email_changer"),
        CONNECTE_200,
        contenu={role: (f"{{m.{role}.email}}", "Nouvelle adresse électronique") for role in ROLES_CONNECTES},
    ),
    # Forgotten password: public, and the same for everyone.
    Cas("mot_de_passe_oublie", _url("mot_de_passe_oublie"), TOUS_200, contenu=("Recevoir un lien",)),
    Cas(
        "mot_de_passe_oublie_envoye",
        _url("mot_de_passe_oublie_envoye"),
        TOUS_200,
        contenu=("Si un compte existe avec l'adresse indiquée",),
    ),
    Cas("mot_de_passe_reinitialise", _url("mot_de_passe_reinitialise"), TOUS_200, contenu=("Mot de passe modifié",)),
    Cas(
        "mot_de_passe_nouveau-lien-invalide",
        lambda m: reverse("comptes:mot_de_passe_nouveau", args=["MQ", "jeton-invalide"]),
        TOUS_200,
        contenu=("Lien expiré ou déjà utilisé",),
    ),
    Cas(
        "jeton_creer-post",
        _url("jeton_creer"),
        CONNECTE_200,
        methode="post",
        contenu=('<code id="jeton">', "Régénérer le jeton"),
        agissent=CONNECTES,
        fait=lambda m, role: Token.objects.filter(user=m.utilisateur(role)).exists(),
    ),
    Cas("jeton_creer", _url("jeton_creer"), POST_SEULEMENT),
    Cas(
        "jeton_revoquer-post",
        _url("jeton_revoquer"),
        CONNECTE_302,
        methode="post",
        avant=_jetons_pour_tous,
        suite=_url("compte"),
        agissent=CONNECTES,
        # Only the user's own token goes.
        fait=lambda m, role: Token.objects.count() == 4 and not Token.objects.filter(user=m.utilisateur(role)).exists(),
    ),
    Cas("jeton_revoquer", _url("jeton_revoquer"), POST_SEULEMENT),
]


@pytest.fixture
def monde(distribution):
    return construire_monde(distribution)


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_connexion_ouvre_la_session_du_bon_compte(monde, client):
    reponse = client.post(
        reverse("comptes:connexion"), {"username": "referente.a@exemple.fr", "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(monde.referent_a.pk)


def test_connexion_refusee_message_en_francais(monde, client):
    reponse = client.post(reverse("comptes:connexion"), {"username": "referente.a@exemple.fr", "password": "faux"})
    assert reponse.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_connexion_revient_a_la_page_demandee(monde, client):
    suivante = reverse("instances:declaration_detail", args=[monde.deposee_a.pk])
    reponse = client.post(
        f"{reverse('comptes:connexion')}?next={suivante}",
        {"username": "referente.a@exemple.fr", "password": MOT_DE_PASSE},
    )
    assert reponse["Location"] == suivante


def test_deconnexion_ferme_la_session(monde, client):
    client.force_login(monde.referent_a)
    client.post(reverse("comptes:deconnexion"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("comptes:compte"))["Location"].startswith(reverse("comptes:connexion"))


def test_jeton_affiche_est_celui_enregistre(monde, client):
    client.force_login(monde.instructeur_42)
    reponse = client.post(reverse("comptes:jeton_creer"))
    jeton = Token.objects.get(user=monde.instructeur_42)
    assert f'<code id="jeton">{jeton.key}</code>' in reponse.content.decode()
    # Regenerating replaces it: the old key stops working.
    client.post(reverse("comptes:jeton_creer"))
    assert not Token.objects.filter(key=jeton.key).exists()
    assert Token.objects.filter(user=monde.instructeur_42).count() == 1


def test_jeton_creer_sans_jeton_csrf_refuse(monde):
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.national)
    assert client.post(reverse("comptes:jeton_creer")).status_code == 403
    assert not Token.objects.filter(user=monde.national).exists()
