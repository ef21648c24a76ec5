"""Public figures and open data (SPEC §7, §8): the national figures and the table by département equal the fund's
tranches and payments; the open-data files (CSV: comma, UTF-8 without byte-order mark, a header row; JSON) hold the
agreed collectifs and the published sheets only; no member's, référent's, juror's or instance member's name, e-mail
or phone appears in any public output; the page is open to every role; query counts at two sizes.

The world: the check-ins' world (tests/fonds/test_vues_bilans.py): collectif A of the Loire agreed by a séance of the
Loire's instance, its convention signed and tranche 1 paid; collectif B with members too. Sheets: A's published one
(its credits name a member), a retained one, a draft and a proposed one."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from collectifs.enums import College
from collectifs.models import Membre
from comptes.models import User
from fonds.models import Tranche, Versement
from instances.models import MembreInstance
from mutualisation.enums import EtatFiche
from mutualisation.models import Theme
from mutualisation.selectors.donnees import chiffres_nationaux, chiffres_par_departement
from mutualisation.services.prix import (
    membre_jury_ajouter,
    nomination_ajouter,
    note_enregistrer,
    prix_creer,
    prix_ouvrir_jury,
    prix_proclamer,
)
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.conftest import ROLES
from tests.fonds.test_vues_bilans import construire as monde_bilans
from tests.mutualisation.test_prix import fiche
from tests.vues import Cas, composer_fixe, membre, verifier

pytestmark = pytest.mark.django_db

FICHIERS = [
    "/donnees-ouvertes/collectifs-agrees.csv",
    "/donnees-ouvertes/collectifs-agrees.json",
    "/donnees-ouvertes/fiches-publiees.csv",
    "/donnees-ouvertes/fiches-publiees.json",
]


def construire(distribution: Any) -> Any:
    m = monde_bilans(distribution)
    d = distribution
    composer_fixe(d.collectif_a)
    composer_fixe(
        d.collectif_b,
        [
            (College.ELU_RESPONSABLE, "Hélène", "Vidalenc"),
            (College.PROFESSIONNEL, "Yannick", "Blachère"),
            (College.HABITANT, "Fatou", "Sissoko"),
        ],
    )
    membre(
        d.collectif_a,
        College.HABITANT,
        "Josiane",
        "Ferrand",
        email="josiane.ferrand@exemple.fr",
        telephone="0601020304",
    )
    membre(d.collectif_b, College.PROFESSIONNEL, "Bertrand", "Lacombe", email="b.lacombe@exemple.fr")
    publiee = fiche(
        d.collectif_a, "Une cuisine partagée", credits="Josiane Ferrand, habitante", territoire="Montreynaud"
    )
    publiee.themes.set(Theme.objects.order_by("ordre")[:2])
    fiche(d.collectif_b, "Un jardin retenu", etat=EtatFiche.RETENUE)
    fiche(d.collectif_b, "Un brouillon secret", etat=EtatFiche.BROUILLON)
    fiche(d.collectif_b, "Une fiche proposée", etat=EtatFiche.PROPOSEE)
    return m


@pytest.fixture
def monde(distribution) -> Any:
    return construire(distribution)


def test_chiffres_nationaux_egaux_aux_tranches_et_versements(monde):
    chiffres = chiffres_nationaux()
    engage = sum((t.montant for t in Tranche.objects.filter(convention=monde.convention)), Decimal("0"))
    verse = Versement.objects.get().montant
    assert chiffres.collectifs_agrees == 1
    assert chiffres.montant_engage == engage > 0
    assert chiffres.montant_verse == verse > 0
    assert chiffres.fiches_publiees == 2  # published and retained; never drafts nor proposed sheets
    (loire,) = chiffres_par_departement()
    assert (loire.departement.code, loire.collectifs_agrees, loire.montant_engage, loire.montant_verse) == (
        "42",
        1,
        engage,
        verse,
    )
    assert loire.fiches_publiees == 2
    assert len(chiffres_par_departement(tous=True)) == 101


def test_csv_des_collectifs_agrees(monde, client):
    reponse = client.get("/donnees-ouvertes/collectifs-agrees.csv")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    contenu = b"".join(reponse.streaming_content)
    assert not contenu.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8"))))
    assert lignes[0] == [
        "nom_collectif",
        "code_departement",
        "departement",
        "annee_agrement",
        "codes_communes",
        "montant_engage",
    ]
    engage = chiffres_nationaux().montant_engage
    assert lignes[1:] == [["Collectif A de Montreynaud", "42", "Loire", "2028", "42218", f"{engage:.2f}"]]


def test_json_des_fiches_publiees(monde, client):
    reponse = client.get("/donnees-ouvertes/fiches-publiees.json")
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    donnees = json.loads(reponse.content)
    assert [f["titre"] for f in donnees] == ["Un jardin retenu", "Une cuisine partagée"]  # by title
    premiere = donnees[1]
    assert set(premiere) == {"titre", "code_departement", "departement", "annee", "themes", "territoire", "url"}
    assert premiere["themes"] == list(Theme.objects.order_by("ordre").values_list("code", flat=True)[:2])
    assert premiere["url"].endswith(reverse("mutualisation:pratique", args=[monde.collectif_a.fiches.get().pk]))
    csv_fiches = b"".join(client.get("/donnees-ouvertes/fiches-publiees.csv").streaming_content).decode()
    assert csv_fiches.splitlines()[0] == "titre,code_departement,departement,annee,themes,territoire,url"
    assert ";".join(premiere["themes"]) in csv_fiches


def _sorties_publiques(client: Any) -> dict[str, str]:
    sorties = {}
    for url in [*FICHIERS, "/donnees-ouvertes/", reverse("mutualisation:prix_public", args=[2027])]:
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
        sorties[url] = contenu.decode("utf-8")
    return sorties


def test_aucune_donnee_personnelle_dans_les_sorties_publiques(monde, client):
    """SPEC §7, R20: scan every public output for every person of the world."""
    # A proclaimed prize too, whose jury names people.
    loire = monde.convention.departement
    prix = prix_creer(acteur=monde.instructeur_42, niveau="departemental", annee=2027, titre="Prix", departement=loire)
    nomination = nomination_ajouter(acteur=monde.instructeur_42, prix=prix, fiche=monde.collectif_a.fiches.get())
    for college, email in (
        (College.ELU_RESPONSABLE, monde.instructeur_42.email),
        (College.PROFESSIONNEL, ""),
        (College.HABITANT, ""),
    ):
        membre_jury_ajouter(
            acteur=monde.instructeur_42, prix=prix, prenom="Gaspard", nom="Jurémont", college=college, email=email
        )
    prix_ouvrir_jury(acteur=monde.instructeur_42, prix=prix)
    note_enregistrer(acteur=monde.instructeur_42, nomination=nomination, note=8)
    prix_proclamer(acteur=monde.instructeur_42, prix=prix)

    personnes: set[str] = {"Gaspard Jurémont", "Jurémont"}
    for m in Membre.objects.all():
        personnes |= {f"{m.prenom} {m.nom}", m.nom, *filter(None, [m.email, m.telephone])}
    for m in MembreInstance.objects.all():
        personnes.add(f"{m.prenom} {m.nom}")
    for u in User.objects.all():
        personnes |= {u.email, *filter(None, [u.nom_complet])}
    assert {"Josiane Ferrand", "josiane.ferrand@exemple.fr", "0601020304", "referente.a@exemple.fr"} <= personnes
    assert Membre.objects.count() == 10
    sorties = _sorties_publiques(client)
    assert "Une cuisine partagée" in sorties["/donnees-ouvertes/fiches-publiees.csv"]
    assert "Une cuisine partagée" in sorties["/prix/2027/"]
    for url, texte in sorties.items():
        for personne in personnes:
            assert personne not in texte, (url, personne)
        for secret in ("Un brouillon secret", "Une fiche proposée"):
            assert secret not in texte, (url, secret)


TOUS_200 = dict.fromkeys(ROLES, 200)
CAS = [
    Cas(
        "donnees_ouvertes",
        lambda m: "/donnees-ouvertes/",
        TOUS_200,
        contenu=("Données ouvertes", "Les collectifs en chiffres", '<th scope="row">Loire (42)</th>', "Télécharger"),
    ),
    Cas("donnees_ouvertes-post", lambda m: "/donnees-ouvertes/", dict.fromkeys(ROLES, 405), methode="post"),
    *[Cas(f"fichier-{url}", lambda m, url=url: url, TOUS_200, type_contenu="") for url in FICHIERS],
]


@pytest.mark.parametrize(("cas", "role"), [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES])
def test_matrice(cas, role, monde, client):
    if cas.type_contenu == "":
        if monde.utilisateur(role) is not None:
            client.force_login(monde.utilisateur(role))
        assert client.get(cas.url(monde)).status_code == 200
        return
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_publique_et_dans_la_matrice():
    from mutualisation import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "mutualisation.views.donnees"}
    assert noms == {
        "donnees_ouvertes",
        "donnees_collectifs_csv",
        "donnees_collectifs_json",
        "donnees_fiches_csv",
        "donnees_fiches_json",
    }
    assert reverse("mutualisation:donnees_ouvertes") == "/donnees-ouvertes/"


# The four national figures, the départements and the four grouped figures by département.
REQUETES_PAGE = 9


@pytest.mark.parametrize("nombre", [1, 6])
def test_requetes_constantes(nombre, distribution, client, django_assert_num_queries):
    for rang in range(nombre):
        departement = Departement.objects.order_by("code")[rang]
        collectif = CollectifFactory(departement=departement, nom=f"Collectif {rang}")
        DeclarationFactory(collectif=collectif, campagne=distribution.campagne, agreee=True)
        fiche(collectif, f"Fiche {rang}")
    with django_assert_num_queries(REQUETES_PAGE):
        page = client.get("/donnees-ouvertes/").content.decode()
    assert page.count('<th scope="row">') == nombre
    with django_assert_num_queries(2):  # the themes are prefetched
        contenu = b"".join(client.get("/donnees-ouvertes/fiches-publiees.csv").streaming_content)
    assert contenu.decode().count("\r\n") == nombre + 1
    with django_assert_num_queries(1):
        contenu = b"".join(client.get("/donnees-ouvertes/collectifs-agrees.csv").streaming_content)
    assert contenu.decode().count("\r\n") == nombre + 1
