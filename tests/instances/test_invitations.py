"""Staff invitations (issue 11): national staff invite and remove a département's instructeurs, an instructeur
invites colleagues of their own département, the département's staff invite instance members and
accompagnateur·rices. The e-mail leaves after commit with an absolute link; the acceptance page creates the
account (or asks to log in with the invited address), grants the role in the same transaction, works once,
expires, refuses a cancelled invitation; every step is journalled and shown on the « Équipe et invitations »
page. Permission matrix of the team pages; pinned query counts at two sizes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from comptes.models import Instructeur, User
from instances.models import Invitation
from instances.services_administration import invitation_annuler, invitation_creer
from territoires.models import Departement
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.instances.monde_administration import (
    ROLES_ADMINISTRATION,
    MondeAdministration,
    construire_monde_administration,
)
from tests.instances.test_administration import DEPARTEMENT_GET, matrice
from tests.vues import CONNEXION, Cas, Page, url_connexion, verifier

pytestmark = pytest.mark.django_db

R = ROLES_ADMINISTRATION
MOT_DE_PASSE = "Une phrase de passe solide 2027 !"


@pytest.fixture
def monde(distribution) -> MondeAdministration:
    return construire_monde_administration(distribution)


def _loire() -> Departement:
    return Departement.objects.get(code="42")


def _inviter_instructeur(m: MondeAdministration, email: str = "nouvelle@loire.exemple.fr") -> Invitation:
    return invitation_creer(acteur=m.instructeur_42, role="instructeur", departement=_loire(), email=email)


def _collegue(m: MondeAdministration) -> Instructeur:
    return InstructeurFactory(user__email="collegue@loire.exemple.fr", departements=["42"])


def _roles(**statuts: int | str) -> dict[str, int | str]:
    defaut = statuts.pop("defaut")
    return {r: CONNEXION if r == "anonyme" else statuts.get(r, defaut) for r in R}


def _url(nom: str, *args: Any) -> Any:
    return lambda m: reverse(f"instances:{nom}", args=[a(m) if callable(a) else a for a in args])


CAS = [
    Cas(
        "equipes",
        _url("equipes"),
        _roles(defaut=403, instructeur_42=200, instructeur_autre=200, national=200),
        contenu={
            "instructeur_42": (">Loire (42)</option>",),
            "instructeur_autre": (">Rhône (69)</option>",),
            "national": (">Loire (42)</option>", ">Rhône (69)</option>"),
        },
        absent={"instructeur_42": (">Rhône (69)</option>",), "instructeur_autre": (">Loire (42)</option>",)},
    ),
    Cas(
        "equipe",
        _url("equipe", "42"),
        DEPARTEMENT_GET,
        contenu={
            "instructeur_42": (
                "Instructeur·rices du département",
                "instructrice.42@exemple.fr",
                "Envoyer l'invitation",
            ),
            "national": ("instructrice.42@exemple.fr", "Retirer<span"),
        },
        absent={"instructeur_42": ("Retirer<span",)},
    ),
    Cas(
        "equipe-post",
        _url("equipe", "42"),
        _roles(defaut=403, instructeur_42=302, national=302),
        methode="post",
        donnees={"email": "Nouvelle@Loire.exemple.fr"},
        suite=_url("equipe", "42"),
        agissent=frozenset({"instructeur_42", "national"}),
        fait=lambda m, r: Invitation.objects.filter(email="nouvelle@loire.exemple.fr", role="instructeur").exists(),
    ),
    Cas(
        "instructeur_retirer",
        _url("instructeur_retirer", "42", lambda m: m.instructeur_42.instructeur.pk),
        _roles(defaut=403, instructeur_42=403, national=200),
        contenu={"national": ("Retirer", "du département Loire (42)", "Retirer du département")},
    ),
    Cas(
        "instructeur_retirer-post",
        _url("instructeur_retirer", "42", lambda m: m.instructeur_42.instructeur.pk),
        _roles(defaut=403, instructeur_42=403, national=302),
        methode="post",
        suite=_url("equipe", "42"),
        agissent=frozenset({"national"}),
        fait=lambda m, r: not Instructeur.objects.filter(user=m.instructeur_42, departements="42").exists(),
    ),
    Cas(
        "invitation_annuler",
        _url("invitation_annuler", lambda m: Invitation.objects.get().pk),
        _roles(defaut=404, instructeur_42=302, national=302),
        methode="post",
        avant=_inviter_instructeur,
        suite=_url("equipe", "42"),
        agissent=frozenset({"instructeur_42", "national"}),
        fait=lambda m, r: Invitation.objects.get().etat == "annulee",
    ),
    Cas(
        "invitation_annuler-get",
        _url("invitation_annuler", lambda m: _inviter_instructeur(m).pk),
        {r: CONNEXION if r == "anonyme" else 405 for r in R},
    ),
    Cas(
        "invitation_personnel",
        lambda m: reverse("instances:invitation_personnel", args=[_inviter_instructeur(m).jeton]),
        dict.fromkeys(R, 200),
        contenu=dict.fromkeys(R, ("Invitation : instructeur·rice du département", "nouvelle@loire.exemple.fr")),
    ),
]


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


# --- Invitation by e-mail, end to end -----------------------------------------------------------------------------


def test_invitation_instructeur_courriel_lien_creation_du_compte(
    monde, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(monde.instructeur_42)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("instances:equipe", args=["42"]), {"email": " Camille.Rey@Loire.exemple.FR "})
    assert reponse.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "camille.rey@loire.exemple.fr" and invitation.invite_par == monde.instructeur_42
    assert invitation.expire_le - invitation.invite_le == datetime.timedelta(days=14)
    (courriel,) = mailoutbox
    assert courriel.to == ["camille.rey@loire.exemple.fr"]
    assert courriel.subject == "Invitation : instructeur·rice du département — Loire (42)"
    lien = settings.SITE_URL + reverse("instances:invitation_personnel", args=[invitation.jeton])
    assert lien in courriel.body
    assert "ne sert qu'une fois" in courriel.body

    # The invited person has no account: the page creates it, with the invited address (not editable).
    client.logout()
    chemin = lien.removeprefix(settings.SITE_URL)
    page = Page(client.get(chemin))
    champ = page.champ("email")
    assert Page.attribut(champ, "disabled") is not None and Page.attribut(champ, "value") == invitation.email
    reponse = client.post(
        chemin,
        {
            "email": "pirate@exemple.fr",
            "prenom": "Camille",
            "nom": "Rey",
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
        },
    )
    assert reponse.status_code == 302 and reponse["Location"] == reverse("tableau_de_bord")
    utilisateur = User.objects.get(email="camille.rey@loire.exemple.fr")
    assert not User.objects.filter(email="pirate@exemple.fr").exists()
    assert utilisateur.check_password(MOT_DE_PASSE) and utilisateur.prenom == "Camille"
    assert list(utilisateur.instructeur.departements.values_list("code", flat=True)) == ["42"]
    invitation.refresh_from_db()
    assert invitation.etat == "acceptee" and invitation.utilisateur == utilisateur and invitation.acceptee_le
    # Logged in: the new instructeur reaches the Loire's instance.
    assert client.get(reverse("instances:instance", args=[monde.instance.pk])).status_code == 200

    # Works once.
    client.logout()
    page = client.get(chemin).content.decode()
    assert "Cette invitation a déjà été utilisée." in page
    reponse = client.post(chemin, {"prenom": "X", "nom": "Y", "password1": MOT_DE_PASSE, "password2": MOT_DE_PASSE})
    assert reponse.status_code == 422 and User.objects.filter(prenom="X").count() == 0

    # The team page shows the history: who invited whom, when, and the acceptance.
    client.force_login(monde.national)
    page = client.get(reverse("instances:equipe", args=["42"])).content.decode()
    assert "Invitation envoyée" in page and "Invitation acceptée" in page
    assert "invitation adressée à camille.rey@loire.exemple.fr acceptée" in page
    assert f"Acceptée le {timezone.localdate():%-d}" in page


def test_mot_de_passe_valide_et_confirme_a_cote_des_champs(monde, client):
    chemin = reverse("instances:invitation_personnel", args=[_inviter_instructeur(monde).jeton])
    reponse = client.post(chemin, {"prenom": "Camille", "nom": "Rey", "password1": "court", "password2": "autre"})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "identiques" in page.erreur_du_champ("password2")
    reponse = client.post(chemin, {"prenom": "Camille", "nom": "Rey", "password1": "court", "password2": "court"})
    assert "trop court" in Page(reponse).erreur_du_champ("password1")
    assert Page(reponse).valeur("prenom") == "Camille"
    assert not User.objects.filter(email="nouvelle@loire.exemple.fr").exists()


def test_compte_existant_se_connecte_puis_accepte(monde, client):
    existant = UserFactory(email="deja.la@exemple.fr")
    invitation = _inviter_instructeur(monde, email="Deja.La@Exemple.FR")
    chemin = reverse("instances:invitation_personnel", args=[invitation.jeton])
    page = client.get(chemin).content.decode()
    assert "Un compte existe déjà avec l'adresse" in page
    assert url_connexion(chemin).split("?")[0] in page
    reponse = client.post(chemin)
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("comptes:connexion"))
    client.force_login(existant)
    assert "Accepter l'invitation" in client.get(chemin).content.decode()
    assert client.post(chemin).status_code == 302
    assert existant.instructeur.departements.filter(code="42").exists()


def test_connecte_avec_une_autre_adresse_refuse(monde, client):
    chemin = reverse("instances:invitation_personnel", args=[_inviter_instructeur(monde).jeton])
    client.force_login(monde.referent_a)
    assert "Vous êtes connecté·e avec une autre adresse" in client.get(chemin).content.decode()
    reponse = client.post(chemin)
    assert reponse.status_code == 422
    assert "Cette invitation est adressée à nouvelle@loire.exemple.fr" in reponse.content.decode()
    assert not Instructeur.objects.filter(user=monde.referent_a).exists()


def test_invitation_expiree(monde, client):
    invitation = _inviter_instructeur(monde)
    chemin = reverse("instances:invitation_personnel", args=[invitation.jeton])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        page = client.get(chemin).content.decode()
        assert "Cette invitation a expiré le" in page
        reponse = client.post(chemin, {"prenom": "A", "nom": "B", "password1": MOT_DE_PASSE, "password2": MOT_DE_PASSE})
        assert reponse.status_code == 422
        assert not User.objects.filter(email=invitation.email).exists()
        # An expired invitation no longer blocks a new one.
        _inviter_instructeur(monde)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=13)):
        assert "Créer mon compte et accepter" in client.get(chemin).content.decode()


def test_invitation_annulee_refusee(monde, client):
    invitation = _inviter_instructeur(monde)
    invitation_annuler(acteur=monde.national, invitation=invitation)
    chemin = reverse("instances:invitation_personnel", args=[invitation.jeton])
    assert "Cette invitation a été annulée" in client.get(chemin).content.decode()
    reponse = client.post(chemin, {"prenom": "A", "nom": "B", "password1": MOT_DE_PASSE, "password2": MOT_DE_PASSE})
    assert reponse.status_code == 422 and not User.objects.filter(email=invitation.email).exists()


def test_jeton_inconnu_404(client, db):
    assert client.get(reverse("instances:invitation_personnel", args=["inconnu"])).status_code == 404


# --- Who invites whom -------------------------------------------------------------------------------------------


def test_instructeur_n_invite_que_pour_son_departement(monde):
    with pytest.raises(Exception) as refus:
        invitation_creer(acteur=monde.instructeur_autre, role="instructeur", departement=_loire(), email="x@exemple.fr")
    assert type(refus.value).__name__ == "PermissionDenied"
    invitation_creer(acteur=monde.national, role="instructeur", departement=_loire(), email="x@exemple.fr")


def test_erreurs_d_invitation_a_cote_du_champ(monde, client):
    client.force_login(monde.instructeur_42)
    url = reverse("instances:equipe", args=["42"])
    reponse = client.post(url, {"email": "instructrice.42@exemple.fr"})
    assert reponse.status_code == 422
    assert "est déjà instructeur·rice du département Loire (42)" in Page(reponse).erreur_du_champ("email")
    _inviter_instructeur(monde)
    reponse = client.post(url, {"email": "NOUVELLE@loire.exemple.fr"})
    assert "attend déjà une réponse" in Page(reponse).erreur_du_champ("email")
    reponse = client.post(url, {"email": "pas une adresse"})
    assert Page(reponse).erreur_du_champ("email")


def test_membre_invite_relie_a_sa_fiche(monde, client, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(monde.instructeur_42)
    nadia = monde.membres["Nadia"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("instances:membre_inviter", args=[monde.instance.pk, nadia.pk]), {"email": "nadia@ccas.exemple.fr"}
        )
    (courriel,) = mailoutbox
    assert (
        "membre de l'instance départementale (CCAS de Saint-Étienne, Instance départementale de la Loire)"
        in courriel.body
    )
    invitation = Invitation.objects.get(membre=nadia)
    # A second invitation for the same member is refused while the first waits.
    reponse = client.post(
        reverse("instances:membre_inviter", args=[monde.instance.pk, nadia.pk]), {"email": "autre@exemple.fr"}
    )
    assert "attend déjà une réponse" in Page(reponse).erreur_du_champ("email")
    client.logout()
    chemin = reverse("instances:invitation_personnel", args=[invitation.jeton])
    reponse = client.post(
        chemin, {"prenom": "Nadia", "nom": "Haddad", "password1": MOT_DE_PASSE, "password2": MOT_DE_PASSE}
    )
    assert reponse["Location"] == reverse("instances:instance", args=[monde.instance.pk])
    nadia.refresh_from_db()
    assert nadia.user.email == "nadia@ccas.exemple.fr"
    assert client.get(reverse("instances:instance", args=[monde.instance.pk])).status_code == 200


def test_membre_avec_compte_ou_sorti_non_invitable(monde):
    with pytest.raises(Exception, match="a déjà un compte"):
        invitation_creer(
            acteur=monde.instructeur_42,
            role="membre_instance",
            departement=_loire(),
            email="j@exemple.fr",
            membre=monde.membres["Jean"],
        )


def test_accompagnateur_invite_relie_au_registre(monde, client, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(monde.national)
    url = reverse("instances:accompagnateur_inviter", args=[monde.tom.pk])
    assert Page(client.get(url)).valeur("email") == "tom.perrin@exemple.fr"  # the registry's address, by default
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "tom.perrin@exemple.fr"})
    assert len(mailoutbox) == 1
    invitation = Invitation.objects.get(accompagnateur=monde.tom)
    client.logout()
    client.post(
        reverse("instances:invitation_personnel", args=[invitation.jeton]),
        {"prenom": "Tom", "nom": "Perrin", "password1": MOT_DE_PASSE, "password2": MOT_DE_PASSE},
    )
    monde.tom.refresh_from_db()
    assert monde.tom.user.email == "tom.perrin@exemple.fr"


# --- Removing an instructeur -----------------------------------------------------------------------------------


def test_national_retire_un_instructeur_journalise(monde, client):
    collegue = _collegue(monde)
    collegue.departements.add("69")
    client.force_login(monde.national)
    url = reverse("instances:instructeur_retirer", args=["42", collegue.pk])
    page = client.get(url).content.decode()
    assert "collegue@loire.exemple.fr" in page and "Son compte et ses autres départements restent" in page
    client.post(url)
    assert list(collegue.departements.values_list("code", flat=True)) == ["69"]
    page = client.get(reverse("instances:equipe", args=["42"])).content.decode()
    assert "collegue@loire.exemple.fr" in page  # in the journal, not in the list
    assert "Instructeur·rice retiré·e du département" in page
    # Removed: the page of the retired instructeur's département answers 404 now.
    assert client.post(url).status_code == 404


def test_un_instructeur_ne_retire_pas_un_collegue(monde, client):
    collegue = _collegue(monde)
    client.force_login(monde.instructeur_42)
    assert client.post(reverse("instances:instructeur_retirer", args=["42", collegue.pk])).status_code == 403
    assert collegue.departements.filter(code="42").exists()


# --- Query counts -----------------------------------------------------------------------------------------------


def test_page_equipe_nombre_de_requetes_constant(monde, client, django_assert_num_queries):
    client.force_login(monde.instructeur_42)
    url = reverse("instances:equipe", args=["42"])

    def grossir(n: int) -> None:
        for i in range(n):
            invitation = invitation_creer(
                acteur=monde.instructeur_42,
                role="instructeur",
                departement=_loire(),
                email=f"p{Invitation.objects.count()}-{i}@exemple.fr",
            )
            if i % 2:
                invitation_annuler(acteur=monde.instructeur_42, invitation=invitation)
            InstructeurFactory(departements=["42"])

    client.get(url)
    grossir(2)
    with django_assert_num_queries(NOMBRE_EQUIPE):
        assert client.get(url).status_code == 200
    grossir(15)
    with django_assert_num_queries(NOMBRE_EQUIPE):
        assert client.get(url).status_code == 200


# Session, user, instructeur check, département, instance, instructeurs, invitations page, journal page, content types.
NOMBRE_EQUIPE = 9
