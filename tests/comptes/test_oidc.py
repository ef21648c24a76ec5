"""ProConnect for agents (issue 12, part 4), against a local fake OpenID provider (tests/comptes/faux_fournisseur.py).

The flow: the button's view redirects to the provider's /authorize, called here with `requests` as a browser would;
the provider redirects back to our callback with a code and the state; the callback exchanges the code, checks the
RS256 ID token and the nonce, reads the (JWT) userinfo, and opens the session of the matching agent, or refuses."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import timezone

import comptes.urls
import config.urls
from comptes.models import User
from fonds.models import AccesFinanceur, Financeur
from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.comptes.faux_fournisseur import CLIENT_ID, FauxFournisseur

pytestmark = pytest.mark.django_db

BACKEND = "comptes.oidc.ProConnectBackend"


def _recharger_urls() -> None:
    """The ProConnect routes are added when comptes.urls is imported: import it again after changing settings."""
    importlib.reload(comptes.urls)
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def fournisseur():
    fournisseur = FauxFournisseur().demarrer()
    yield fournisseur
    fournisseur.arreter()


@pytest.fixture
def proconnect(fournisseur):
    """A deployment with ProConnect configured (the settings base.py derives from the OIDC_* variables)."""
    reglages = fournisseur.reglages(AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, BACKEND])
    try:
        with override_settings(**reglages):
            _recharger_urls()
            yield fournisseur
    finally:
        _recharger_urls()


def _connexion(client, fournisseur, claims, suivant=""):
    """Click the button, let the provider authenticate `claims`, and come back to the callback."""
    fournisseur.claims = claims
    depart = client.get(reverse("comptes:proconnect_connexion") + (f"?next={suivant}" if suivant else ""))
    assert depart.status_code == 302
    assert depart["Location"].startswith(fournisseur.url("/authorize?"))
    autorisation = requests.get(depart["Location"], allow_redirects=False, timeout=5)
    assert autorisation.status_code == 302
    retour = urlsplit(autorisation.headers["Location"])
    assert f"{retour.scheme}://{retour.netloc}{retour.path}" == "http://testserver" + reverse(
        "comptes:proconnect_retour"
    )
    return client.get(f"{retour.path}?{retour.query}")


def _connecte(client):
    return client.session.get(SESSION_KEY)


def _membre_instance(user, *, actif=True):
    instance = InstanceDepartementale.objects.create(departement_id="42", nom="Instance de la Loire")
    return MembreInstance.objects.create(
        instance=instance,
        user=user,
        prenom="Laurent",
        nom="Bouchet",
        institution="CCAS de Saint-Étienne",
        college=CollegeInstance.TRAVAILLEURS_SOCIAUX,
        rang_rotation=1,
        actif=actif,
    )


def _financeur(user):
    AccesFinanceur.objects.create(
        financeur=Financeur.objects.create(nom="Fondation de la Loire", nature="fondation"),
        email=user.email,
        utilisateur=user,
        invite_par=UserFactory(national=True),
        accepte_le=timezone.now(),
    )


# --- Agents log in -------------------------------------------------------------------------------------------------


def test_un_instructeur_connu_se_connecte_avec_proconnect(client, proconnect):
    instructeur = InstructeurFactory(user__email="instructrice@loire.gouv.fr").user
    reponse = _connexion(client, proconnect, {"sub": "abc", "email": "Instructrice@Loire.GOUV.fr"})
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("tableau_de_bord")
    assert _connecte(client) == str(instructeur.pk)
    assert client.session["_auth_user_backend"] == BACKEND
    # The whole code flow went through the provider: authorize, token, JWKS (ID token and JWT userinfo), userinfo.
    assert [chemin.split("?")[0] for chemin in proconnect.requetes] == [
        "/authorize",
        "/token",
        "/jwks",
        "/userinfo",
        "/jwks",
    ]
    assert client.get(reverse("tableau_de_bord")).status_code == 200


@pytest.mark.parametrize(
    "role",
    ["national", "membre_instance", "financeur"],
)
def test_les_autres_agents_se_connectent_aussi(client, proconnect, role):
    user = UserFactory(email="agent@exemple.gouv.fr", national=role == "national")
    if role == "membre_instance":
        _membre_instance(user)
    elif role == "financeur":
        _financeur(user)
    proconnect.userinfo_jwt = False  # a provider answering userinfo in JSON works too
    reponse = _connexion(client, proconnect, {"sub": "abc", "email": "agent@exemple.gouv.fr"})
    assert reponse.status_code == 302
    assert _connecte(client) == str(user.pk)


def test_la_page_demandee_est_rouverte_apres_la_connexion(client, proconnect):
    InstructeurFactory(user__email="instructrice@loire.gouv.fr")
    suivant = reverse("comptes:compte")
    reponse = _connexion(client, proconnect, {"email": "instructrice@loire.gouv.fr"}, suivant=suivant)
    assert reponse["Location"] == suivant


# --- Nothing is created nor granted from the provider ------------------------------------------------------------


def test_une_identite_inconnue_n_obtient_ni_compte_ni_role(client, proconnect):
    avant = User.objects.count()
    reponse = _connexion(
        client,
        proconnect,
        {"email": "inconnu@exemple.gouv.fr", "given_name": "Inès", "usual_name": "Connue", "is_staff": True},
    )
    assert reponse.status_code == 403
    page = reponse.content.decode()
    assert "Aucun compte ne correspond à votre adresse" in page
    assert "demandez une invitation au secrétariat de l’instance de votre département" in page
    assert User.objects.count() == avant
    assert not User.objects.filter(email__iexact="inconnu@exemple.gouv.fr").exists()
    assert not User.objects.filter(is_staff=True).exists()
    assert _connecte(client) is None


def test_un_referent_seul_est_refuse_et_garde_sa_connexion_locale(client, proconnect):
    referente = UserFactory(email="referente@exemple.fr")
    CollectifFactory(referent=referente)
    reponse = _connexion(client, proconnect, {"email": "referente@exemple.fr"})
    assert reponse.status_code == 403
    page = reponse.content.decode()
    assert "ProConnect est réservé aux agents" in page
    assert "connectez-vous avec votre adresse électronique et votre mot de passe" in page
    assert _connecte(client) is None
    # The local login still works for them.
    reponse = client.post(
        reverse("comptes:connexion"), {"username": "referente@exemple.fr", "password": "mot-de-passe-de-test-42"}
    )
    assert reponse.status_code == 302
    assert _connecte(client) == str(referente.pk)


def test_un_membre_sorti_de_l_instance_n_est_plus_un_agent(client, proconnect):
    user = UserFactory(email="ancien.membre@exemple.fr")
    _membre_instance(user, actif=False)
    reponse = _connexion(client, proconnect, {"email": "ancien.membre@exemple.fr"})
    assert reponse.status_code == 403
    assert _connecte(client) is None


def test_un_compte_desactive_apres_la_connexion_perd_sa_session(client, proconnect):
    instructeur = InstructeurFactory(user__email="instructrice@loire.gouv.fr").user
    _connexion(client, proconnect, {"email": "instructrice@loire.gouv.fr"})
    assert client.get(reverse("comptes:compte")).status_code == 200
    instructeur.is_active = False
    instructeur.save(update_fields=["is_active"])
    reponse = client.get(reverse("comptes:compte"))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("comptes:connexion"))


def test_un_compte_desactive_est_refuse(client, proconnect):
    instructeur = InstructeurFactory(user__email="partie@loire.gouv.fr").user
    instructeur.is_active = False
    instructeur.save(update_fields=["is_active"])
    reponse = _connexion(client, proconnect, {"email": "partie@loire.gouv.fr"})
    assert reponse.status_code == 403
    assert "Aucun compte ne correspond" in reponse.content.decode()
    assert _connecte(client) is None


def test_une_adresse_non_verifiee_est_refusee(client, proconnect):
    InstructeurFactory(user__email="instructrice@loire.gouv.fr")
    reponse = _connexion(client, proconnect, {"email": "instructrice@loire.gouv.fr", "email_verified": False})
    assert reponse.status_code == 403
    assert "Adresse électronique non vérifiée" in reponse.content.decode()
    assert _connecte(client) is None


def test_aucun_drapeau_n_est_pris_des_claims_et_seul_un_nom_vide_est_complete(client, proconnect):
    user = InstructeurFactory(user__email="instructrice@loire.gouv.fr", user__prenom="", user__nom="Garnier").user
    claims = {
        "email": "instructrice@loire.gouv.fr",
        "given_name": "Camille",
        "usual_name": "Autre-Nom",
        "is_staff": True,
        "is_superuser": True,
        "est_equipe_nationale": True,
        "groups": ["admin"],
    }
    assert _connexion(client, proconnect, claims).status_code == 302
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser, user.est_equipe_nationale) == (False, False, False)
    assert user.groups.count() == 0 and user.user_permissions.count() == 0
    assert (user.prenom, user.nom) == ("Camille", "Garnier")


# --- Failures of the exchange --------------------------------------------------------------------------------------


def test_un_refus_du_fournisseur_affiche_une_page_en_francais(client, proconnect):
    client.get(reverse("comptes:proconnect_connexion"))
    etat = next(iter(client.session["oidc_states"]))
    reponse = client.get(reverse("comptes:proconnect_retour"), {"error": "access_denied", "state": etat})
    assert reponse.status_code == 403
    assert "La connexion n’a pas abouti" in reponse.content.decode()
    assert _connecte(client) is None


def test_un_code_ne_sert_qu_une_fois(client, proconnect):
    InstructeurFactory(user__email="instructrice@loire.gouv.fr")
    proconnect.claims = {"email": "instructrice@loire.gouv.fr"}
    depart = client.get(reverse("comptes:proconnect_connexion"))
    retour = urlsplit(requests.get(depart["Location"], allow_redirects=False, timeout=5).headers["Location"])
    assert client.get(f"{retour.path}?{retour.query}").status_code == 302
    client.logout()
    # The same state and code again: the state left the session, the code was spent.
    assert client.get(f"{retour.path}?{retour.query}").status_code == 403
    assert _connecte(client) is None


# --- django-axes ---------------------------------------------------------------------------------------------------


def test_le_formulaire_local_reste_limite_par_axes(client, proconnect):
    camille = UserFactory(email="camille@exemple.fr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("comptes:connexion"), {"username": camille.email, "password": "mauvais-mot-de-passe"})
    reponse = client.post(
        reverse("comptes:connexion"), {"username": camille.email, "password": "mot-de-passe-de-test-42"}
    )
    assert reponse.status_code == 429
    assert _connecte(client) is None


def test_les_refus_proconnect_ne_verrouillent_pas_l_adresse(client, proconnect):
    referente = UserFactory(email="referente@exemple.fr")
    CollectifFactory(referent=referente)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert _connexion(client, proconnect, {"email": "referente@exemple.fr"}).status_code == 403
    assert AccessAttempt.objects.count() == 0
    instructeur = InstructeurFactory(user__email="instructrice@loire.gouv.fr").user
    assert _connexion(client, proconnect, {"email": "instructrice@loire.gouv.fr"}).status_code == 302
    assert _connecte(client) == str(instructeur.pk)


# --- Login page and logout -----------------------------------------------------------------------------------------


def test_le_bouton_proconnect_est_au_dessus_du_formulaire_local(client, proconnect):
    page = client.get(reverse("comptes:connexion"), {"next": "/compte/"}).content.decode()
    lien = f'href="{reverse("comptes:proconnect_connexion")}?next=/compte/"'
    assert 'class="fr-connect"' in page and lien in page
    assert "S’identifier avec" in page and '<span class="fr-connect__brand">ProConnect</span>' in page
    assert page.index('class="fr-connect"') < page.index('name="password"')


def test_la_deconnexion_ferme_aussi_la_session_proconnect(client, proconnect):
    InstructeurFactory(user__email="instructrice@loire.gouv.fr")
    _connexion(client, proconnect, {"email": "instructrice@loire.gouv.fr"})
    id_token = client.session["oidc_id_token"]
    reponse = client.post(reverse("comptes:deconnexion"))
    assert _connecte(client) is None
    fin = urlsplit(reponse["Location"])
    assert f"{fin.scheme}://{fin.netloc}{fin.path}" == proconnect.url("/session/end")
    parametres = parse_qs(fin.query)
    assert parametres["id_token_hint"] == [id_token]
    assert parametres["post_logout_redirect_uri"] == [settings.SITE_URL.rstrip("/") + reverse("accueil")]
    assert parametres["state"][0]


def test_sans_point_de_fin_de_session_la_deconnexion_reste_locale(client, proconnect):
    InstructeurFactory(user__email="instructrice@loire.gouv.fr")
    _connexion(client, proconnect, {"email": "instructrice@loire.gouv.fr"})
    with override_settings(OIDC_OP_LOGOUT_ENDPOINT=""):
        reponse = client.post(reverse("comptes:deconnexion"))
    assert reponse["Location"] == reverse("accueil")
    assert _connecte(client) is None


def test_une_session_locale_se_deconnecte_localement(client, proconnect):
    user = InstructeurFactory().user
    client.force_login(user)
    reponse = client.post(reverse("comptes:deconnexion"))
    assert reponse["Location"] == reverse("accueil")


# --- Disabled unless configured ------------------------------------------------------------------------------------


def test_sans_reglages_ni_bouton_ni_route_ni_backend(client):
    assert not getattr(settings, "OIDC_RP_CLIENT_ID", "")
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert getattr(settings, "AXES_WHITELIST_CALLABLE", None) is None
    page = client.get(reverse("comptes:connexion")).content.decode()
    assert "fr-connect" not in page and "ProConnect" not in page
    with pytest.raises(NoReverseMatch):
        reverse("comptes:proconnect_connexion")
    with pytest.raises(NoReverseMatch):
        reverse("comptes:proconnect_retour")
    assert client.get("/compte/proconnect/connexion/").status_code == 404
    assert client.get("/compte/proconnect/retour/", {"code": "x", "state": "y"}).status_code == 404


SONDE = """
import json, django
django.setup()
from django.conf import settings
from django.urls import reverse
print(json.dumps({
    "backends": settings.AUTHENTICATION_BACKENDS,
    "creer": settings.OIDC_CREATE_USER,
    "axes": settings.AXES_WHITELIST_CALLABLE,
    "form_action": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    "urls": [reverse("comptes:proconnect_connexion"), reverse("comptes:proconnect_retour")],
}))
"""

VARIABLES = {
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://fournisseur.exemple/api/v2/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://fournisseur.exemple/api/v2/token",
    "OIDC_OP_USER_ENDPOINT": "https://fournisseur.exemple/api/v2/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://fournisseur.exemple/api/v2/jwks",
    "OIDC_OP_LOGOUT_ENDPOINT": "https://fournisseur.exemple/api/v2/session/end",
}


def _sonder(variables):
    environnement = {cle: valeur for cle, valeur in os.environ.items() if not cle.startswith("OIDC_")}
    environnement.update(variables, DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"])
    environnement.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", SONDE], env=environnement, capture_output=True, text=True, timeout=120, check=False
    )


def test_les_variables_d_environnement_activent_proconnect():
    resultat = _sonder(VARIABLES)
    assert resultat.returncode == 0, resultat.stderr
    lu = json.loads(resultat.stdout)
    assert lu["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert lu["backends"][-1] == BACKEND
    assert lu["creer"] is False
    assert lu["axes"] == "comptes.oidc.hors_axes"
    assert lu["form_action"] == ["'self'", "https://fournisseur.exemple"]
    assert lu["urls"] == ["/compte/proconnect/connexion/", "/compte/proconnect/retour/"]


def test_un_reglage_manquant_arrete_le_demarrage():
    variables = {cle: valeur for cle, valeur in VARIABLES.items() if cle != "OIDC_OP_JWKS_ENDPOINT"}
    resultat = _sonder(variables)
    assert resultat.returncode != 0
    assert "La variable d'environnement OIDC_OP_JWKS_ENDPOINT est obligatoire." in resultat.stderr
