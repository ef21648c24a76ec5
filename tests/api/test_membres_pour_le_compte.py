"""Proxy entries of members through the API (R10, R20): the collectif's accompagnateur adds or corrects a member
only with the person's consent (`saisie_pour_le_compte`); a référent may do so for a member without e-mail. The
consent is recorded (who agreed, how, when, who typed) and read back on the member (`saisi_pour_le_compte`);
the others get 401, 404 or 403 as for every write on members, and nothing is written."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from collectifs.enums import College, ModeConsentement
from collectifs.models import Consentement, Membre
from collectifs.services import DonneesMembre, membre_ajouter
from collectifs.services.collectif import SAISIE_SANS_ACCORD
from tests.instances.monde_journal import ROLES_JOURNAL, accord, construire_monde_journal

pytestmark = pytest.mark.django_db

R = "/api/v1/"


def hier() -> datetime.date:
    """Yesterday, read when the test runs (a constant read at import goes stale when the run crosses midnight)."""
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def monde(distribution):
    """Collectif A (filed, Loire) accompanied by Alex Bernard; collectif B by Tom Perrin (accompagnateur_b)."""
    return construire_monde_journal(distribution)


def _url(monde, membre=None):
    base = R + f"collectifs/{monde.collectif_a.pk}/membres/"
    return base if membre is None else base + f"{membre.pk}/"


def _josette(**extra):
    """Josette Granger, an inhabitant without e-mail, as posted to the API."""
    return {"college": College.HABITANT, "prenom": "Josette", "nom": "Granger", "consentement": True, **extra}


def _accord(**extra):
    return {"mode": ModeConsentement.PAPIER, "recueilli_le": hier().isoformat(), **extra}


def _membre_du_referent(monde):
    """Josette, entered in the ordinary way by référent A (no proxy entry)."""
    return membre_ajouter(
        acteur=monde.referent_a,
        collectif=monde.collectif_a,
        donnees=DonneesMembre(college=College.HABITANT, prenom="Josette", nom="Granger", consentement=True),
    )


def test_l_accompagnateur_ajoute_un_membre_avec_son_accord(api, monde):
    reponse = api.en(monde.accompagnateur).post(_url(monde), _josette(saisie_pour_le_compte=_accord()), format="json")
    assert reponse.status_code == 201, reponse.json()
    membre = Membre.objects.get(collectif=monde.collectif_a, nom="Granger")
    consentement = Consentement.objects.get(membre=membre)
    assert membre.consentement_saisie == consentement
    assert membre.saisi_par == monde.accompagnateur
    assert consentement.saisi_par == monde.accompagnateur
    assert consentement.collectif == monde.collectif_a
    assert consentement.pour_le_compte_de == "Josette Granger"  # the member, unless said otherwise
    assert (consentement.mode, consentement.recueilli_le) == (ModeConsentement.PAPIER, hier())
    corps = reponse.json()
    assert corps["id"] == membre.pk
    assert "saisie_pour_le_compte" not in corps  # write only
    assert corps["saisi_pour_le_compte"] == {
        "saisi_par": str(monde.accompagnateur),
        "pour_le_compte_de": "Josette Granger",
        "mode": "papier",
        "mode_libelle": "Formulaire papier signé",
        "precision": "",
        "recueilli_le": hier().isoformat(),
        "saisi_le": corps["saisi_pour_le_compte"]["saisi_le"],
    }
    assert corps["saisi_pour_le_compte"]["saisi_le"]


def test_l_accompagnateur_sans_accord_est_refuse_et_rien_n_est_ecrit(api, monde):
    reponse = api.en(monde.accompagnateur).post(_url(monde), _josette(), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"saisie_pour_le_compte": [SAISIE_SANS_ACCORD]}
    assert not Membre.objects.filter(nom="Granger").exists()
    assert not Consentement.objects.exists()


def test_un_accord_null_vaut_absence_d_accord(api, monde):
    reponse = api.en(monde.accompagnateur).post(_url(monde), _josette(saisie_pour_le_compte=None), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"saisie_pour_le_compte": [SAISIE_SANS_ACCORD]}


@pytest.mark.parametrize(
    ("accord_envoye", "champ", "message"),
    [
        ({"mode": "autre"}, "precision", "Précisez comment la personne a donné son accord."),
        (
            {"recueilli_le": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "recueilli_le",
            "L'accord ne peut pas avoir été recueilli dans le futur.",
        ),
    ],
    ids=["autre-sans-precision", "date-future"],
)
def test_un_accord_incomplet_est_refuse_sous_son_champ(api, monde, accord_envoye, champ, message):
    reponse = api.en(monde.accompagnateur).post(
        _url(monde), _josette(saisie_pour_le_compte=_accord(**accord_envoye)), format="json"
    )
    assert reponse.status_code == 400
    assert reponse.json() == {"saisie_pour_le_compte": {champ: [message]}}
    assert not Membre.objects.filter(nom="Granger").exists()  # the member is not kept without its consent
    assert not Consentement.objects.exists()


def test_un_mode_inconnu_est_refuse_par_le_serializer(api, monde):
    reponse = api.en(monde.accompagnateur).post(
        _url(monde), _josette(saisie_pour_le_compte=_accord(mode="telepathie")), format="json"
    )
    assert reponse.status_code == 400
    assert list(reponse.json()) == ["saisie_pour_le_compte"]
    assert list(reponse.json()["saisie_pour_le_compte"]) == ["mode"]
    assert not Membre.objects.filter(nom="Granger").exists()


def test_une_erreur_sur_le_membre_reste_sur_son_champ(api, monde):
    _membre_du_referent(monde)
    reponse = api.en(monde.accompagnateur).post(_url(monde), _josette(saisie_pour_le_compte=_accord()), format="json")
    assert reponse.status_code == 400
    assert list(reponse.json()) == ["nom"]  # the same person twice (R1)
    assert "une personne ne compte qu'une fois" in reponse.json()["nom"][0]
    assert not Consentement.objects.exists()


def test_le_referent_saisit_pour_un_membre_sans_adresse(api, monde):
    reponse = api.en(monde.referent_a).post(
        _url(monde),
        _josette(saisie_pour_le_compte=_accord(mode="oral", pour_le_compte_de="Josette G.")),
        format="json",
    )
    assert reponse.status_code == 201, reponse.json()
    membre = Membre.objects.get(pk=reponse.json()["id"])
    assert membre.email == ""
    assert membre.consentement_saisie.saisi_par == monde.referent_a
    assert membre.consentement_saisie.pour_le_compte_de == "Josette G."
    assert reponse.json()["saisi_pour_le_compte"]["saisi_par"] == str(monde.referent_a)
    assert reponse.json()["saisi_pour_le_compte"]["mode"] == "oral"


def test_une_saisie_ordinaire_du_referent_n_a_pas_d_accord(api, monde):
    reponse = api.en(monde.referent_a).post(_url(monde), _josette(), format="json")
    assert reponse.status_code == 201
    assert reponse.json()["saisi_pour_le_compte"] is None
    assert Membre.objects.get(pk=reponse.json()["id"]).consentement_saisie is None
    assert not Consentement.objects.exists()


# Entering a member of collectif A on someone's behalf: anonymous 401; hidden collectif 404; visible but not
# allowed 403 (the Loire's instructeur, national staff), before the body is even read.
AJOUT_POUR_LE_COMPTE = {
    "anonyme": 401,
    "referent_a": 201,
    "referent_b": 404,
    "instructeur_42": 403,
    "instructeur_autre": 404,
    "national": 403,
    "accompagnateur": 201,
    "accompagnateur_b": 404,
    "membre_instance": 404,
    "financeur": 404,
    "employeur": 404,
}


def test_la_matrice_couvre_tous_les_roles():
    assert set(AJOUT_POUR_LE_COMPTE) == set(ROLES_JOURNAL)


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_ajout_pour_le_compte_selon_le_role(api, monde, role):
    reponse = api.en(monde.utilisateur(role)).post(
        _url(monde), _josette(saisie_pour_le_compte=_accord()), format="json"
    )
    attendu = AJOUT_POUR_LE_COMPTE[role]
    assert reponse.status_code == attendu, reponse.content
    if attendu == 201:
        consentement = Consentement.objects.get(membre_id=reponse.json()["id"])
        assert consentement.saisi_par == monde.utilisateur(role)
    else:
        assert not Membre.objects.filter(nom="Granger").exists()
        assert not Consentement.objects.exists()


@pytest.mark.parametrize("role", ROLES_JOURNAL)
def test_modification_pour_le_compte_selon_le_role(api, monde, role):
    membre = _membre_du_referent(monde)
    reponse = api.en(monde.utilisateur(role)).patch(
        _url(monde, membre), {"fonction": "Trésorière", "saisie_pour_le_compte": _accord()}, format="json"
    )
    attendu = {**AJOUT_POUR_LE_COMPTE, "referent_a": 200, "accompagnateur": 200}[role]
    assert reponse.status_code == attendu, reponse.content
    membre.refresh_from_db()
    if attendu == 200:
        assert membre.fonction == "Trésorière"
        assert membre.consentement_saisie.saisi_par == monde.utilisateur(role)
    else:
        assert membre.fonction == ""
        assert membre.consentement_saisie is None
        assert not Consentement.objects.exists()


def test_l_ancien_accompagnateur_ne_voit_plus_le_collectif(api, monde):
    monde.collectif_a.affectations.update(fin=timezone.now())
    reponse = api.en(monde.accompagnateur).post(_url(monde), _josette(saisie_pour_le_compte=_accord()), format="json")
    assert reponse.status_code == 404
    assert not Membre.objects.filter(nom="Granger").exists()


def test_l_accompagnateur_corrige_un_membre_avec_un_nouvel_accord(api, monde):
    client = api.en(monde.accompagnateur)
    cree = client.post(_url(monde), _josette(saisie_pour_le_compte=_accord()), format="json")
    assert cree.status_code == 201
    membre = Membre.objects.get(pk=cree.json()["id"])
    premier = membre.consentement_saisie
    reponse = client.patch(
        _url(monde, membre),
        {
            "fonction": "Trésorière de l'amicale",
            "saisie_pour_le_compte": {
                "mode": "autre",
                "precision": "Par SMS à l'accompagnatrice",
                "recueilli_le": timezone.localdate().isoformat(),
            },
        },
        format="json",
    )
    assert reponse.status_code == 200, reponse.json()
    membre.refresh_from_db()
    assert membre.fonction == "Trésorière de l'amicale"
    assert membre.consentement_saisie != premier
    assert Consentement.objects.filter(membre=membre).count() == 2
    assert membre.consentement_saisie.saisi_par == monde.accompagnateur
    lu = reponse.json()["saisi_pour_le_compte"]
    assert (lu["mode"], lu["precision"]) == ("autre", "Par SMS à l'accompagnatrice")
    assert lu["recueilli_le"] == timezone.localdate().isoformat()
    # Read back through the list and the detail, as the référent sees it.
    referent = api.en(monde.referent_a)
    detail = referent.get(_url(monde, membre)).json()
    assert detail["saisi_pour_le_compte"]["precision"] == "Par SMS à l'accompagnatrice"
    liste = referent.get(_url(monde)).json()["results"]
    assert [m["saisi_pour_le_compte"]["mode"] for m in liste if m["id"] == membre.pk] == ["autre"]


def test_une_correction_de_l_accompagnateur_sans_accord_est_refusee(api, monde):
    membre = _membre_du_referent(monde)
    reponse = api.en(monde.accompagnateur).patch(_url(monde, membre), {"fonction": "Trésorière"}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"saisie_pour_le_compte": [SAISIE_SANS_ACCORD]}
    membre.refresh_from_db()
    assert membre.fonction == ""
    assert membre.consentement_saisie is None


def _membres_pour_le_compte(monde, n):
    """n members, one in two entered by the accompagnateur on the person's behalf."""
    colleges = list(College.values)
    for i in range(n):
        pour_autrui = i % 2 == 0
        membre_ajouter(
            acteur=monde.accompagnateur if pour_autrui else monde.referent_a,
            collectif=monde.collectif_a,
            donnees=DonneesMembre(college=colleges[i % 3], prenom=f"Personne{i}", nom="Martin", consentement=True),
            pour_autrui=accord() if pour_autrui else None,
        )


@pytest.mark.parametrize("taille", [3, 40])
@pytest.mark.parametrize("role", ["referent_a", "accompagnateur"])
def test_la_liste_des_membres_ne_coute_pas_une_requete_par_saisie(api, monde, django_assert_num_queries, taille, role):
    """Session + user, the collectif, count + page: proxy entries come with the page (select_related)."""
    _membres_pour_le_compte(monde, taille)
    client = api.en(monde.utilisateur(role))
    with django_assert_num_queries(5):
        reponse = client.get(_url(monde))
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] == len(corps["results"]) == taille
    saisies = [m["saisi_pour_le_compte"] for m in corps["results"]]
    assert sum(s is not None for s in saisies) == (taille + 1) // 2
    assert {s["saisi_par"] for s in saisies if s} == {str(monde.accompagnateur)}
