"""The practice sheets' back-office pages (R14): every URL, GET and POST, for every role (302 to the login page,
404 when hidden, 403 when visible but not allowed, 200/302/422 when allowed), the flows through the pages, and the
query counts of the lists pinned at two sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from collectifs.enums import ModeConsentement
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique, Theme
from tests.collectifs.factories import CollectifFactory
from tests.conftest import ROLES
from tests.mutualisation.parcours_fiches import MondeFiches, construire, fiche_dans_l_etat
from tests.vues import CONNEXION, Cas, Page, verifier

pytestmark = pytest.mark.django_db

ROLES_FICHES = [*ROLES, "accompagnateur"]


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str,
    referent_b: int | str = 404,
    instructeur_42: int | str,
    instructeur_autre: int | str = 404,
    national: int | str,
    accompagnateur: int | str,
) -> dict[str, int | str]:
    """One row: anonymous visitors log in first; by default the other collectif's référent and another
    département's instructeur do not see the sheet (404)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "accompagnateur": accompagnateur,
    }


@pytest.fixture
def monde(distribution) -> MondeFiches:
    return construire(distribution)


def _fiche(etat: str, suffixe: str = "") -> Any:
    return lambda m: reverse(f"mutualisation:fiche{suffixe}", args=[m.fiches[etat].pk])


def _etat(etat: str) -> Any:
    return lambda m: m.fiche(etat).etat


def _saisie(m: MondeFiches, action: str) -> dict[str, Any]:
    return {
        "action": action,
        "titre": "Une cuisine partagée, version reprise",
        "annee": "2027",
        "territoire": "Montreynaud",
        "themes": [Theme.objects.get(code="alimentation").pk],
        "contexte": "Des familles isolées au pied des tours.",
        "demarche": "Des repas partagés, puis un collectif.",
        "consentement_pour": "Le collectif, réunion du 3 mars",
        "consentement_mode": ModeConsentement.PAPIER,
        "consentement_le": "2026-01-05",
    }


ECRIVENT = frozenset({"referent_a", "accompagnateur"})

CAS = [
    Cas(
        "fiches_collectif",
        lambda m: reverse("mutualisation:fiches_collectif", args=[m.collectif_a.pk]),
        attendu(referent_a=200, instructeur_42=404, national=200, accompagnateur=200),
        contenu={
            "referent_a": ("Rédiger une fiche pratique", "Brouillon A", "Proposée A", "Publiée A", "Retenue A"),
            "accompagnateur": ("Rédiger une fiche pratique", "Brouillon A"),
            "national": ("Proposée A", "Retenue A"),
        },
        absent={"national": ("Brouillon A", "Rédiger une fiche pratique")},
    ),
    Cas(
        "fiche_nouvelle",
        lambda m: reverse("mutualisation:fiche_nouvelle", args=[m.collectif_a.pk]),
        attendu(referent_a=200, instructeur_42=404, national=403, accompagnateur=200),
        contenu={
            "referent_a": ("Nouvelle fiche pratique", "La démarche"),
            "accompagnateur": ("Rédaction pour le compte du collectif",),
        },
        absent={"referent_a": ("Rédaction pour le compte du collectif",)},
    ),
    Cas(
        "fiche_nouvelle_post",
        lambda m: reverse("mutualisation:fiche_nouvelle", args=[m.collectif_a.pk]),
        attendu(referent_a=302, instructeur_42=404, national=403, accompagnateur=302),
        methode="post",
        donnees=lambda m: _saisie(m, "enregistrer"),
        suite=lambda m: reverse(
            "mutualisation:fiche", args=[FichePratique.objects.get(titre="Une cuisine partagée, version reprise").pk]
        ),
        agissent=ECRIVENT,
        fait=lambda m, r: FichePratique.objects.filter(titre="Une cuisine partagée, version reprise").exists(),
    ),
    Cas(
        "fiche_brouillon",
        _fiche(EtatFiche.BROUILLON),
        attendu(referent_a=200, instructeur_42=404, national=404, accompagnateur=200),
        contenu={
            "referent_a": ("Proposer la fiche au département", "Enregistrer le brouillon"),
            "accompagnateur": ("Rédaction pour le compte du collectif",),
        },
    ),
    Cas(
        "fiche_proposee",
        _fiche(EtatFiche.PROPOSEE),
        attendu(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        contenu={
            "referent_a": ("Contenu de la fiche", "Proposée"),
            "instructeur_42": ("Publier la fiche", "Renvoyer au collectif"),
            "national": ("Contenu de la fiche",),
            "accompagnateur": ("Contenu de la fiche",),
        },
        absent={"referent_a": ("Publier la fiche",), "national": ("Publier la fiche",)},
    ),
    Cas(
        "fiche_publiee",
        _fiche(EtatFiche.PUBLIEE),
        # A public sheet is read by anyone, so every connected role reads its back-office page (no action).
        attendu(
            referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200, accompagnateur=200
        ),
        contenu=("Voir la fiche dans le catalogue public",),
        absent={
            "referent_b": ("Retenir la fiche",),
            "instructeur_42": ("Retenir la fiche", "Publier la fiche"),
        },
    ),
    Cas(
        "enregistrer",
        _fiche(EtatFiche.BROUILLON),
        attendu(referent_a=302, instructeur_42=404, national=404, accompagnateur=302),
        methode="post",
        donnees=lambda m: _saisie(m, "enregistrer"),
        suite=_fiche(EtatFiche.BROUILLON),
        agissent=ECRIVENT,
        fait=lambda m, r: m.fiche(EtatFiche.BROUILLON).titre == "Une cuisine partagée, version reprise",
    ),
    Cas(
        "proposer",
        _fiche(EtatFiche.BROUILLON),
        attendu(referent_a=302, instructeur_42=404, national=404, accompagnateur=302),
        methode="post",
        donnees=lambda m: _saisie(m, "proposer"),
        suite=_fiche(EtatFiche.BROUILLON),
        agissent=ECRIVENT,
        fait=lambda m, r: m.fiche(EtatFiche.BROUILLON).etat == EtatFiche.PROPOSEE,
    ),
    Cas(
        "modifier_une_fiche_proposee",
        _fiche(EtatFiche.PROPOSEE),
        attendu(referent_a=403, instructeur_42=403, national=403, accompagnateur=403),
        methode="post",
        donnees=lambda m: _saisie(m, "enregistrer"),
        agissent=frozenset(),
        fait=lambda m, r: m.fiche(EtatFiche.PROPOSEE).titre == "Une cuisine partagée, version reprise",
    ),
    Cas(
        "publier",
        _fiche(EtatFiche.PROPOSEE, "_publier"),
        attendu(referent_a=403, instructeur_42=302, national=403, accompagnateur=403),
        methode="post",
        suite=_fiche(EtatFiche.PROPOSEE),
        agissent=frozenset({"instructeur_42"}),
        fait=lambda m, r: m.fiche(EtatFiche.PROPOSEE).etat == EtatFiche.PUBLIEE,
    ),
    Cas(
        "renvoyer",
        _fiche(EtatFiche.PROPOSEE, "_retourner"),
        attendu(referent_a=403, instructeur_42=302, national=403, accompagnateur=403),
        methode="post",
        donnees={"retour-message": "Ajoutez les difficultés rencontrées."},
        suite=_fiche(EtatFiche.PROPOSEE),
        agissent=frozenset({"instructeur_42"}),
        fait=lambda m, r: m.fiche(EtatFiche.PROPOSEE).etat == EtatFiche.BROUILLON,
    ),
    Cas(
        "renvoyer_sans_message",
        _fiche(EtatFiche.PROPOSEE, "_retourner"),
        attendu(referent_a=403, instructeur_42=422, national=403, accompagnateur=403),
        methode="post",
        donnees={"retour-message": ""},
        contenu={"instructeur_42": ("Ce qu&#x27;il faudrait reprendre",)},
        agissent=frozenset(),
        fait=lambda m, r: m.fiche(EtatFiche.PROPOSEE).etat != EtatFiche.PROPOSEE,
    ),
    Cas(
        "retenir",
        _fiche(EtatFiche.PUBLIEE, "_retenir"),
        attendu(
            referent_a=403, referent_b=403, instructeur_42=403, instructeur_autre=403, national=302, accompagnateur=403
        ),
        methode="post",
        suite=_fiche(EtatFiche.PUBLIEE),
        agissent=frozenset({"national"}),
        fait=lambda m, r: m.fiche(EtatFiche.PUBLIEE).etat == EtatFiche.RETENUE,
    ),
    Cas(
        "fiches_departement",
        lambda m: reverse("mutualisation:fiches_departement", args=["42"]),
        attendu(
            referent_a=403, referent_b=403, instructeur_42=200, instructeur_autre=403, national=200, accompagnateur=403
        ),
        contenu=("Fiches pratiques — Loire (42)", "Proposée A", "Publiée A"),
        absent=("Brouillon A", "Brouillon B"),
    ),
    Cas(
        "fiches_departement_inconnu",
        lambda m: reverse("mutualisation:fiches_departement", args=["ZZ"]),
        attendu(
            referent_a=404, referent_b=404, instructeur_42=404, instructeur_autre=404, national=404, accompagnateur=404
        ),
    ),
    Cas(
        "fiches_nationales",
        lambda m: reverse("mutualisation:fiches_nationales"),
        attendu(
            referent_a=403, referent_b=403, instructeur_42=403, instructeur_autre=403, national=200, accompagnateur=403
        ),
        contenu=("capitalisation nationale", "Publiée A", "Retenue A"),
        absent=("Proposée A", "Brouillon A"),
    ),
]


def _params() -> list[Any]:
    for c in CAS:
        assert set(c.attendu) == set(ROLES_FICHES), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_FICHES]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from mutualisation import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "mutualisation.views.fiches"}
    couverts = {
        "fiches_collectif",
        "fiche_nouvelle",
        "fiche",
        "fiche_publier",
        "fiche_retourner",
        "fiche_retenir",
        "fiches_departement",
        "fiches_nationales",
        "convention_cloturer",  # tests/mutualisation/test_fiches_cloture.py
    }
    assert noms == couverts


def test_proposer_incomplet_garde_la_saisie_et_place_les_erreurs(monde, client):
    client.force_login(monde.referent_a)
    donnees = {"action": "proposer", "titre": "Titre seul", "annee": "2027"}
    reponse = client.post(reverse("mutualisation:fiche", args=[monde.fiches[EtatFiche.BROUILLON].pk]), donnees)
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Décrivez le contexte" in page.erreur_du_champ("contexte")
    assert "Racontez la démarche" in page.erreur_du_champ("demarche")
    assert page.valeur("titre") == "Titre seul"
    fiche = monde.fiche(EtatFiche.BROUILLON)
    assert fiche.etat == EtatFiche.BROUILLON and fiche.titre == "Titre seul"  # the draft itself was saved


def test_credits_sans_accord_refuses_a_cote_du_champ(monde, client):
    client.force_login(monde.referent_a)
    donnees = {"titre": "Avec crédits", "annee": "2027", "credits": "Écrit par Josette Granger."}
    reponse = client.post(reverse("mutualisation:fiche_nouvelle", args=[monde.collectif_a.pk]), donnees)
    assert reponse.status_code == 422
    assert "cochez cette case seulement si" in Page(reponse).erreur_du_champ("credits_consentis")
    assert not FichePratique.objects.filter(titre="Avec crédits").exists()


# Sessions and user, the département, the page of sheets with its total, and the laureate subquery, then the
# choices of the filters (the themes, the years of the département's sheets): the same count whatever the number of
# sheets.
REQUETES_LISTE = 8


@pytest.mark.parametrize("nombre", [1, 6])
def test_requetes_de_la_liste_du_departement(nombre, distribution, client, django_assert_num_queries):
    d = distribution
    for rang in range(nombre):
        collectif = CollectifFactory(nom=f"Collectif n°{rang}", referent=d.referent_a)
        fiche_dans_l_etat(EtatFiche.PROPOSEE, collectif, d.referent_a, d.instructeur_42, d.national, titre=f"F{rang}")
    client.force_login(d.instructeur_42)
    url = reverse("mutualisation:fiches_departement", args=["42"])
    client.get(url)
    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(url)
    assert reponse.content.decode().count("/fiches/") >= nombre
