"""Accounts: the e-mail is the identifier (case-insensitive), lockout after repeated failures, sign-up in
French, and the personal API token."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from comptes.models import User
from comptes.services import jeton_creer, jeton_revoquer
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

CONNEXION = reverse("comptes:connexion")
INSCRIPTION = reverse("comptes:inscription")


@pytest.fixture
def camille(db):
    return UserFactory(email="camille.martin@exemple.fr")


def _connecte(client) -> int | None:
    identifiant = client.session.get("_auth_user_id")
    return int(identifiant) if identifiant is not None else None


def _connexion(client, email, mot_de_passe=MOT_DE_PASSE):
    return client.post(CONNEXION, {"username": email, "password": mot_de_passe})


# --- Login by e-mail, case-insensitive. ---


@pytest.mark.parametrize(
    "email",
    [
        "camille.martin@exemple.fr",
        "Camille.Martin@exemple.fr",
        "CAMILLE.MARTIN@EXEMPLE.FR",
        " camille.martin@Exemple.fr ",
    ],
)
def test_connexion_par_courriel_quelle_que_soit_la_casse(client, camille, email):
    reponse = _connexion(client, email)

    assert reponse.status_code == 302
    assert reponse.url == reverse("tableau_de_bord")
    assert _connecte(client) == camille.pk


def test_mauvais_mot_de_passe(client, camille):
    reponse = _connexion(client, "camille.martin@exemple.fr", "pas-le-bon-mot-de-passe")

    assert reponse.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in reponse.content.decode()
    assert _connecte(client) is None


def test_l_adresse_est_enregistree_en_minuscules(db):
    user = User.objects.create_user(email=" Dominique.Roux@Exemple.FR ", password=MOT_DE_PASSE)

    assert user.email == "dominique.roux@exemple.fr"
    assert User.objects.get_by_natural_key("DOMINIQUE.ROUX@exemple.fr") == user


# --- One account per e-mail, whatever the case. ---


def _inscription(client, **valeurs):
    donnees = {
        "email": "nouvelle.personne@exemple.fr",
        "prenom": "Camille",
        "nom": "Martin",
        "password1": "une-phrase-de-passe-solide",
        "password2": "une-phrase-de-passe-solide",
    }
    return client.post(INSCRIPTION, donnees | valeurs)


def test_inscription(client, db):
    reponse = _inscription(client, email="Nouvelle.Personne@Exemple.fr")

    assert reponse.status_code == 302
    user = User.objects.get()
    assert (user.email, user.prenom, user.nom) == ("nouvelle.personne@exemple.fr", "Camille", "Martin")
    assert user.check_password("une-phrase-de-passe-solide")
    assert not user.est_equipe_nationale and not user.is_staff
    assert _connecte(client) == user.pk


@pytest.mark.parametrize("email", ["camille.martin@exemple.fr", "Camille.MARTIN@exemple.fr"])
def test_inscription_refusee_pour_une_adresse_existante(client, camille, email):
    reponse = _inscription(client, email=email)

    assert reponse.status_code == 200
    assert reponse.context["form"].errors["email"] == ["Un compte existe déjà avec cette adresse : connectez-vous."]
    assert User.objects.count() == 1


def test_la_base_refuse_une_adresse_existante_dans_une_autre_casse(camille):
    # bulk_create skips User.save() and its lower-casing: only the database constraint is left.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Camille.Martin@exemple.fr")])

    assert User.objects.count() == 1


# --- django-axes: locked after AXES_FAILURE_LIMIT failures. ---


def test_la_limite_est_de_cinq_echecs():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_verrouillage_apres_cinq_echecs(client, camille):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _connexion(client, camille.email, "mauvais-mot-de-passe").status_code == 200
    assert _connexion(client, camille.email, "mauvais-mot-de-passe").status_code == 429  # the 5th locks

    reponse = _connexion(client, camille.email)  # the right password, the 6th time

    assert reponse.status_code == 429
    assert "Connexion temporairement bloquée" in reponse.content.decode()
    assert _connecte(client) is None


def test_quatre_echecs_ne_verrouillent_pas(client, camille):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _connexion(client, camille.email, "mauvais-mot-de-passe")

    reponse = _connexion(client, camille.email)

    assert reponse.status_code == 302
    assert _connecte(client) == camille.pk


def test_le_verrouillage_ne_se_contourne_pas_en_changeant_la_casse(client, camille):
    for email in ["camille.martin@exemple.fr", "Camille.martin@exemple.fr", "CAMILLE.martin@exemple.fr",
                  "camille.MARTIN@exemple.fr", "camille.martin@EXEMPLE.fr"]:  # fmt: skip
        _connexion(client, email, "mauvais-mot-de-passe")

    reponse = _connexion(client, "Camille.Martin@Exemple.FR")

    assert reponse.status_code == 429
    assert _connecte(client) is None


# --- Sign-up errors: in French, next to their field, typed values kept. ---


def test_erreurs_d_inscription_en_francais_pres_des_champs(client, db):
    reponse = _inscription(
        client, email="pas-une-adresse", prenom="Dominique", nom="", password1="azerty", password2="qwerty"
    )

    assert reponse.status_code == 200
    assert not User.objects.exists()
    erreurs = reponse.context["form"].errors
    assert erreurs["email"] == ["Saisissez une adresse e-mail valide."]
    assert erreurs["nom"] == ["Ce champ est obligatoire."]
    assert erreurs["password2"] == ["Les deux mots de passe ne sont pas identiques."]

    html = reponse.content.decode()
    for champ, message in [
        ("email", "Saisissez une adresse e-mail valide."),
        ("nom", "Ce champ est obligatoire."),
        ("password2", "Les deux mots de passe ne sont pas identiques."),
    ]:
        # The message follows its own input, before the next field starts.
        debut = html.index(f'name="{champ}"')
        suite = html.find('name="', debut + 1)
        assert message in html[debut:suite], champ
    # What was typed is kept (passwords excepted).
    assert 'value="pas-une-adresse"' in html
    assert 'value="Dominique"' in html
    assert "azerty" not in html


def test_mot_de_passe_trop_faible_refuse_en_francais(client, db):
    reponse = _inscription(client, password1="12345678", password2="12345678")

    messages = reponse.context["form"].errors["password1"]
    assert any("trop court" in m for m in messages), messages
    assert any("entièrement numérique" in m for m in messages), messages
    assert not User.objects.exists()


# --- Personal API token. ---


def _authentifie(cle: str):
    return TokenAuthentication().authenticate_credentials(cle)[0]


def test_jeton_creer(camille):
    jeton = jeton_creer(acteur=camille)

    assert Token.objects.get(user=camille) == jeton
    assert _authentifie(jeton.key) == camille


def test_jeton_regenerer(camille):
    ancien = jeton_creer(acteur=camille)
    nouveau = jeton_creer(acteur=camille)

    assert nouveau.key != ancien.key
    assert list(Token.objects.filter(user=camille)) == [nouveau]
    assert _authentifie(nouveau.key) == camille
    with pytest.raises(AuthenticationFailed):
        _authentifie(ancien.key)


def test_jeton_revoquer(camille):
    jeton = jeton_creer(acteur=camille)

    assert jeton_revoquer(acteur=camille) == 1
    assert not Token.objects.filter(user=camille).exists()
    with pytest.raises(AuthenticationFailed):
        _authentifie(jeton.key)
    assert jeton_revoquer(acteur=camille) == 0


def test_le_jeton_d_une_personne_ne_touche_pas_celui_d_une_autre(camille):
    autre = UserFactory()
    jeton_autre = jeton_creer(acteur=autre)

    jeton_creer(acteur=camille)
    jeton_revoquer(acteur=camille)

    assert _authentifie(jeton_autre.key) == autre


def test_un_visiteur_anonyme_ne_gere_aucun_jeton(db):
    with pytest.raises(PermissionDenied):
        jeton_creer(acteur=AnonymousUser())
    with pytest.raises(PermissionDenied):
        jeton_revoquer(acteur=AnonymousUser())
