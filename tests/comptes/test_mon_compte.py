"""« Mon compte »: a person changes their own name, password and e-mail address (the new address is confirmed by
a link that works once and expires, the old one is told), and the API token sits in a section for developers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from tests.comptes.factories import MOT_DE_PASSE, UserFactory
from tests.vues import url_connexion

COMPTE = reverse("comptes:compte")
IDENTITE = reverse("comptes:identite")
MOT_DE_PASSE_CHANGER = reverse("comptes:mot_de_passe_changer")
EMAIL_CHANGER = reverse("comptes:email_changer")
CONNEXION = reverse("comptes:connexion")
NOUVEAU = "une toute nouvelle phrase de passe"
LIEN = re.compile(re.escape(settings.SITE_URL) + r"(/compte/adresse/confirmer/[^/\s]+/)")


@pytest.fixture
def camille(db):
    return UserFactory(email="camille.martin@exemple.fr", prenom="Camille", nom="Martin")


@pytest.fixture
def connectee(client, camille):
    client.force_login(camille)
    return client


def _se_connecte(email: str, mot_de_passe: str) -> bool:
    client = Client()
    client.post(CONNEXION, {"username": email, "password": mot_de_passe})
    return "_auth_user_id" in client.session


# --- Who may open the pages. ---


@pytest.mark.parametrize(
    "url", [COMPTE, IDENTITE, MOT_DE_PASSE_CHANGER, EMAIL_CHANGER, reverse("comptes:email_confirmer", args=["x"])]
)
def test_anonyme_renvoye_a_la_connexion(client, db, url):
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse["Location"] == url_connexion(url)


# --- The account page. ---


def test_page_compte_liens_et_section_api_en_clair(connectee):
    page = connectee.get(COMPTE).content.decode()
    for lien in (IDENTITE, MOT_DE_PASSE_CHANGER, EMAIL_CHANGER):
        assert f'href="{lien}"' in page
    assert "Camille Martin" in page
    assert "Authorization" not in page
    section_api = page.index("Accès à l'API (pour les développeur·ses)</h2>")
    assert page.index("<h2>Vos informations</h2>") < section_api
    assert page.index("Vous n'avez pas de jeton actif.") > section_api


def test_aucune_page_ne_renvoie_vers_la_documentation_swagger(connectee):
    """Swagger UI (/api/v1/docs/, a third-party page in English) fails axe (contrast, nested controls, no lang):
    the app's pages do not link it; « Mon compte » gives developers the OpenAPI schema file instead."""
    for url in (COMPTE, reverse("accueil"), reverse("tableau_de_bord")):
        assert "/api/v1/docs/" not in connectee.get(url).content.decode(), url
    page = connectee.get(COMPTE).content.decode()
    assert f'href="{reverse("api-schema")}"' in page
    assert connectee.get(reverse("api-schema")).status_code == 200


# --- Name. ---


def test_changer_de_nom(connectee, camille):
    assert 'value="Camille"' in connectee.get(IDENTITE).content.decode()
    reponse = connectee.post(IDENTITE, {"prenom": " Camille-Rose ", "nom": "Martin-Diallo"})
    assert reponse.status_code == 302
    assert reponse["Location"] == COMPTE
    camille.refresh_from_db()
    assert (camille.prenom, camille.nom) == ("Camille-Rose", "Martin-Diallo")
    assert "Votre nom est modifié." in connectee.get(COMPTE).content.decode()


def test_nom_obligatoire(connectee, camille):
    reponse = connectee.post(IDENTITE, {"prenom": "", "nom": "Martin"})
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["prenom"] == ["Ce champ est obligatoire."]
    camille.refresh_from_db()
    assert camille.prenom == "Camille"


# --- Password. ---


def test_changer_de_mot_de_passe_garde_la_session(connectee, camille):
    autre_appareil = Client()
    autre_appareil.force_login(camille)

    reponse = connectee.post(
        MOT_DE_PASSE_CHANGER,
        {"mot_de_passe_actuel": MOT_DE_PASSE, "new_password1": NOUVEAU, "new_password2": NOUVEAU},
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == COMPTE
    page = connectee.get(COMPTE)
    assert page.status_code == 200
    assert "Votre mot de passe est modifié." in page.content.decode()
    # The other sessions end.
    assert autre_appareil.get(COMPTE).status_code == 302
    assert _se_connecte("camille.martin@exemple.fr", NOUVEAU)
    assert not _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)


def test_mauvais_mot_de_passe_actuel_refuse_a_cote_du_champ(connectee, camille):
    reponse = connectee.post(
        MOT_DE_PASSE_CHANGER,
        {"mot_de_passe_actuel": "pas-le-bon", "new_password1": NOUVEAU, "new_password2": NOUVEAU},
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["mot_de_passe_actuel"] == ["Ce n'est pas votre mot de passe actuel."]
    assert "Mot de passe actuel : Ce n&#x27;est pas votre mot de passe actuel." in reponse.content.decode()
    assert _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)


def test_nouveau_mot_de_passe_valide_par_django(connectee):
    reponse = connectee.post(
        MOT_DE_PASSE_CHANGER,
        {"mot_de_passe_actuel": MOT_DE_PASSE, "new_password1": "camille.martin", "new_password2": "camille.martin"},
    )
    assert reponse.status_code == 200
    (erreur,) = reponse.context["form"].errors["new_password1"]
    assert erreur.replace("\xa0", " ") == "Le mot de passe est trop semblable au champ « adresse électronique »."
    assert _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)


# --- E-mail address. ---


def _demander(client, nouvel_email="camille.rose@exemple.org", mot_de_passe=MOT_DE_PASSE):
    return client.post(EMAIL_CHANGER, {"nouvel_email": nouvel_email, "mot_de_passe": mot_de_passe})


def _lien(mailoutbox) -> str:
    (message,) = [m for m in mailoutbox if m.subject == "Confirmez votre nouvelle adresse électronique"]
    trouve = LIEN.search(message.body)
    assert trouve, message.body
    return trouve.group(1)


def test_changer_d_adresse_de_bout_en_bout(connectee, camille, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _demander(connectee, " Camille.Rose@Exemple.org ")
    assert reponse.status_code == 302
    assert reponse["Location"] == COMPTE
    camille.refresh_from_db()
    assert camille.email == "camille.martin@exemple.fr"  # nothing changes before the link is opened

    par_adresse = {tuple(m.to): m for m in mailoutbox}
    assert set(par_adresse) == {("camille.rose@exemple.org",), ("camille.martin@exemple.fr",)}
    prevenue = par_adresse[("camille.martin@exemple.fr",)]
    assert prevenue.subject == "Demande de changement de votre adresse électronique"
    assert "camille.rose@exemple.org" in prevenue.body
    assert "/compte/adresse/confirmer/" not in prevenue.body  # only the new address gets the link

    lien = _lien(mailoutbox)
    apercu = connectee.get(lien)
    assert apercu.status_code == 200
    assert "Confirmer ma nouvelle adresse" in apercu.content.decode()
    camille.refresh_from_db()
    assert camille.email == "camille.martin@exemple.fr"  # opening the link (a mail scanner, say) changes nothing

    reponse = connectee.post(lien)
    assert reponse["Location"] == COMPTE
    camille.refresh_from_db()
    assert camille.email == "camille.rose@exemple.org"
    assert _se_connecte("camille.rose@exemple.org", MOT_DE_PASSE)
    assert not _se_connecte("camille.martin@exemple.fr", MOT_DE_PASSE)

    # The link works once.
    encore = connectee.post(lien)
    assert encore.status_code == 400
    assert "il a déjà servi" in encore.content.decode()


def test_lien_d_adresse_expire(connectee, camille, mailoutbox, django_capture_on_commit_callbacks):
    depart = timezone.now()
    with time_machine.travel(depart, tick=False), django_capture_on_commit_callbacks(execute=True):
        _demander(connectee)
    lien = _lien(mailoutbox)
    with time_machine.travel(depart + timedelta(days=3, minutes=-1), tick=False):
        assert connectee.get(lien).status_code == 200
    with time_machine.travel(depart + timedelta(days=3, minutes=1), tick=False):
        reponse = connectee.post(lien)
    assert reponse.status_code == 400
    assert "Ce lien a expiré" in reponse.content.decode()
    camille.refresh_from_db()
    assert camille.email == "camille.martin@exemple.fr"


def test_lien_d_adresse_pour_un_autre_compte(client, camille, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(camille)
    with django_capture_on_commit_callbacks(execute=True):
        _demander(client)
    autre = Client()
    autre.force_login(UserFactory(email="dominique@exemple.fr"))
    reponse = autre.post(_lien(mailoutbox))
    assert reponse.status_code == 400
    assert "Ce lien a été envoyé pour un autre compte" in reponse.content.decode()
    assert User.objects.filter(email="camille.rose@exemple.org").count() == 0


def test_lien_d_adresse_modifie_refuse(connectee, camille, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _demander(connectee)
    lien = _lien(mailoutbox)
    reponse = connectee.post(lien[:-3] + "A/")
    assert reponse.status_code == 400
    camille.refresh_from_db()
    assert camille.email == "camille.martin@exemple.fr"


def test_adresse_prise_entre_la_demande_et_la_confirmation(
    connectee, camille, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _demander(connectee)
    UserFactory(email="camille.rose@exemple.org")
    reponse = connectee.post(_lien(mailoutbox))
    assert reponse.status_code == 400
    assert "Cette adresse est déjà celle d&#x27;un autre compte." in reponse.content.decode()
    camille.refresh_from_db()
    assert camille.email == "camille.martin@exemple.fr"


@pytest.mark.parametrize(
    ("donnees", "champ", "message"),
    [
        ({"nouvel_email": "Dominique@Exemple.fr"}, "nouvel_email", "Cette adresse est déjà celle d'un autre compte."),
        ({"nouvel_email": "Camille.Martin@exemple.fr"}, "nouvel_email", "C'est déjà votre adresse actuelle."),
        ({"nouvel_email": "pas-une-adresse"}, "nouvel_email", "Saisissez une adresse e-mail valide."),
        ({"mot_de_passe": "pas-le-bon"}, "mot_de_passe", "Ce n'est pas votre mot de passe actuel."),
    ],
)
def test_demande_d_adresse_refusee(
    connectee, camille, mailoutbox, django_capture_on_commit_callbacks, donnees, champ, message
):
    UserFactory(email="dominique@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _demander(connectee, **donnees)
    assert reponse.status_code == 200
    assert reponse.context["form"].errors[champ] == [message]
    assert mailoutbox == []
