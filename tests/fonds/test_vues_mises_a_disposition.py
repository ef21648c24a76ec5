"""The secondments' pages (R9): every URL, GET and POST, for every role including the `employeur` and `financeur`
logins and a member of the Loire's instance (302 to login, 404 when hidden, 403 when visible but not allowed,
200/302 when allowed); forms that keep their input; the list pages' query counts pinned at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from collectifs.enums import College
from documents.enums import TypeDocument
from documents.selectors import documents_de
from fonds import tasks
from fonds.enums import EtatMiseADisposition
from fonds.models import AccesEmployeur, MiseADisposition
from fonds.services import mise_a_disposition_prendre_acte
from tests.conftest import ROLES
from tests.fonds.parcours_mad import DEBUT, FIN, PLAN, MondeMAD, construire, demander
from tests.vues import CONNEXION, PDF, Cas, Page, membre, verifier

pytestmark = pytest.mark.django_db

ROLES_MAD = [*ROLES, "employeur", "membre_instance", "financeur"]


@pytest.fixture
def m(distribution) -> MondeMAD:
    monde = construire(distribution)
    monde.mise = demander(monde)  # type: ignore[attr-defined]
    return monde


def attendu(**roles: int | str) -> dict[str, int | str]:
    """Default: anonymous visitors log in first; everyone else is hidden from (404)."""
    valeurs: dict[str, int | str] = dict.fromkeys(ROLES_MAD, 404)
    valeurs["anonyme"] = CONNEXION
    valeurs.update(roles)
    return valeurs


def _formulaire(m: MondeMAD) -> dict[str, Any]:
    return {
        "membre": m.professionnel.pk,
        "quotite": "5",
        "date_debut": "2029-01-01",
        "date_fin": "2029-06-30",
        "plan_continuite": PLAN,
        "email_employeur": m.employeur.email,
    }


def _acte(m: MondeMAD) -> None:
    mise_a_disposition_prendre_acte(acteur=m.employeur, mise=m.mise)
    tasks.emettre_convention_mise_a_disposition.call(m.mise.pk)


def _document(m: MondeMAD) -> str:
    document = documents_de(m.mise, TypeDocument.CONVENTION_MISE_A_DISPOSITION).get()
    return reverse("fonds:mise_a_disposition_document", args=[m.mise.pk, document.numero])


def _etat(m: MondeMAD) -> str:
    return MiseADisposition.objects.get(pk=m.mise.pk).etat


def _page(m: MondeMAD) -> str:
    return reverse("fonds:mise_a_disposition", args=[m.mise.pk])


INSTANCE = {"instructeur_42": 200, "national": 200, "membre_instance": 200}

CAS = [
    Cas(
        "collectif",
        lambda m: reverse("fonds:mises_a_disposition_collectif", args=[m.collectif_a.pk]),
        attendu(referent_a=200, **INSTANCE),
        contenu={
            "referent_a": ("Karim Benali", "Demander une mise à disposition"),
            "instructeur_42": ("Karim Benali",),
            "national": ("Karim Benali",),
            "membre_instance": ("Karim Benali",),
        },
        absent={"instructeur_42": ("Demander une mise à disposition",)},
    ),
    Cas(
        "nouvelle_page",
        lambda m: reverse("fonds:mise_a_disposition_nouvelle", args=[m.collectif_a.pk]),
        attendu(referent_a=200, instructeur_42=403, national=403, membre_instance=403),
        contenu=("Plan de continuité du service", "Karim Benali — Centre social de Montreynaud"),
    ),
    Cas(
        "nouvelle",
        lambda m: reverse("fonds:mise_a_disposition_nouvelle", args=[m.collectif_a.pk]),
        attendu(referent_a=302, instructeur_42=403, national=403, membre_instance=403),
        methode="post",
        donnees=_formulaire,
        suite=lambda m: reverse("fonds:mise_a_disposition", args=[MiseADisposition.objects.latest("pk").pk]),
        agissent=frozenset({"referent_a"}),
        fait=lambda m, r: MiseADisposition.objects.count() == 2,
    ),
    Cas(
        "detail",
        _page,
        attendu(referent_a=200, employeur=200, **INSTANCE),
        contenu={
            "referent_a": ("Karim Benali", "Retirer la demande", PLAN.replace("'", "&#x27;")),
            "employeur": ("Prendre acte de la mise à disposition", "Motif du refus"),
            "instructeur_42": ("En attente de l&#x27;employeur",),
            "national": ("Karim Benali",),
            "membre_instance": ("Karim Benali",),
        },
        absent={"referent_a": ("Prendre acte",), "instructeur_42": ("Prendre acte", "Retirer la demande")},
    ),
    Cas(
        "prendre_acte",
        lambda m: reverse("fonds:mise_a_disposition_prendre_acte", args=[m.mise.pk]),
        attendu(referent_a=403, employeur=302, instructeur_42=403, national=403, membre_instance=403),
        methode="post",
        suite=_page,
        agissent=frozenset({"employeur"}),
        fait=lambda m, r: _etat(m) == EtatMiseADisposition.PRISE_ACTE,
    ),
    Cas(
        "decliner",
        lambda m: reverse("fonds:mise_a_disposition_decliner", args=[m.mise.pk]),
        attendu(referent_a=403, employeur=302, instructeur_42=403, national=403, membre_instance=403),
        methode="post",
        donnees={"motif": "Service en sous-effectif."},
        suite=_page,
        agissent=frozenset({"employeur"}),
        fait=lambda m, r: _etat(m) == EtatMiseADisposition.DECLINEE,
    ),
    Cas(
        "annuler",
        lambda m: reverse("fonds:mise_a_disposition_annuler", args=[m.mise.pk]),
        attendu(referent_a=302, employeur=403, instructeur_42=403, national=403, membre_instance=403),
        methode="post",
        suite=_page,
        agissent=frozenset({"referent_a"}),
        fait=lambda m, r: _etat(m) == EtatMiseADisposition.ANNULEE,
    ),
    Cas(
        "document",
        _document,
        attendu(referent_a=200, employeur=200, **INSTANCE),
        avant=_acte,
        type_contenu=PDF,
    ),
    Cas(
        "employeur",
        lambda m: reverse("fonds:employeur"),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_42=403,
            instructeur_autre=403,
            national=403,
            employeur=200,
            membre_instance=403,
            financeur=403,
        ),
        contenu=("Centre social de Montreynaud", "Karim Benali", "Collectif A de Montreynaud"),
    ),
    Cas(
        "charge",
        lambda m: reverse("fonds:charge_employeurs", args=["42"]),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_autre=403,
            employeur=403,
            financeur=403,
            **INSTANCE,
        ),
        contenu=("Centre social de Montreynaud", "10 %"),
    ),
    Cas(
        "invitation",
        lambda m: reverse("fonds:invitation_employeur", args=[m.invitation.jeton]),
        attendu(**dict.fromkeys(ROLES_MAD[1:], 200)),
        contenu=("Accepter l'invitation", "Centre social de Montreynaud"),
        avant=lambda m: setattr(
            m,
            "invitation",
            AccesEmployeur.objects.create(organisation=m.institution, email="drh@exemple.fr", invite_par=m.referent_a),
        ),
    ),
]


def _params() -> list[Any]:
    for c in CAS:
        assert set(c.attendu) == set(ROLES_MAD), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_MAD]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, m, client):
    verifier(cas, role, m, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from fonds import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "fonds.views.mises_a_disposition"}
    couverts = {
        "mises_a_disposition_collectif": "collectif",
        "mise_a_disposition_nouvelle": "nouvelle",
        "mise_a_disposition": "detail",
        "mise_a_disposition_prendre_acte": "prendre_acte",
        "mise_a_disposition_decliner": "decliner",
        "mise_a_disposition_annuler": "annuler",
        "mise_a_disposition_document": "document",
        "invitation_employeur": "invitation",
        "employeur": "employeur",
        "charge_employeurs": "charge",
    }
    assert noms == set(couverts)
    assert set(couverts.values()) <= {c.nom for c in CAS}


def test_le_formulaire_garde_la_saisie_et_place_les_erreurs(m, client):
    client.force_login(m.referent_a)
    url = reverse("fonds:mise_a_disposition_nouvelle", args=[m.collectif_a.pk])
    donnees = {**_formulaire(m), "quotite": "15", "plan_continuite": ""}
    reponse = client.post(url, {**donnees, "date_debut": "2028-05-01", "date_fin": "2028-06-30"})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert page.valeur("quotite") == "15"
    assert "Ce champ est obligatoire" in page.erreur_du_champ("plan_continuite")
    reponse = client.post(
        url, {**donnees, "plan_continuite": PLAN, "date_debut": "2028-05-01", "date_fin": "2028-06-30"}
    )
    assert reponse.status_code == 422
    assert "plafond de 20 % serait dépassé" in Page(reponse).erreur_du_champ("quotite")
    assert MiseADisposition.objects.count() == 1


def test_le_refus_sans_motif_revient_avec_l_erreur(m, client):
    client.force_login(m.employeur)
    reponse = client.post(reverse("fonds:mise_a_disposition_decliner", args=[m.mise.pk]), {"motif": ""})
    assert reponse.status_code == 422
    assert "Ce champ est obligatoire" in Page(reponse).erreur_du_champ("motif")
    assert _etat(m) == EtatMiseADisposition.DEMANDEE


def _ajouter(m: MondeMAD, nombre: int) -> None:
    for rang in range(nombre):
        personne = membre(
            m.collectif_a, College.PROFESSIONNEL, f"Pro{nombre}x{rang}", "Salarié", organisation=m.institution
        )
        MiseADisposition.objects.create(
            collectif=m.collectif_a,
            convention=m.convention,
            membre=personne,
            employeur=m.institution,
            quotite=Decimal("5"),
            date_debut=DEBUT,
            date_fin=FIN + datetime.timedelta(days=200),
            plan_continuite=PLAN,
            email_employeur=m.employeur.email,
            demandee_par=m.referent_a,
        )


@pytest.mark.parametrize(
    ("nom", "role", "url"),
    [
        ("collectif", "referent_a", lambda m: reverse("fonds:mises_a_disposition_collectif", args=[m.collectif_a.pk])),
        ("employeur", "employeur", lambda m: reverse("fonds:employeur")),
        ("charge", "membre_instance", lambda m: reverse("fonds:charge_employeurs", args=["42"])),
    ],
)
def test_nombre_de_requetes_constant(m, client, nom, role, url):
    client.force_login(m.utilisateur(role))
    comptes = []
    for nombre in (1, 10):
        _ajouter(m, nombre)
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url(m))
        assert reponse.status_code == 200
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1], (nom, comptes)


def test_le_tableau_de_bord_de_l_employeur(m, client):
    """The employer's dashboard lists what it must do: the requests awaiting its answer."""
    client.force_login(m.employeur)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Mises à disposition — Centre social de Montreynaud" in page
    assert "1 demande attend votre réponse" in page
    assert reverse("fonds:mise_a_disposition", args=[m.mise.pk]) in page
    mise_a_disposition_prendre_acte(acteur=m.employeur, mise=m.mise)
    assert "Aucune demande n'attend votre réponse." in client.get(reverse("tableau_de_bord")).content.decode()


def test_le_tableau_de_bord_de_l_instructeur_mene_a_la_charge(m, client):
    client.force_login(m.instructeur_42)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert reverse("fonds:charge_employeurs", args=["42"]) in page
