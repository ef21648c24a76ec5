"""Forgotten password, end to end: the login page links to it, the e-mail's link sets a new password (the old one
stops working), the link works once and expires, and the pages say nothing about whether an address has an
account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.comptes.factories import MOT_DE_PASSE, UserFactory

CONNEXION = reverse("comptes:connexion")
OUBLIE = reverse("comptes:mot_de_passe_oublie")
ENVOYE = reverse("comptes:mot_de_passe_oublie_envoye")
REINITIALISE = reverse("comptes:mot_de_passe_reinitialise")
NOUVEAU = "une toute nouvelle phrase de passe"
LIEN = re.compile(re.escape(settings.SITE_URL) + r"(/compte/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def camille(db):
    return UserFactory(email="camille.martin@exemple.fr")


def _demander(client, email: str):
    return client.post(OUBLIE, {"email": email})


def _lien(message) -> str:
    trouve = LIEN.search(message.body)
    assert trouve, message.body
    return trouve.group(1)


def _choisir(client, lien: str, mot_de_passe: str = NOUVEAU):
    """Open the e-mail's link (Django moves the token into the session, then redirects) and post the form."""
    ouverture = client.get(lien, follow=True)
    assert ouverture.status_code == 200
    formulaire = ouverture.redirect_chain[-1][0] if ouverture.redirect_chain else lien
    return ouverture, client.post(formulaire, {"new_password1": mot_de_passe, "new_password2": mot_de_passe})


def _se_connecte(email: str, mot_de_passe: str) -> bool:
    client = Client()
    client.post(CONNEXION, {"username": email, "password": mot_de_passe})
    return "_auth_user_id" in client.session


def test_la_page_de_connexion_propose_mot_de_passe_oublie(client, db):
    page = client.get(CONNEXION).content.decode()
    assert f'href="{OUBLIE}">Mot de passe oublié ?</a>' in page


@pytest.mark.parametrize("url", [OUBLIE, ENVOYE, REINITIALISE])
def test_pages_publiques(client, db, url):
    reponse = client.get(url)
    assert reponse.status_code == 200


def test_reinitialisation_de_bout_en_bout(client, camille, mailoutbox):
    reponse = _demander(client, " Camille.Martin@Exemple.fr ")
    assert reponse.status_code == 302
    assert reponse["Location"] == ENVOYE
    assert len(mailoutbox) == 1
    courriel = mailoutbox[0]
    assert courriel.to == ["camille.martin@exemple.fr"]
    assert courriel.subject == "Choisir un nouveau mot de passe sur Collectifs DS"
    assert "Ce lien est valable 3 jours et ne sert qu'une fois." in courriel.body

    ouverture, reponse = _choisir(client, _lien(courriel))
    assert "Choisir un nouveau mot de passe" in ouverture.content.decode()
    assert reponse.status_code == 302
    assert reponse["Location"] == REINITIALISE
    assert "L'ancien ne fonctionne plus." in client.get(REINITIALISE).content.decode()

    assert _se_connecte("camille.martin@exemple.fr", NOUVEAU)
    assert not _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)


@pytest.mark.parametrize("meme_navigateur", [True, False])
def test_le_lien_ne_sert_qu_une_fois(client, camille, mailoutbox, meme_navigateur):
    _demander(client, "camille.martin@exemple.fr")
    lien = _lien(mailoutbox[0])
    _choisir(client, lien)

    autre = client if meme_navigateur else Client()
    ouverture, reponse = _choisir(autre, lien, "encore une autre phrase de passe")
    assert "Lien expiré ou déjà utilisé" in ouverture.content.decode()
    assert "Lien expiré ou déjà utilisé" in reponse.content.decode()
    assert _se_connecte("camille.martin@exemple.fr", NOUVEAU)
    assert not _se_connecte("camille.martin@exemple.fr", "encore une autre phrase de passe")


def test_le_lien_expire(client, camille, mailoutbox):
    depart = timezone.now()
    with time_machine.travel(depart, tick=False):
        _demander(client, "camille.martin@exemple.fr")
    lien = _lien(mailoutbox[0])

    with time_machine.travel(depart + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1), tick=False):
        ouverture, _ = _choisir(client, lien)
    assert "Lien expiré ou déjà utilisé" in ouverture.content.decode()
    assert f'href="{OUBLIE}"' in ouverture.content.decode()
    assert not _se_connecte("camille.martin@exemple.fr", NOUVEAU)
    assert _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)


def test_le_lien_fonctionne_jusqu_a_son_terme(client, camille, mailoutbox):
    depart = timezone.now()
    with time_machine.travel(depart, tick=False):
        _demander(client, "camille.martin@exemple.fr")
    with time_machine.travel(depart + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60), tick=False):
        _, reponse = _choisir(client, _lien(mailoutbox[0]))
    assert reponse["Location"] == REINITIALISE


def test_adresse_inconnue_meme_reponse(client, camille, mailoutbox):
    connue = _demander(client, "camille.martin@exemple.fr")
    page_connue = client.get(connue["Location"]).content.decode()
    inconnue = Client().post(OUBLIE, {"email": "personne@exemple.fr"})
    page_inconnue = Client().get(inconnue["Location"]).content.decode()

    assert (inconnue.status_code, inconnue["Location"]) == (connue.status_code, connue["Location"])
    assert page_inconnue == page_connue
    assert "Si un compte existe avec l'adresse indiquée" in page_inconnue
    assert [m.to for m in mailoutbox] == [["camille.martin@exemple.fr"]]


def test_compte_desactive_ne_recoit_rien(client, db, mailoutbox):
    UserFactory(email="partie@exemple.fr", is_active=False)
    reponse = _demander(client, "partie@exemple.fr")
    assert reponse["Location"] == ENVOYE
    assert mailoutbox == []


def test_le_lien_ne_depend_pas_de_l_en_tete_host(client, camille, mailoutbox, settings):
    settings.ALLOWED_HOSTS = ["testserver", "piege.exemple"]
    client.post(OUBLIE, {"email": "camille.martin@exemple.fr"}, HTTP_HOST="piege.exemple")
    assert "piege.exemple" not in mailoutbox[0].body
    assert _lien(mailoutbox[0])


def test_adresse_mal_formee_erreur_en_francais(client, db, mailoutbox):
    reponse = _demander(client, "pas-une-adresse")
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["email"] == ["Saisissez une adresse e-mail valide."]
    assert mailoutbox == []


def test_mot_de_passe_trop_faible_refuse_a_cote_du_champ(client, camille, mailoutbox):
    _demander(client, "camille.martin@exemple.fr")
    _, reponse = _choisir(client, _lien(mailoutbox[0]), "12345")
    assert reponse.status_code == 200
    erreurs = reponse.context["form"].errors
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères." in erreurs["new_password1"]
    assert "Ce mot de passe est entièrement numérique." in erreurs["new_password1"]
    assert _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)


def test_confirmation_differente_refusee(client, camille, mailoutbox):
    _demander(client, "camille.martin@exemple.fr")
    ouverture = client.get(_lien(mailoutbox[0]), follow=True)
    reponse = client.post(
        ouverture.redirect_chain[-1][0], {"new_password1": NOUVEAU, "new_password2": "une autre phrase de passe"}
    )
    assert reponse.context["form"].errors["new_password2"] == ["Les deux mots de passe ne sont pas identiques."]


def test_la_reinitialisation_leve_le_blocage_de_connexion(client, camille, mailoutbox):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(CONNEXION, {"username": "camille.martin@exemple.fr", "password": "pas-le-bon"})
    assert not _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)  # locked out, even with the right one

    _demander(client, "camille.martin@exemple.fr")
    _choisir(client, _lien(mailoutbox[0]))
    assert _se_connecte("camille.martin@exemple.fr", NOUVEAU)


def test_pas_plus_de_trois_courriels_par_heure(client, camille, mailoutbox):
    depart = timezone.now()
    with time_machine.travel(depart, tick=False):
        pages = {_demander(Client(), "camille.martin@exemple.fr")["Location"] for _ in range(5)}
    assert pages == {ENVOYE}  # the visitor is told the same thing
    assert len(mailoutbox) == 3
    with time_machine.travel(depart + timedelta(hours=1, minutes=1), tick=False):
        _demander(client, "camille.martin@exemple.fr")
    assert len(mailoutbox) == 4
