"""API of the administration of the instance and of the départements' staff (issue 11): every endpoint for every
role (401 anonymous, 404 hidden, 403 forbidden on a visible object, 2xx allowed, with the effect checked), the
rules seen through the API (French messages per field), and pinned query counts of the lists at two sizes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from comptes.models import Instructeur
from instances.models import Accompagnateur, InstanceDepartementale, Invitation, MembreInstance
from instances.services_administration import invitation_creer
from territoires.models import Departement
from tests.comptes.factories import InstructeurFactory
from tests.instances.factories_seances import AccompagnateurFactory
from tests.instances.monde_administration import (
    ROLES_ADMINISTRATION,
    MondeAdministration,
    construire_monde_administration,
)

pytestmark = pytest.mark.django_db

A = "/api/v1/administration/"
R = [r for r in ROLES_ADMINISTRATION if r != "anonyme"]


@pytest.fixture
def monde(distribution) -> MondeAdministration:
    return construire_monde_administration(distribution)


def _roles(defaut: int, **statuts: int) -> dict[str, int]:
    return {r: statuts.get(r, defaut) for r in R}


@dataclass
class Cas:
    nom: str
    methode: str
    url: Callable[[MondeAdministration], str]
    attendus: dict[str, int]
    donnees: Callable[[MondeAdministration], Any] | None = None
    avant: Callable[[MondeAdministration], None] | None = None
    # After a 2xx: the effect happened (or the answer holds this).
    fait: Callable[[MondeAdministration, Any], bool] | None = None


def _loire() -> Departement:
    return Departement.objects.get(code="42")


def _invitation(m: MondeAdministration) -> Invitation:
    return Invitation.objects.first() or invitation_creer(
        acteur=m.instructeur_42, role="instructeur", departement=_loire(), email="nouvelle@loire.exemple.fr"
    )


ADMIN_LOIRE = _roles(404, instructeur_42=200, national=200, membre=403, president=403)
LISTE = _roles(200)
INSTANCE = lambda m: f"{A}instances/{m.instance.pk}/"  # noqa: E731
MEMBRES = lambda m: f"{A}instances/{m.instance.pk}/membres/"  # noqa: E731

CAS = [
    Cas(
        "instances-liste",
        "get",
        lambda m: f"{A}instances/",
        LISTE,
        fait=lambda m, r: [i["departement"] for i in r.data["results"]] == [],
    ),
    Cas(
        "instances-creer",
        "post",
        lambda m: f"{A}instances/",
        _roles(403, instructeur_autre=201, national=201),
        donnees=lambda m: {
            "departement": "69",
            "nom": "Instance du Rhône",
            "quorum_fraction": "0.50",
            "duree_mandat_mois": 12,
        },
        fait=lambda m, r: InstanceDepartementale.objects.filter(departement="69").exists(),
    ),
    Cas(
        "instance-detail",
        "get",
        INSTANCE,
        _roles(404, instructeur_42=200, national=200),
        fait=lambda m, r: r.data["nom"] == "Instance départementale de la Loire",
    ),
    Cas(
        "instance-modifier",
        "post",
        lambda m: f"{INSTANCE(m)}modifier/",
        _roles(404, instructeur_42=200, national=200),
        donnees=lambda m: {
            "nom": "Instance de la Loire",
            "quorum_fraction": "0.60",
            "duree_mandat_mois": 24,
            "contact_email": "s@loire.fr",
        },
        fait=lambda m, r: InstanceDepartementale.objects.get(pk=m.instance.pk).duree_mandat_mois == 24,
    ),
    Cas(
        "membres-liste",
        "get",
        MEMBRES,
        ADMIN_LOIRE,
        fait=lambda m, r: [x["prenom"] for x in r.data["results"]] == ["Hélène", "Jean", "Nadia", "Paul"],
    ),
    Cas(
        "membres-creer",
        "post",
        MEMBRES,
        _roles(404, instructeur_42=201, national=201, membre=403, president=403),
        donnees=lambda m: {
            "prenom": "Lucie",
            "nom": "Faure",
            "institution": "MSA",
            "college": "PARTENAIRES_INSTITUTIONNELS",
            "votant": True,
            "rang_rotation": 1,
        },
        fait=lambda m, r: (
            r.data["rang_rotation"] == 1 and MembreInstance.objects.get(prenom="Hélène").rang_rotation == 2
        ),
    ),
    Cas(
        "membre-detail",
        "get",
        lambda m: f"{MEMBRES(m)}{m.membres['Jean'].pk}/",
        ADMIN_LOIRE,
        fait=lambda m, r: r.data["a_un_compte"] is True,
    ),
    Cas(
        "membre-modifier",
        "post",
        lambda m: f"{MEMBRES(m)}{m.membres['Jean'].pk}/modifier/",
        ADMIN_LOIRE,
        donnees=lambda m: {"prenom": "Jean", "nom": "Morel", "institution": "CAF", "college": "ELUS", "votant": False},
        fait=lambda m, r: MembreInstance.objects.get(prenom="Jean").college == "ELUS",
    ),
    Cas(
        "membre-fin",
        "post",
        lambda m: f"{MEMBRES(m)}{m.membres['Jean'].pk}/fin/",
        ADMIN_LOIRE,
        donnees=lambda m: {"fin": timezone.localdate().isoformat()},
        fait=lambda m, r: not MembreInstance.objects.get(prenom="Jean").actif,
    ),
    Cas(
        "membres-reordonner",
        "post",
        lambda m: f"{MEMBRES(m)}reordonner/",
        ADMIN_LOIRE,
        donnees=lambda m: {"membres": [m.membres[p].pk for p in ["Paul", "Nadia", "Jean", "Hélène"]]},
        fait=lambda m, r: [x["prenom"] for x in r.data] == ["Paul", "Nadia", "Jean", "Hélène"],
    ),
    Cas(
        "accompagnateurs-liste",
        "get",
        lambda m: f"{A}accompagnateurs/",
        LISTE,
        fait=lambda m, r: True,
    ),
    Cas(
        "accompagnateurs-creer",
        "post",
        lambda m: f"{A}accompagnateurs/",
        _roles(403, instructeur_42=201, national=201),
        donnees=lambda m: {"departement": "42", "prenom": "Inès", "nom": "Morin", "email": "ines@coop.fr"},
        fait=lambda m, r: Accompagnateur.objects.filter(nom="Morin").exists(),
    ),
    Cas(
        "accompagnateur-detail",
        "get",
        lambda m: f"{A}accompagnateurs/{m.alex.pk}/",
        _roles(404, instructeur_42=200, national=200),
        fait=lambda m, r: r.data["collectifs"][0]["nom"] == "Collectif A de Montreynaud",
    ),
    Cas(
        "accompagnateur-modifier",
        "post",
        lambda m: f"{A}accompagnateurs/{m.tom.pk}/modifier/",
        _roles(404, instructeur_42=200, national=200),
        donnees=lambda m: {"prenom": "Tom", "nom": "Perrin", "structure": "Coop"},
        fait=lambda m, r: Accompagnateur.objects.get(pk=m.tom.pk).structure == "Coop",
    ),
    Cas(
        "accompagnateur-retirer",
        "post",
        lambda m: f"{A}accompagnateurs/{m.tom.pk}/retirer/",
        _roles(404, instructeur_42=200, national=200),
        fait=lambda m, r: r.data["actif"] is False,
    ),
    Cas(
        "accompagnateur-remettre",
        "post",
        lambda m: f"{A}accompagnateurs/{m.tom.pk}/remettre/",
        _roles(404, instructeur_42=200, national=200),
        avant=lambda m: Accompagnateur.objects.filter(pk=m.tom.pk).update(actif=False),
        fait=lambda m, r: r.data["actif"] is True,
    ),
    Cas(
        "invitations-liste",
        "get",
        lambda m: f"{A}invitations/",
        LISTE,
        avant=_invitation,
        fait=lambda m, r: True,
    ),
    Cas(
        "invitations-creer",
        "post",
        lambda m: f"{A}invitations/",
        _roles(403, instructeur_42=201, national=201),
        donnees=lambda m: {
            "role": "accompagnateur",
            "departement": "42",
            "email": "tom@exemple.fr",
            "accompagnateur": m.tom.pk,
        },
        fait=lambda m, r: Invitation.objects.filter(accompagnateur=m.tom).exists() and "jeton" not in r.data,
    ),
    Cas(
        "invitation-detail",
        "get",
        lambda m: f"{A}invitations/{_invitation(m).pk}/",
        _roles(404, instructeur_42=200, national=200),
        fait=lambda m, r: r.data["etat"] == "en_attente" and r.data["expiree"] is False,
    ),
    Cas(
        "invitation-annuler",
        "post",
        lambda m: f"{A}invitations/{_invitation(m).pk}/annuler/",
        _roles(404, instructeur_42=200, national=200),
        fait=lambda m, r: Invitation.objects.get().etat == "annulee",
    ),
    Cas(
        "instructeurs-liste",
        "get",
        lambda m: f"{A}departements/42/instructeurs/",
        _roles(403, instructeur_42=200, national=200),
        fait=lambda m, r: [x["email"] for x in r.data["results"]] == ["instructrice.42@exemple.fr"],
    ),
    Cas(
        "instructeur-retirer",
        "post",
        lambda m: f"{A}departements/42/instructeurs/{m.instructeur_42.instructeur.pk}/retirer/",
        _roles(403, national=204),
        fait=lambda m, r: not Instructeur.objects.filter(departements="42").exists(),
    ),
]

# What each role lists (the scope), for the list endpoints.
PERIMETRES = {
    "instances-liste": {"instructeur_42": ["42"], "national": ["42"]},
}


@pytest.mark.parametrize(
    ("cas", "role"),
    [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ["anonyme", *R]],
)
def test_matrice(api, monde, cas, role):
    if cas.avant is not None:
        cas.avant(monde)
    url = cas.url(monde)
    donnees = cas.donnees(monde) if cas.donnees else None
    reponse = getattr(api.en(monde.utilisateur(role)), cas.methode)(url, donnees, format="json")
    attendu = 401 if role == "anonyme" else cas.attendus[role]
    assert reponse.status_code == attendu, (role, url, reponse.status_code, getattr(reponse, "data", None))
    if 200 <= attendu < 300 and cas.fait is not None:
        if cas.nom in PERIMETRES:
            assert [i["departement"] for i in reponse.data["results"]] == PERIMETRES[cas.nom].get(role, []), role
        else:
            assert cas.fait(monde, reponse), (role, cas.nom)


@pytest.mark.parametrize(
    ("role", "attendus"),
    [("instructeur_42", ["Alex", "Tom"]), ("instructeur_autre", []), ("national", ["Alex", "Tom"]), ("membre", [])],
)
def test_registre_limite_au_perimetre(api, monde, role, attendus):
    reponse = api.en(monde.utilisateur(role)).get(f"{A}accompagnateurs/")
    assert [a["prenom"] for a in reponse.data["results"]] == attendus
    if attendus:
        assert reponse.data["results"][0]["email"] == "alex.bernard@exemple.fr"


def test_messages_en_francais_par_champ(api, monde):
    client = api.en(monde.instructeur_42)
    reponse = client.post(
        f"{MEMBRES(monde)}{monde.membres['Hélène'].pk}/fin/", {"fin": timezone.localdate().isoformat()}, format="json"
    )
    assert reponse.status_code == 400
    assert "passez d'abord la présidence au membre suivant" in reponse.data["fin"][0]
    reponse = client.post(f"{A}accompagnateurs/{monde.alex.pk}/retirer/")
    assert reponse.status_code == 400
    assert "Alex Bernard accompagne encore « Collectif A de Montreynaud »" in reponse.data["non_field_errors"][0]
    reponse = client.post(
        f"{A}invitations/",
        {"role": "instructeur", "departement": "42", "email": "instructrice.42@exemple.fr"},
        format="json",
    )
    assert reponse.status_code == 400
    assert reponse.data["email"] == ["instructrice.42@exemple.fr est déjà instructeur·rice du département Loire (42)."]
    reponse = client.post(f"{MEMBRES(monde)}reordonner/", {"membres": [monde.membres["Paul"].pk]}, format="json")
    assert reponse.status_code == 400
    assert "une fois et une seule" in reponse.data["non_field_errors"][0]
    reponse = client.post(
        f"{A}instances/",
        {"departement": "42", "nom": "Doublon", "quorum_fraction": "0.5", "duree_mandat_mois": 12},
        format="json",
    )
    assert reponse.status_code == 400 and reponse.data["departement"] == [
        "Le département Loire (42) a déjà son instance."
    ]


def test_invitations_nombre_de_requetes_constant(api, monde, django_assert_num_queries):
    client = api.en(monde.national)

    def grossir(n: int) -> None:
        for _ in range(n):
            invitation_creer(
                acteur=monde.national,
                role="instructeur",
                departement=_loire(),
                email=f"p{Invitation.objects.count()}@exemple.fr",
            )
            AccompagnateurFactory()
            InstructeurFactory(departements=["42"])

    client.get(f"{A}invitations/")
    for n in (2, 20):
        grossir(n)
        with django_assert_num_queries(REQUETES_LISTE):
            assert client.get(f"{A}invitations/").status_code == 200
        with django_assert_num_queries(REQUETES_LISTE + 1):  # + the affectations' prefetch
            assert client.get(f"{A}accompagnateurs/").status_code == 200
        with django_assert_num_queries(REQUETES_LISTE + 1):  # + the département
            assert client.get(f"{A}departements/42/instructeurs/").status_code == 200


# Session, user, count, page.
REQUETES_LISTE = 4
