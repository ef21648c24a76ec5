"""A NUL byte ("\\x00") in a code the API looks up (a département, a quartier prioritaire, a thème), in a body, a
query or a path, is refused like in any text field: 400 « Le caractère nul n’est pas autorisé. » next to the
field (404 in a path, empty list in a list's filter). PostgreSQL cannot hold the byte: before, the lookup raised a
DataError (500) there. Every test runs on both databases (`scripts/with-postgres.sh` for PostgreSQL)."""

from __future__ import annotations

import pytest

from fonds.services.fonds import fonds_creer

R = "/api/v1/"
NUL = "\x00"
REFUS = ["Le caractère nul n’est pas autorisé."]

pytestmark = pytest.mark.postgres  # the 500 happened on PostgreSQL; the refusal is the same on SQLite

# (role, URL, body, refused field): each body holds a NUL byte in a code, the other fields are plausible.
CORPS = {
    "campagne": ("national", "campagnes/", {"departement": NUL, "annee": 2030, "quota": 5}, "departement"),
    "collectif": ("referent_a", "collectifs/", {"nom": "Collectif", "departement": "42" + NUL}, "departement"),
    "collectif-quartiers": (
        "referent_a",
        "collectifs/",
        {"nom": "Collectif", "departement": "42", "quartiers_prioritaires": [NUL]},
        "quartiers_prioritaires",
    ),
    "fonds": (
        "national",
        "fonds/",
        {"nom": "Fonds du Rhône", "gestion": "departementale", "departement": NUL},
        "departement",
    ),
    "abondement": (
        "national",
        "abondements/",
        {"fonds": 1, "financeur": 1, "annee": 2027, "montant": "10.00", "departement_fleche": NUL},
        "departement_fleche",
    ),
    "enveloppe": ("national", "enveloppes/", {"fonds": 1, "departement": NUL, "annee": 2027}, "departement"),
    "projet": ("national", "conventions/", {"departement": NUL}, "departement"),
    "synthese": ("national", "syntheses/generer/", {"departement": NUL, "annee": 2027}, "departement"),
    "rencontre": ("national", "rencontres/", {"departement": NUL, "titre": "Rencontre"}, "departement"),
    "prix": (
        "national",
        "prix/",
        {"niveau": "departemental", "departement": NUL, "annee": 2027, "titre": "Prix"},
        "departement",
    ),
    "fiche": ("referent_a", "fiches/", {"collectif": 1, "titre": "Fiche", "themes": [NUL]}, "themes"),
    "instance": ("national", "administration/instances/", {"departement": NUL, "nom": "Instance"}, "departement"),
    "accompagnateur": (
        "national",
        "administration/accompagnateurs/",
        {"departement": NUL, "prenom": "Tom", "nom": "Pouce"},
        "departement",
    ),
    "invitation": (
        "national",
        "administration/invitations/",
        {"role": "instructeur", "departement": NUL, "email": "personne@exemple.fr"},
        "departement",
    ),
}


@pytest.mark.parametrize("cas", list(CORPS))
def test_octet_nul_dans_un_code_du_corps(api, distribution, cas):
    role, url, corps, champ = CORPS[cas]
    reponse = api.en(distribution.utilisateur(role)).post(R + url, corps, format="json")
    assert reponse.status_code == 400, reponse.content
    assert reponse.json()[champ] == REFUS


def test_un_code_inconnu_reste_inconnu(api, distribution):
    """The refusal of the NUL byte leaves the usual answer for an unknown code unchanged."""
    corps = {"departement": "99", "annee": 2027}
    reponse = api.en(distribution.national).post(R + "syntheses/generer/", corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json()["departement"] == ["L'objet avec code=99 n'existe pas."]


def test_octet_nul_dans_le_filtre_des_enveloppes_d_un_fonds(api, distribution):
    fonds = fonds_creer(acteur=distribution.national, nom="Fonds national")
    url = R + f"fonds/{fonds.pk}/enveloppes/"
    reponse = api.en(distribution.national).get(url, {"departement": NUL})
    assert reponse.status_code == 400
    assert reponse.json() == {"departement": REFUS}


@pytest.mark.parametrize("liste", ["administration/accompagnateurs/", "administration/invitations/"])
def test_octet_nul_dans_le_filtre_departement_d_une_liste(api, distribution, liste):
    client = api.en(distribution.national)
    assert client.get(R + liste, {"departement": "42"}).status_code == 200
    reponse = client.get(R + liste, {"departement": "42" + NUL})
    assert reponse.status_code == 200
    assert reponse.json()["results"] == []  # like an unknown code


@pytest.mark.parametrize("code", ["%00", "42%00"])
def test_octet_nul_dans_le_code_du_chemin(api, distribution, code: str):
    client = api.en(distribution.national)
    assert client.get(R + "administration/departements/42/instructeurs/").status_code == 200
    for url in [f"administration/departements/{code}/instructeurs/"]:
        reponse = client.get(R + url)
        assert reponse.status_code == 404, url
        assert reponse.json() == {"detail": "Ressource introuvable."}
