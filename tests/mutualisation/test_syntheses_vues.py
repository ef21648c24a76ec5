"""Pages of the syntheses and the national report (R15): every URL, GET and POST, for every role (302 to login, 404
when hidden, 403 when visible but not allowed, 200/302/422 when allowed), the progress without JavaScript (meta
refresh in noscript, a link) and with htmx (the polled fragment), and query counts pinned at two sizes.

The world: the shared `distribution`, the Loire's instance with two members with an account (one holds the
presidency), a draft 2026 synthesis of the Loire with figures, a transmitted 2025 synthesis with its PDF, and the
national report of 2025 generated."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.urls import reverse

from core import graphiques
from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance
from instances.services import presidence_faire_tourner
from mutualisation import carte
from mutualisation import tasks_syntheses as tasks
from mutualisation.enums import EtatSynthese, EtatTravail
from mutualisation.models import RapportNational, SyntheseDepartementale
from mutualisation.selectors.syntheses import montant
from mutualisation.services import rapports as services_rapports
from mutualisation.services import travaux
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.mondes import SurDistribution
from tests.mutualisation.parcours_syntheses import chiffres_fixes, synthese_transmise
from tests.vues import CONNEXION, JSON, PDF, Cas, Page, verifier

pytestmark = pytest.mark.django_db

ROLES_SYNTHESES = [*ROLES, "membre", "president"]
BROUILLON, TRANSMISE = 2026, 2025


@dataclass
class MondeSyntheses(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("membre", "president")

    membre: Any
    president: Any
    brouillon: SyntheseDepartementale
    transmise: SyntheseDepartementale
    rapport: RapportNational

    def synthese(self) -> SyntheseDepartementale:
        return SyntheseDepartementale.objects.get(pk=self.brouillon.pk)


def construire(distribution: Any, autres: int = 0) -> MondeSyntheses:
    instance = InstanceDepartementale.objects.create(departement_id="42", nom="Instance départementale de la Loire")
    comptes = [UserFactory(email="presidente.42@exemple.fr"), UserFactory(email="membre.42@exemple.fr")]
    for rang, (compte, college) in enumerate(
        zip(comptes, [CollegeInstance.ELUS, CollegeInstance.HABITANTS_USAGERS], strict=True), 1
    ):
        MembreInstance.objects.create(
            instance=instance,
            user=compte,
            prenom="Prénom",
            nom=f"Membre {rang}",
            institution=f"Institution {rang}",
            college=college,
            rang_rotation=rang,
        )
    presidence = presidence_faire_tourner(acteur=distribution.instructeur_42, instance=instance)
    president = presidence.membre.user
    membre = next(c for c in comptes if c != president)
    chiffres = chiffres_fixes("42", "Loire", BROUILLON, agreees=2, engage="20000.00", verse="10000.00")
    brouillon = SyntheseDepartementale.objects.create(
        departement_id="42", annee=BROUILLON, chiffres=chiffres, generee_le="2026-11-01T10:00:00+01:00"
    )
    transmise = synthese_transmise("42", TRANSMISE, agreees=3, engage="30000.01", verse="12345.67")
    tasks.emettre_synthese.call(transmise.pk)
    for annee in range(2015, 2015 + autres):  # more syntheses and reports, for the query counts
        synthese_transmise("42", annee, agreees=1, engage="1.00", verse="1.00")
        RapportNational.objects.create(annee=annee)
    rapport = services_rapports.rapport_lancer(acteur=distribution.national, annee=TRANSMISE)
    tasks.rapport_executer(rapport.travail_id)
    rapport.refresh_from_db()
    transmise.refresh_from_db()
    return MondeSyntheses(distribution, membre, president, brouillon, transmise, rapport)


@pytest.fixture
def monde(distribution) -> MondeSyntheses:
    return construire(distribution)


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str = 404,
    referent_b: int | str = 404,
    instructeur_42: int | str,
    instructeur_autre: int | str = 404,
    national: int | str,
    membre: int | str,
    president: int | str,
) -> dict[str, int | str]:
    """Anonymous visitors log in first; the collectifs' référents and the Rhône's instructeur do not see the Loire's
    syntheses (404)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "membre": membre,
        "president": president,
    }


def national_seul(ok: int | str, autres: int | str = 404) -> dict[str, int | str]:
    return attendu(
        referent_a=autres,
        referent_b=autres,
        instructeur_42=autres,
        instructeur_autre=autres,
        national=ok,
        membre=autres,
        president=autres,
    )


def _page(m: MondeSyntheses) -> str:
    return reverse("mutualisation:synthese", args=[m.brouillon.pk])


def _rapport(nom: str) -> Any:
    return lambda m: reverse(f"mutualisation:{nom}", args=[m.rapport.annee])


REDACTEURS = frozenset({"instructeur_42", "president"})

CAS = [
    Cas(
        "liste",
        lambda m: reverse("mutualisation:syntheses"),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_42=200,
            instructeur_autre=200,
            national=200,
            membre=200,
            president=200,
        ),
        contenu={
            "instructeur_42": ("Générer les chiffres", "Synthèse 2026", "Synthèse 2025"),
            "instructeur_autre": ("Générer les chiffres", "Aucune synthèse pour l'instant."),
            "national": ("Synthèse 2026", "Loire (42)"),
            "membre": ("Synthèse 2026",),
            "president": ("Synthèse 2026",),
        },
        absent={
            "national": ("Générer les chiffres",),
            "membre": ("Générer les chiffres",),
            "instructeur_autre": ("Loire",),
        },
    ),
    Cas(
        "generer",
        lambda m: reverse("mutualisation:synthese_generer"),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_42=302,
            instructeur_autre=422,
            national=403,
            membre=403,
            president=403,
        ),
        methode="post",
        donnees={"departement": "42", "annee": str(BROUILLON)},
        suite=_page,
        contenu={"instructeur_autre": ("Choisissez un de vos départements.",)},
        agissent=frozenset({"instructeur_42"}),
        fait=lambda m, r: m.synthese().generee_par_id is not None,
    ),
    Cas(
        "synthese",
        _page,
        attendu(instructeur_42=200, national=200, membre=200, president=200),
        contenu={
            "instructeur_42": (
                "Générer à nouveau les chiffres",
                "Enregistrer le texte",
                "Transmettre la synthèse",
                "20 000,00 €",
            ),
            "national": ("Les chiffres de l'année 2026", "20 000,00 €", "Déclarations par état"),
            "membre": ("20 000,00 €", "L'instance n'a pas encore écrit son texte."),
            "president": ("Enregistrer le texte", "Transmettre la synthèse"),
        },
        absent={
            "national": ("Enregistrer le texte", "Transmettre la synthèse", "Générer à nouveau"),
            "membre": ("Enregistrer le texte", "Transmettre la synthèse", "Générer à nouveau"),
            "president": ("Générer à nouveau",),
        },
    ),
    Cas(
        "rediger",
        _page,
        attendu(instructeur_42=302, national=403, membre=403, president=302),
        methode="post",
        donnees={"texte_instance": "Le texte de l'instance."},
        suite=_page,
        agissent=REDACTEURS,
        fait=lambda m, r: m.synthese().texte_instance == "Le texte de l'instance.",
    ),
    Cas(
        "regenerer",
        lambda m: reverse("mutualisation:synthese_regenerer", args=[m.brouillon.pk]),
        attendu(instructeur_42=302, national=403, membre=403, president=403),
        methode="post",
        suite=_page,
        agissent=frozenset({"instructeur_42"}),
        fait=lambda m, r: m.synthese().generee_par_id is not None,
    ),
    Cas(
        "transmettre",
        lambda m: reverse("mutualisation:synthese_transmettre", args=[m.brouillon.pk]),
        attendu(instructeur_42=302, national=403, membre=403, president=302),
        methode="post",
        avant=lambda m: SyntheseDepartementale.objects.filter(pk=m.brouillon.pk).update(texte_instance="Texte."),
        suite=_page,
        agissent=REDACTEURS,
        fait=lambda m, r: m.synthese().etat == EtatSynthese.TRANSMISE,
    ),
    Cas(
        "transmettre_sans_texte",
        lambda m: reverse("mutualisation:synthese_transmettre", args=[m.brouillon.pk]),
        attendu(instructeur_42=422, national=403, membre=403, president=422),
        methode="post",
        contenu=("Ajoutez le texte de l&#x27;instance avant de transmettre la synthèse.",),
        agissent=frozenset(),
        fait=lambda m, r: m.synthese().etat == EtatSynthese.TRANSMISE,
    ),
    Cas(
        "synthese_pdf",
        lambda m: reverse("mutualisation:synthese_pdf", args=[m.transmise.pk]),
        attendu(instructeur_42=200, national=200, membre=200, president=200),
        type_contenu=PDF,
    ),
    Cas(
        "rapports",
        lambda m: reverse("mutualisation:rapports"),
        national_seul(200, 403),
        contenu={"national": ("Lancer le rapport national", "Rapport 2025", "Terminé")},
    ),
    Cas(
        "rapport_lancer",
        lambda m: reverse("mutualisation:rapport_lancer"),
        national_seul(302, 403),
        methode="post",
        donnees={"annee": str(BROUILLON)},
        suite=lambda m: reverse("mutualisation:rapport", args=[BROUILLON]),
        agissent=frozenset({"national"}),
        fait=lambda m, r: RapportNational.objects.filter(annee=BROUILLON).exists(),
    ),
    Cas(
        "rapport",
        _rapport("rapport"),
        national_seul(200),
        contenu={
            "national": (
                "Rapport national de capitalisation 2025",
                "Ardèche (07)",
                "30 000,01 €",
                "Collectifs agréés par département en 2025",
                "Données ouvertes (CSV)",
                "Relancer le rapport",
                'max="100" value="100"',
            )
        },
    ),
    Cas(
        "rapport_progression",
        _rapport("rapport_progression"),
        national_seul(200),
        contenu={"national": ("Terminé", "100 %")},
    ),
    Cas(
        "rapport_relancer",
        _rapport("rapport_relancer"),
        national_seul(302),
        methode="post",
        suite=_rapport("rapport"),
        agissent=frozenset({"national"}),
        fait=lambda m, r: RapportNational.objects.get(pk=m.rapport.pk).travail_id != m.rapport.travail_id,
    ),
    Cas("rapport_pdf", _rapport("rapport_pdf"), national_seul(200), type_contenu=PDF),
    Cas("rapport_csv", _rapport("rapport_csv"), national_seul(200), type_contenu="text/csv; charset=utf-8"),
    Cas("rapport_json", _rapport("rapport_json"), national_seul(200), type_contenu=JSON),
]


def _params() -> list[Any]:
    for c in CAS:
        assert set(c.attendu) == set(ROLES_SYNTHESES), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_SYNTHESES]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from mutualisation import urls

    noms = {
        p.name
        for p in urls.urlpatterns
        if p.callback.__module__ in ("mutualisation.views.syntheses", "mutualisation.views.rapports")
    }
    assert noms == {
        "syntheses",
        "synthese_generer",
        "synthese",
        "synthese_regenerer",
        "synthese_transmettre",
        "synthese_pdf",
        "rapports",
        "rapport_lancer",
        "rapport",
        "rapport_progression",
        "rapport_relancer",
        "rapport_pdf",
        "rapport_csv",
        "rapport_json",
    }


def test_une_annee_demesuree_dans_l_adresse_est_introuvable(monde, client):
    client.force_login(monde.national)
    assert client.get("/rapports/99999999999999999999999/").status_code == 404
    assert client.get("/syntheses/99999999999999999999999/").status_code == 404


def test_une_annee_hors_limites_est_signalee_a_cote_du_champ(monde, client):
    client.force_login(monde.national)
    reponse = client.post(reverse("mutualisation:rapport_lancer"), {"annee": "2099"})
    assert reponse.status_code == 422
    assert "Choisissez une année entre 2015" in Page(reponse).erreur_du_champ("annee")


# --- Progress, without and with JavaScript ---------------------------------------------------------------------


def _en_cours(monde: MondeSyntheses) -> None:
    rapport = services_rapports.rapport_lancer(acteur=monde.national, annee=BROUILLON)
    travail = travaux.travail_demarrer(rapport.travail_id)
    travaux.avancer(travail, "Département Loire (42)", 43, 102)


def test_progression_sans_javascript(monde, client):
    _en_cours(monde)
    client.force_login(monde.national)
    page = client.get(reverse("mutualisation:rapport", args=[BROUILLON])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'max="100" value="42"' in page and "42 % — 43 étapes sur 102" in page
    assert "Département Loire (42)" in page
    assert f'href="{reverse("mutualisation:rapport", args=[BROUILLON])}">Actualiser</a>' in page
    assert "Relancer le rapport" not in page  # running: no second job
    arret = client.get(reverse("mutualisation:rapport", args=[BROUILLON]) + "?actualisation=non").content.decode()
    assert "http-equiv" not in arret and "Actualiser" in arret


def test_progression_avec_htmx(monde, client):
    _en_cours(monde)
    client.force_login(monde.national)
    page = client.get(reverse("mutualisation:rapport", args=[BROUILLON])).content.decode()
    fragment = reverse("mutualisation:rapport_progression", args=[BROUILLON])
    assert f'hx-get="{fragment}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert "mutualisation/vendor/htmx-2.0.11.min.js" in page
    reponse = client.get(fragment, headers={"HX-Request": "true"})
    assert "42 %" in reponse.content.decode() and "HX-Refresh" not in reponse
    travail = RapportNational.objects.get(annee=BROUILLON).travail
    travaux.echouer(travail, "boum")
    fin = client.get(fragment, headers={"HX-Request": "true"})
    assert fin["HX-Refresh"] == "true" and "hx-get" not in fin.content.decode()


def test_un_travail_bloque_propose_de_relancer(monde, client):
    import datetime

    import time_machine
    from django.utils import timezone

    from mutualisation.models import BATTEMENT

    _en_cours(monde)
    client.force_login(monde.national)
    with time_machine.travel(timezone.now() + 2 * BATTEMENT + datetime.timedelta(seconds=5), tick=True):
        page = client.get(reverse("mutualisation:rapport", args=[BROUILLON])).content.decode()
        assert "Interrompu : le travail ne donne plus signe de vie" in page
        assert "Relancer le rapport" in page and "http-equiv" not in page
        reponse = client.post(reverse("mutualisation:rapport_relancer", args=[BROUILLON]))
        assert reponse.status_code == 302
    rapport = RapportNational.objects.get(annee=BROUILLON)
    assert rapport.travail.etat == EtatTravail.EN_ATTENTE  # the new job; the stale one is « échoué »


def test_donnees_ouvertes_sans_donnee_personnelle(monde, client):
    client.force_login(monde.national)
    csv = client.get(reverse("mutualisation:rapport_csv", args=[TRANSMISE])).content.decode()
    lignes = csv.splitlines()
    assert lignes[0].startswith("annee,code_departement,departement,synthese_transmise,declarations,agreees")
    assert len(lignes) == 102
    assert f"{TRANSMISE},42,Loire,oui,3,3,5,30000.01,12345.67" in csv
    assert f"{TRANSMISE},07,Ardèche,non,,,,,," in csv
    donnees = client.get(reverse("mutualisation:rapport_json", args=[TRANSMISE])).json()
    assert donnees["totaux"]["argent"]["engage"] == montant(Decimal("30000.01"))
    assert len(donnees["departements"]) == 101 and len(donnees["departements_manquants"]) == 100
    for texte in (csv, str(donnees)):
        for nom in ("@", "Prénom", "Membre 1", "Membre 2"):  # e-mails and the instance members' fixed names
            assert nom not in texte


# --- Query counts --------------------------------------------------------------------------------------------------


# Session, user, the départements the user instructs and those of their instance (two queries), the page of
# syntheses with its total (one query), the generation form's choices, the header's role check: the same count with
# 2 or 8 syntheses.
REQUETES_SYNTHESES = 7
# Session, user, the reports with their job (one query), the header's role checks.
REQUETES_RAPPORTS = 4


@pytest.mark.parametrize("autres", [0, 6])
def test_requetes_de_la_liste_des_syntheses(autres, distribution, client, django_assert_num_queries):
    monde = construire(distribution, autres=autres)
    client.force_login(monde.instructeur_42)
    url = reverse("mutualisation:syntheses")
    client.get(url)
    with django_assert_num_queries(REQUETES_SYNTHESES):
        reponse = client.get(url)
    assert reponse.content.decode().count("<tr>") == 1 + 2 + autres


@pytest.mark.parametrize("autres", [0, 6])
def test_requetes_de_la_liste_des_rapports(autres, distribution, client, django_assert_num_queries):
    monde = construire(distribution, autres=autres)
    client.force_login(monde.national)
    url = reverse("mutualisation:rapports")
    client.get(url)
    with django_assert_num_queries(REQUETES_RAPPORTS):
        reponse = client.get(url)
    assert reponse.content.decode().count("<tr>") == 1 + 1 + autres


def test_la_page_du_rapport_ne_redessine_pas_sa_carte_ni_ses_graphiques(monde, client, monkeypatch):
    """Nothing slow inside the request: the job that issued the report's PDF drew its map and charts, and the page
    reads them from the shared cache (drawing them took 0.5 to 2 s a visit at the national scale)."""

    def interdit(*args, **kwargs):
        raise AssertionError("dessiné pendant la requête")

    monkeypatch.setattr(graphiques, "_dessiner", interdit)
    monkeypatch.setattr(carte, "_dessiner", interdit)
    client.force_login(monde.national)

    page = client.get(reverse("mutualisation:rapport", args=[monde.rapport.annee])).content.decode()

    assert "Collectifs agréés par département en 2025" in page and 'id="rnc-carte"' in page
