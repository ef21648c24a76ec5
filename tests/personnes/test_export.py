"""R20: a person's export (ZIP of JSON and a readable PDF): every kind of data, for an account and for a member
without one, nothing of anybody else; who may download it; a constant number of queries."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
import zoneinfo

import pytest
from django.urls import reverse

from collectifs.models import Declaration, Membre
from personnes.selectors import donnees_de, personne_du_compte, personne_du_membre, texte_du_pdf
from tests.collectifs.factories import MembreFactory
from tests.comptes.factories import UserFactory
from tests.conftest import client_pour
from tests.personnes.monde import construire

pytestmark = pytest.mark.pdf


@pytest.fixture
def monde(distribution):
    return construire(distribution)


def _archive(reponse):
    assert reponse.status_code == 200, reponse.status_code
    assert reponse["Content-Type"] == "application/zip"
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        assert sorted(archive.namelist()) == ["donnees.json", "resume.pdf"]
        return json.loads(archive.read("donnees.json")), texte_du_pdf(archive.read("resume.pdf"))


def test_l_export_d_un_compte_contient_chaque_sorte_de_donnees(client, monde):
    donnees, resume = _archive(client_pour(client, monde.odile).get(reverse("personnes:mes_donnees_zip")))

    assert donnees["identite"]["nom"] == "Lefèvre" and donnees["identite"]["email"] == monde.odile.email
    assert [a["collectif"] for a in donnees["adhesions_collectifs"]] == [monde.declaration.collectif.nom]
    assert [r["collectif"] for r in donnees["referent_de"]] == [monde.declaration.collectif.nom]
    assert [d["numero"] for d in donnees["declarations"]] == [monde.declaration.pk]  # she filed it
    assert [m["texte"] for m in donnees["messages"]] == ["Bonjour, Théo Dupré viendra avec moi à la séance."]
    assert [c["pour_le_compte_de"] for c in donnees["consentements"]] == ["Théo Dupré"]  # she typed it
    assert len(donnees["adhesions_charte"]) == 1
    assert [v["choix"] for v in donnees["votes"]] == ["Pour"]
    assert [i["institution"] for i in donnees["instances"]] == ["Amicale des habitants"]
    transitions = {j["transition"] for j in donnees["journal"]}
    assert {"deposer", "retirer"} <= transitions
    types = sorted(d["numero"].split("-")[0] for d in donnees["documents"])
    assert types == ["PV", "REC"]  # the récépissé lists her, the minutes name her present (not the decision)
    assert donnees["adhesions_collectifs"][0]["saisi_le"][:4].isdigit()  # ISO dates
    assert "Données personnelles de Odile Lefèvre" in resume
    assert "Votes en instance (1)" in resume


def test_l_export_d_un_membre_sans_compte_par_sa_referente(client, monde):
    url = reverse("personnes:membre_zip", args=[monde.theo.collectif_id, monde.theo.pk])
    donnees, resume = _archive(client_pour(client, monde.odile).get(url))

    assert donnees["identite"] == {
        "type": "membre sans compte",
        "prenom": "Théo",
        "nom": "Dupré",
        "email": "",
        "telephone": "06 12 34 56 78",
        "collectif": monde.declaration.collectif.nom,
    }
    assert [d["numero"] for d in donnees["declarations"]] == [monde.declaration.pk]  # listed him when filed
    assert [c["pour_le_compte_de"] for c in donnees["consentements"]] == ["Théo Dupré"]
    assert [j["commentaire"] for j in donnees["journal"]] == ["Départ de DUPRE Theo du quartier."]
    assert [d["numero"].split("-")[0] for d in donnees["documents"]] == ["REC"]
    assert donnees["messages"] == [] and donnees["votes"] == []
    assert "Théo Dupré" in resume


def test_une_declaration_deposee_apres_minuit_liste_le_membre_arrive_ce_jour_la(monde):
    """Filed at 0 h 30 in Paris, the day the member joined: its UTC date is the day before, the local one counts."""
    jour = datetime.date(2026, 11, 30)
    Membre.objects.filter(pk=monde.theo.pk).update(date_debut=jour)
    depot = datetime.datetime(2026, 11, 30, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    Declaration.objects.filter(pk=monde.declaration.pk).update(deposee_le=depot)
    monde.theo.refresh_from_db()

    donnees = donnees_de(personne_du_membre(monde.theo))

    assert [d.pk for d in donnees["declarations"]] == [monde.declaration.pk]


def test_l_export_de_a_ne_contient_rien_de_b(client, monde):
    """Théo and Maëlle are in the same collectif, on the same récépissé: Théo's export says nothing of Maëlle."""
    url = reverse("personnes:membre_zip", args=[monde.theo.collectif_id, monde.theo.pk])
    donnees, resume = _archive(client_pour(client, monde.odile).get(url))
    texte = json.dumps(donnees, ensure_ascii=False) + resume
    for trace in ("Maëlle", "Girard", "Odile", "Lefèvre", monde.odile.email):
        assert trace not in texte


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("anonyme", 302),
        ("referent_a", 200),
        ("referent_b", 404),  # collectif A is hidden from them
        ("instructeur_42", 403),  # sees collectif A, may not export its members
        ("instructeur_autre", 404),
        ("national", 200),
    ],
)
def test_qui_exporte_un_membre_sans_compte(client, monde, role, attendu):
    url = reverse("personnes:membre_zip", args=[monde.theo.collectif_id, monde.theo.pk])
    reponse = client_pour(client, monde.seances.utilisateur(role)).get(url)
    assert reponse.status_code == attendu


def test_un_membre_qui_a_un_compte_ne_s_exporte_que_par_ce_compte(client, monde):
    url = reverse("personnes:membre_zip", args=[monde.odile_membre.collectif_id, monde.odile_membre.pk])
    assert client_pour(client, monde.odile).get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "attendu"),
    [("anonyme", 302), ("referent_a", 200), ("referent_b", 404), ("instructeur_42", 404), ("national", 200)],
)
def test_qui_exporte_un_compte(client, monde, role, attendu):
    url = reverse("personnes:compte_zip", args=[monde.odile.pk])
    assert client_pour(client, monde.seances.utilisateur(role)).get(url).status_code == attendu


def test_mon_compte_mene_a_mes_donnees(client, monde):
    page = client_pour(client, monde.odile).get(reverse("comptes:compte")).content.decode()
    assert reverse("personnes:mes_donnees") in page
    page = client.get(reverse("personnes:mes_donnees")).content.decode()
    assert reverse("personnes:mes_donnees_zip") in page


def test_nombre_de_requetes_constant(monde, django_assert_num_queries):
    """The same number of queries whatever the person's history (documents are read from storage, not SQL)."""
    compte = personne_du_compte(monde.odile)
    membre = personne_du_membre(monde.theo)
    donnees_de(compte)  # the content types are cached after the first read
    with django_assert_num_queries(12) as petit:
        donnees_de(compte)
    with django_assert_num_queries(4):
        donnees_de(membre)
    # More of everything: other memberships with her e-mail, more members.
    for _ in range(3):
        MembreFactory(email=monde.odile.email)
        MembreFactory(collectif=monde.theo.collectif)
    UserFactory()
    compte = personne_du_compte(monde.odile)
    with django_assert_num_queries(len(petit.captured_queries)):
        donnees_de(compte)
    with django_assert_num_queries(4):
        donnees_de(personne_du_membre(monde.theo))
