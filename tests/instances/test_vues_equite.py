"""R17 Equity in the pages: the equity dashboards (per département and national) for every role, including a funder
and an employer (403), with their SVG charts (by territory, by quartier prioritaire, by institution) and their data
tables and a pinned query count at two sizes; and the séance page: the warning, the agreement without reasons sent
back to the reasons' field, the override recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from campagnes.models import Campagne
from campagnes.services import campagne_clore
from collectifs.models import Collectif, Organisation
from fonds.models import AccesFinanceur
from fonds.models.mises_a_disposition import AccesEmployeur
from instances.enums import ResultatPoint
from instances.models import PointOrdreDuJour
from territoires.models import QuartierPrioritaire
from territoires.services import FICHIER_QUARTIERS_DEMO, quartiers_prioritaires_importer
from tests.collectifs.factories import CollectifFactory, OrganisationFactory
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.fonds.parcours import E, LoireFinancee, campagne_ouverte, loire_financee
from tests.instances.test_equite import MOTIFS, agree, point_de
from tests.vues import CONNEXION, Page, url_connexion

pytestmark = pytest.mark.django_db

ANNEE = 2028
ROLES_EQUITE = [*ROLES, "membre_instance", "financeur", "employeur"]


@dataclass
class MondeEquite:
    distribution: Any
    fonds: LoireFinancee
    campagne: Campagne
    mairie: Organisation
    membre_instance: Any
    financeur: Any
    employeur: Any

    def utilisateur(self, role: str) -> Any:
        if role in ("membre_instance", "financeur", "employeur"):
            return getattr(self, role)
        return self.distribution.utilisateur(role)

    def financer(self, nom: str, communes: str = "42218", quartiers: tuple[str, ...] = ()) -> Collectif:
        collectif = CollectifFactory(nom=nom, institutions=[self.mairie], codes_communes=communes)
        collectif.quartiers_prioritaires.set(QuartierPrioritaire.objects.filter(code__in=quartiers))
        agree(self.fonds, self.campagne, collectif)
        return collectif


@pytest.fixture
def monde(distribution) -> MondeEquite:
    fonds = loire_financee(
        instructeur=distribution.instructeur_42,
        national=distribution.national,
        enveloppes={ANNEE: E("200000"), ANNEE + 1: E("200000"), ANNEE + 2: E("200000")},
    )
    campagne_clore(acteur=distribution.instructeur_42, campagne=distribution.campagne)  # one open campaign at once
    campagne = campagne_ouverte(fonds, annee=ANNEE, quota=10, enveloppe_annuelle=E("150000.00"))
    mairie = OrganisationFactory(nom="Mairie de Saint-Étienne")
    membre_instance = UserFactory(email="membre.instance@exemple.fr")
    membre = fonds.membres[1]  # not the president (the first in rotation)
    membre.user = membre_instance
    membre.save(update_fields=["user"])
    financeur = UserFactory(email="financeur@exemple.fr")
    AccesFinanceur.objects.create(
        financeur=fonds.financeurs["fondation"],
        email=financeur.email,
        utilisateur=financeur,
        invite_par=distribution.national,
        accepte_le=timezone.now(),
    )
    employeur = UserFactory(email="rh@mairie-saint-etienne.fr")
    AccesEmployeur.objects.create(
        organisation=mairie,
        email=employeur.email,
        utilisateur=employeur,
        invite_par=distribution.national,
        accepte_le=timezone.now(),
    )
    monde = MondeEquite(distribution, fonds, campagne, mairie, membre_instance, financeur, employeur)
    monde.financer("Collectif de la Cotonne")
    return monde


# --- The permission matrix of the dashboards ------------------------------------------------------------------------

DEPARTEMENT = {
    "anonyme": CONNEXION,
    "referent_a": 403,
    "referent_b": 403,
    "instructeur_42": 200,
    "instructeur_autre": 403,
    "national": 200,
    "membre_instance": 200,
    "financeur": 403,
    "employeur": 403,
}
NATIONAL = {**dict.fromkeys(DEPARTEMENT, 403), "anonyme": CONNEXION, "national": 200}


@pytest.mark.parametrize(
    ("url", "attendus", "territoire"),
    [
        (reverse("instances:equite_departement", args=["42"]), DEPARTEMENT, "42218"),
        (reverse("instances:equite_nationale"), NATIONAL, "Loire"),
    ],
    ids=["departement", "national"],
)
@pytest.mark.parametrize("role", ROLES_EQUITE)
def test_matrice_des_tableaux_de_bord(url, attendus, territoire, role, monde, client):
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    reponse = client.get(url)
    attendu = attendus[role]
    if attendu == CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"] == url_connexion(url)
        return
    assert reponse.status_code == attendu, (role, reponse.status_code)
    page = reponse.content.decode()
    if attendu == 200:
        assert "1 collectif financé" in page
        # Each chart: an SVG with role img, a title and a description, then the same data as a table.
        for graphique in ("equite-territoires", "equite-quartiers", "equite-institutions"):
            svg = Page(reponse).un(f"svg#{graphique}")
            assert Page.attribut(svg, "role") == "img"
            assert Page.attribut(svg, "aria-labelledby") == f"{graphique}-titre {graphique}-desc"
            assert f'<title id="{graphique}-titre">' in page and f'<desc id="{graphique}-desc">' in page
        lignes = [
            [Page.texte(cellule) for cellule in tr.query_all("th, td")]
            for tr in Page(reponse).tous("#equite-institutions-donnees tbody tr")
        ]
        assert lignes == [["Mairie de Saint-Étienne", "1", "30 000,00 €"]]  # (texte collapses the spaces)
        assert territoire in Page.texte(Page(reponse).un("#equite-territoires-donnees tbody"))
        assert _lignes(reponse, "equite-quartiers") == [
            ["Hors quartier prioritaire ou non renseigné", "1", "30 000,00 €"]
        ]
    else:
        assert "Mairie de Saint-Étienne" not in page


def _lignes(reponse, graphique: str) -> list[list[str]]:
    return [
        [Page.texte(cellule) for cellule in tr.query_all("th, td")]
        for tr in Page(reponse).tous(f"#{graphique}-donnees tbody tr")
    ]


@pytest.mark.parametrize("portee", ["departement", "national"])
def test_repartition_par_quartier_prioritaire(portee, monde, client):
    quartiers_prioritaires_importer(chemin=FICHIER_QUARTIERS_DEMO)
    monde.campagne.plafond_par_institution = 10
    monde.campagne.save(update_fields=["plafond_par_institution"])
    monde.financer("Collectif de Montreynaud", quartiers=("QN04201M", "QN04203C"))
    monde.financer("Montreynaud solidaire", quartiers=("QN04201M",))
    client.force_login(monde.distribution.national)
    url = (
        reverse("instances:equite_departement", args=["42"])
        if portee == "departement"
        else reverse("instances:equite_nationale")
    )
    reponse = client.get(url)
    page = Page(reponse)
    titre = "Collectifs financés et montants par quartier prioritaire de la politique de la ville"
    assert Page.texte(page.un("#equite-quartiers-section")) == titre
    svg = page.un("svg#equite-quartiers")
    assert Page.attribut(svg, "role") == "img"
    # The chart's text stays text: each quartier is named in the SVG too.
    for libelle in ("Montreynaud (QN04201M)", "Crêt de Roc (QN04203C)", "Hors quartier prioritaire ou non"):
        assert libelle in Page.texte(svg)
    assert Page.texte(page.un("#equite-quartiers-donnees caption")) == f"{titre} (données du graphique)"
    assert [Page.texte(th) for th in page.tous("#equite-quartiers-donnees thead th")] == [
        "Quartier prioritaire",
        "Collectifs financés",
        "Montant des tranches (€)",
    ]
    assert _lignes(reponse, "equite-quartiers") == [
        ["Montreynaud (QN04201M)", "2", "60 000,00 €"],
        ["Crêt de Roc (QN04203C)", "1", "30 000,00 €"],
        ["Hors quartier prioritaire ou non renseigné", "1", "30 000,00 €"],
    ]


def test_un_departement_inconnu_est_introuvable(monde, client):
    client.force_login(monde.distribution.national)
    assert client.get(reverse("instances:equite_departement", args=["00"])).status_code == 404


def test_tableau_vide(distribution, client):
    client.force_login(distribution.instructeur_42)
    reponse = client.get(reverse("instances:equite_departement", args=["42"]))
    assert reponse.status_code == 200
    assert "Aucun collectif financé pour l'instant." in reponse.content.decode()
    assert "<svg" not in reponse.content.decode()


# --- Query counts at two sizes -------------------------------------------------------------------------------------

REQUETES = {"departement": 10, "national": 7}  # + 1 each: the quartiers prioritaires


@pytest.mark.parametrize("portee", ["departement", "national"])
def test_requetes_constantes(portee, monde, client, django_assert_num_queries):
    url = (
        reverse("instances:equite_departement", args=["42"])
        if portee == "departement"
        else reverse("instances:equite_nationale")
    )
    client.force_login(monde.distribution.national if portee == "national" else monde.distribution.instructeur_42)
    with django_assert_num_queries(REQUETES[portee]):
        petit = client.get(url)
    monde.campagne.plafond_par_institution = 10
    monde.campagne.save(update_fields=["plafond_par_institution"])
    quartiers_prioritaires_importer(chemin=FICHIER_QUARTIERS_DEMO)
    quartiers = [("QN04206L",), ("QN04201M", "QN04203C"), ()]
    for rang, communes in enumerate(["42095", "42218 42095", "42207"]):
        monde.financer(f"Collectif n°{rang}", communes, quartiers[rang])
        OrganisationFactory(nom=f"Autre institution {rang}").collectifs_portes.add(
            Collectif.objects.get(nom=f"Collectif n°{rang}")
        )
    with django_assert_num_queries(REQUETES[portee]):
        grand = client.get(url)
    assert "1 collectif financé" in petit.content.decode()
    assert "4 collectifs financés" in grand.content.decode()
    assert len(Page(grand).tous("#equite-institutions-donnees tbody tr")) == 4
    assert len(Page(petit).tous("#equite-quartiers-donnees tbody tr")) == 1
    assert len(Page(grand).tous("#equite-quartiers-donnees tbody tr")) == 4  # 3 quartiers + « hors quartier »


# --- The séance page: warning, refusal without reasons, override ---------------------------------------------------


def _point_sous_alerte(monde: MondeEquite) -> PointOrdreDuJour:
    return point_de(
        monde.fonds, monde.campagne, CollectifFactory(nom="Collectif de Terrenoire", institutions=[monde.mairie])
    )


def test_la_seance_montre_l_alerte_et_refuse_l_agrement_sans_motifs(monde, client):
    point = _point_sous_alerte(monde)
    client.force_login(monde.distribution.instructeur_42)
    page_seance = reverse("instances:seance", args=[point.seance_id])
    reponse = client.get(page_seance)
    page = reponse.content.decode()
    assert "Alerte d'équité" in page
    assert "« Mairie de Saint-Étienne » porte déjà 1 collectif financé" in page
    champ = f"point-{point.pk}-equite-motifs_equite"
    assert Page(reponse).champ(champ) is not None
    # Deciding without reasons: 422, the French message next to the reasons' field, nothing decided.
    reponse = client.post(reverse("instances:point_statuer", args=[point.seance_id, point.pk]))
    assert reponse.status_code == 422
    assert "Écrivez les motifs de la dérogation" in Page(reponse).erreur_du_champ(champ)
    point.refresh_from_db()
    assert point.resultat == ""
    # An empty reason is refused next to the field, the input kept.
    reponse = client.post(reverse("instances:point_equite", args=[point.seance_id, point.pk]), {champ: "  "})
    assert reponse.status_code == 422
    assert "Écrivez les motifs" in Page(reponse).erreur_du_champ(champ)
    # With reasons: recorded, then the agreement goes through and keeps them.
    reponse = client.post(reverse("instances:point_equite", args=[point.seance_id, point.pk]), {champ: MOTIFS})
    assert reponse.status_code == 302
    assert reponse["Location"] == f"{page_seance}#point-{point.pk}"
    reponse = client.post(reverse("instances:point_statuer", args=[point.seance_id, point.pk]))
    assert reponse.status_code == 302
    point.refresh_from_db()
    assert point.resultat == ResultatPoint.AGREEE
    assert point.motifs_equite == MOTIFS
    page = client.get(page_seance).content.decode()
    assert "Dérogation au plafond par institution d'origine" in page
    assert MOTIFS.replace("'", "&#x27;") in page


MOTIVER = {
    "anonyme": CONNEXION,
    "referent_a": 404,
    "referent_b": 404,
    "instructeur_42": 302,
    "instructeur_autre": 404,
    "national": 403,
    "membre_instance": 403,
    "financeur": 404,
    "employeur": 404,
}


@pytest.mark.parametrize("role", ROLES_EQUITE)
def test_matrice_de_la_derogation(role, monde, client):
    point = _point_sous_alerte(monde)
    utilisateur = monde.utilisateur(role)
    if utilisateur is not None:
        client.force_login(utilisateur)
    url = reverse("instances:point_equite", args=[point.seance_id, point.pk])
    reponse = client.post(url, {f"point-{point.pk}-equite-motifs_equite": MOTIFS})
    if MOTIVER[role] == CONNEXION:
        assert reponse.status_code == 302
        assert reponse["Location"] == url_connexion(url)
    else:
        assert reponse.status_code == MOTIVER[role], (role, reponse.status_code)
    point.refresh_from_db()
    assert (point.motifs_equite == MOTIFS) is (role == "instructeur_42")


def test_le_plafond_figure_sur_la_page_de_la_campagne(monde, client):
    client.force_login(monde.distribution.instructeur_42)
    reponse = client.get(reverse("campagnes:campagne", args=[monde.campagne.pk]))
    page = reponse.content.decode()
    assert "Plafond par institution d'origine" in page
    assert "1 collectif financé en cours dans le département" in page


def test_la_page_de_l_instance_mene_au_tableau_de_bord(monde, client):
    client.force_login(monde.membre_instance)
    reponse = client.get(reverse("instances:instance", args=[monde.fonds.instance.pk]))
    lien = Page(reponse).un(f'a[href="{reverse("instances:equite_departement", args=["42"])}"]')
    assert Page.texte(lien) == "Équité des financements dans le département"


API = {"instructeur_42": 200, "membre_instance": 403, "national": 403, "referent_a": 404, "financeur": 404}


@pytest.mark.parametrize("role", list(API))
def test_api_de_la_derogation(role, monde, client):
    point = _point_sous_alerte(monde)
    client.force_login(monde.utilisateur(role))
    url = f"/api/v1/seances/{point.seance_id}/points/{point.pk}/derogation-equite/"
    reponse = client.post(url, {"motifs_equite": MOTIFS}, content_type="application/json")
    assert reponse.status_code == API[role], (role, reponse.status_code)
    point.refresh_from_db()
    assert (point.motifs_equite == MOTIFS) is (role == "instructeur_42")
    if role == "instructeur_42":
        assert reponse.json()["motifs_equite"] == MOTIFS
        vide = client.post(url, {"motifs_equite": " "}, content_type="application/json")
        assert vide.status_code == 400
        assert "Écrivez les motifs" in str(vide.json())
        # The reasons recorded, the agreement goes through; the warning is kept with the decision.
        decide = client.post(f"/api/v1/seances/{point.seance_id}/points/{point.pk}/statuer/")
        assert decide.status_code == 200
        assert "Mairie de Saint-Étienne" in decide.json()["alerte_equite"]
