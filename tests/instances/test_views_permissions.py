"""Every URL of instances/urls.py, for every role: 302 to login, 404 when hidden, 403 when forbidden,
200/302 when allowed (SPEC §9, R3).

Campaigns: Loire 2026 (close), Loire 2027 (ouverte, the shared `distribution.campagne`), Loire 2028
(préparation) and Rhône 2027 (ouverte). Instructeur 42 manages the Loire, the other instructeur the Rhône;
national staff see all of them but change none (SPEC §2: campaigns belong to the département's instructeurs; no
button is shown to them and the actions answer 403); référents have no access to the campaign pages (403)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from territoires.models import Departement
from tests.instances.factories import CampagneFactory
from tests.mondes import SurDistribution
from tests.vues import CONNEXION, Cas, attendu, matrice, verifier

ACCES_LOIRE = attendu(
    anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=200, instructeur_autre=404, national=200
)
ACTION_LOIRE = attendu(
    anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=302, instructeur_autre=404, national=403
)
MODIFIER_LOIRE = attendu(
    anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=200, instructeur_autre=404, national=403
)
POST_SEULEMENT = attendu(
    anonyme=CONNEXION, referent_a=405, referent_b=405, instructeur_42=405, instructeur_autre=405, national=405
)
GERENT_LOIRE = frozenset({"instructeur_42"})
PERSONNE: frozenset[str] = frozenset()


@dataclass
class MondeCampagnes(SurDistribution):
    loire_2026: Campagne
    loire_2028: Campagne
    rhone_2027: Campagne


@pytest.fixture
def monde(distribution) -> MondeCampagnes:
    return MondeCampagnes(
        distribution=distribution,
        loire_2026=CampagneFactory(annee=2026, close=True),
        loire_2028=CampagneFactory(annee=2028),
        rhone_2027=CampagneFactory(departement=Departement.objects.get(code="69"), annee=2027, ouverte=True, quota=3),
    )


def _campagne(m: MondeCampagnes, nom: str) -> Campagne:
    return Campagne.objects.get(pk=getattr(m, nom).pk)


def _url(vue: str, campagne: str):
    return lambda m: reverse(f"campagnes:{vue}", args=[getattr(m, campagne).pk])


def _clore_2027(m: MondeCampagnes) -> None:
    """Only one open campaign per département: close 2027 before opening 2028."""
    Campagne.objects.filter(pk=m.campagne.pk).update(etat=EtatCampagne.CLOSE)


DONNEES_CAMPAGNE = {
    "quota": "4",
    "enveloppe_annuelle": "80000.00",
    "montant_minimal_annuel": "15000.00",
    # Plausible for the 2028 and 2029 campaigns these cases create or edit (core.dates.bornes_campagne).
    "date_ouverture": "2028-02-01",
    "date_cloture": "2028-06-30",
    "seuil_elu_responsable": "1",
    "seuil_professionnel": "2",
    "seuil_habitant": "2",
    "plafond_mise_a_disposition": "20",
    "plafond_par_institution": "1",
    "delai_instruction_jours": "60",
    "delai_complements_jours": "30",
    "delai_bilan_mois": "2",
    "delai_grace_mois": "3",
}

CAS = [
    # --- The list: each instructeur sees the campaigns of their départements, national staff all of them.
    Cas(
        "campagnes",
        lambda m: reverse("campagnes:campagnes"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=200, instructeur_autre=200, national=200
        ),
        contenu={
            "instructeur_42": ("2026 — Loire (42)", "2027 — Loire (42)", "2028 — Loire (42)", "Nouvelle campagne"),
            "instructeur_autre": ("2027 — Rhône (69)", "Nouvelle campagne"),
            "national": ("2026 — Loire (42)", "2027 — Loire (42)", "2028 — Loire (42)", "2027 — Rhône (69)"),
        },
        absent={
            "instructeur_42": ("Rhône (69)",),
            "instructeur_autre": ("Loire (42)",),
            "national": ("Nouvelle campagne",),
        },
    ),
    # --- Creating: for a département one instructs (national staff: 403).
    Cas(
        "campagne_nouvelle",
        lambda m: reverse("campagnes:campagne_nouvelle"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=200, instructeur_autre=200, national=403
        ),
        contenu={
            "instructeur_42": ("Nombre de places", ">Loire (42)</option>"),
            "instructeur_autre": ("Nombre de places", ">Rhône (69)</option>"),
        },
        absent={"instructeur_42": (">Rhône (69)</option>",), "instructeur_autre": (">Loire (42)</option>",)},
    ),
    Cas(
        "campagne_nouvelle-post",
        lambda m: reverse("campagnes:campagne_nouvelle"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=302, instructeur_autre=200, national=403
        ),
        methode="post",
        donnees={**DONNEES_CAMPAGNE, "departement": "42", "annee": "2029"},
        contenu={"instructeur_autre": ("Sélectionnez un choix valide",)},
        suite=lambda m: reverse("campagnes:campagne", args=[Campagne.objects.get(departement_id="42", annee=2029).pk]),
        agissent=GERENT_LOIRE,
        fait=lambda m, role: Campagne.objects.filter(departement_id="42", annee=2029).exists(),
    ),
    # --- One campaign: visible to its département's instructeurs and to national staff, who get no button.
    Cas(
        "campagne-ouverte",
        _url("campagne", "campagne"),
        ACCES_LOIRE,
        contenu={
            "instructeur_42": ("Campagne 2027 — Loire", "Ouverte", "Clore la campagne", "Modifier</a>"),
            "national": ("Campagne 2027 — Loire", "Ouverte"),
        },
        absent={
            "instructeur_42": ("Ouvrir la campagne",),
            "national": ("Ouvrir la campagne", "Clore la campagne", "Modifier</a>"),
        },
    ),
    Cas(
        "campagne-preparation",
        _url("campagne", "loire_2028"),
        ACCES_LOIRE,
        contenu={
            "instructeur_42": ("Campagne 2028 — Loire", "En préparation", "Ouvrir la campagne", "Modifier</a>"),
            "national": ("Campagne 2028 — Loire", "En préparation"),
        },
        absent={
            "instructeur_42": ("Clore la campagne",),
            "national": ("Ouvrir la campagne", "Clore la campagne", "Modifier</a>"),
        },
    ),
    Cas(
        "campagne-rhone",
        _url("campagne", "rhone_2027"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=404, instructeur_autre=200, national=200
        ),
        contenu=("Campagne 2027 — Rhône",),
    ),
    # --- Editing: until it closes; locked fields are disabled once open.
    Cas(
        "campagne_modifier-ouverte",
        _url("campagne_modifier", "campagne"),
        MODIFIER_LOIRE,
        contenu=("Nombre de places", "Verrouillé depuis"),
    ),
    Cas(
        "campagne_modifier-close",
        _url("campagne_modifier", "loire_2026"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=403, instructeur_autre=404, national=403
        ),
    ),
    Cas(
        "campagne_modifier-post",
        _url("campagne_modifier", "loire_2028"),
        ACTION_LOIRE,
        methode="post",
        donnees={**DONNEES_CAMPAGNE, "annee": "2028"},
        suite=_url("campagne", "loire_2028"),
        agissent=GERENT_LOIRE,
        fait=lambda m, role: _campagne(m, "loire_2028").quota == 4,
    ),
    # --- Opening and closing.
    Cas(
        "campagne_ouvrir",
        _url("campagne_ouvrir", "loire_2028"),
        ACTION_LOIRE,
        methode="post",
        avant=_clore_2027,
        suite=_url("campagne", "loire_2028"),
        agissent=GERENT_LOIRE,
        fait=lambda m, role: _campagne(m, "loire_2028").etat == EtatCampagne.OUVERTE,
    ),
    Cas(
        "campagne_ouvrir-autre_ouverte",
        _url("campagne_ouvrir", "loire_2028"),
        ACTION_LOIRE,
        methode="post",
        suite=_url("campagne", "loire_2028"),
        agissent=PERSONNE,
        fait=lambda m, role: _campagne(m, "loire_2028").etat == EtatCampagne.OUVERTE,
    ),
    Cas("campagne_ouvrir-get", _url("campagne_ouvrir", "loire_2028"), POST_SEULEMENT),
    Cas(
        "campagne_clore",
        _url("campagne_clore", "campagne"),
        ACTION_LOIRE,
        methode="post",
        suite=_url("campagne", "campagne"),
        agissent=GERENT_LOIRE,
        fait=lambda m, role: _campagne(m, "campagne").etat == EtatCampagne.CLOSE,
    ),
    Cas(
        "campagne_clore-rhone",
        _url("campagne_clore", "rhone_2027"),
        attendu(
            anonyme=CONNEXION, referent_a=403, referent_b=403, instructeur_42=404, instructeur_autre=302, national=403
        ),
        methode="post",
        suite=_url("campagne", "rhone_2027"),
        agissent=frozenset({"instructeur_autre"}),
        fait=lambda m, role: _campagne(m, "rhone_2027").etat == EtatCampagne.CLOSE,
    ),
    Cas("campagne_clore-get", _url("campagne_clore", "campagne"), POST_SEULEMENT),
]


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_ouvrir_refuse_explique_pourquoi(monde, client):
    """A refused transition comes back to the campaign page with the French reason."""
    client.force_login(monde.instructeur_42)
    reponse = client.post(reverse("campagnes:campagne_ouvrir", args=[monde.loire_2028.pk]), follow=True)
    assert reponse.status_code == 200
    assert (
        "La campagne 2027 est encore ouverte dans ce département : clôturez-la d&#x27;abord."
        in reponse.content.decode()
    )
    assert _campagne(monde, "loire_2028").etat == EtatCampagne.PREPARATION


@pytest.mark.parametrize("url", ["/campagnes/999999/", "/campagnes/999999/modifier/"])
def test_campagne_inexistante_404(url, monde, client):
    client.force_login(monde.national)
    assert client.get(url).status_code == 404


def test_clore_sans_jeton_csrf_refuse(monde):
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.instructeur_42)
    assert client.post(reverse("campagnes:campagne_clore", args=[monde.campagne.pk])).status_code == 403
    assert _campagne(monde, "campagne").etat == EtatCampagne.OUVERTE
