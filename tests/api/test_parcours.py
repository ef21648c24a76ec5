"""The auto-proclamation journey through the API alone, from an empty collectif to the récépissé PDF."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from demo.charge.parcours import MEMBRES  # the same five members as the load test's filing journey
from documents.models import Document
from journal.models import TransitionLog
from tests.api.conftest import deposee, recepisse_de_test

R = "/api/v1/"


@pytest.mark.pdf
def test_parcours_complet_par_l_api(api, distribution, django_capture_on_commit_callbacks):
    client = api.en(distribution.referent_a)

    reponse = client.post(
        R + "collectifs/",
        {
            "nom": "Collectif de la Cotonne",
            "departement": "42",
            "territoire": "Quartier de la Cotonne, Saint-Étienne",
            "codes_communes": "42218",
            "institutions_origine": [{"nom": "Centre social de la Cotonne"}],
        },
        format="json",
    )
    assert reponse.status_code == 201, reponse.json()
    collectif_id, brouillon_id = reponse.json()["id"], reponse.json()["brouillon"]
    composition_url = R + f"collectifs/{collectif_id}/composition/"
    assert client.get(composition_url).json()["messages"] == [
        "Il manque 1 élu·e ou responsable d'institution",
        "Il manque 2 professionnel·les",
        "Il manque 2 représentant·es d'habitants ou d'usagers",
    ]

    # Members, one by one; the composition says at each step what is still missing.
    manques = []
    for college, prenom, nom, organisation in MEMBRES:
        corps = {"college": college, "prenom": prenom, "nom": nom, "consentement": True, "organisation": organisation}
        reponse = client.post(R + f"collectifs/{collectif_id}/membres/", corps, format="json")
        assert reponse.status_code == 201, reponse.json()
        manques.append(len(client.get(composition_url).json()["messages"]))
    assert manques == [2, 2, 1, 1, 0]
    assert client.get(composition_url).json()["est_conforme"] is True

    # Texts, indicators and charter, each saved on the draft.
    declaration_url = R + f"declarations/{brouillon_id}/"
    assert (
        client.patch(
            declaration_url,
            {
                "dynamique_preexistante": "Depuis 2022, le centre social, la mairie et l'amicale se réunissent.",
                "projet": "Une cuisine partagée au pied des immeubles.",
                "additionnalite": "Aucune des structures ne porterait seule la cuisine.",
            },
            format="json",
        ).status_code
        == 200
    )
    indicateurs = {"indicateurs": [{"libelle": "Paroles d'habitant·es sur la cuisine"}]}
    assert client.put(declaration_url + "indicateurs/", indicateurs, format="json").status_code == 200
    assert client.get(declaration_url + "conditions/").json()["erreurs"] == {
        "adhesion_charte": ["La charte des collectifs doit être acceptée."]
    }
    charte = client.post(declaration_url + "accepter-charte/", format="json").json()["charte"]
    assert charte["version"] == 1
    assert client.get(declaration_url + "conditions/").json() == {
        "peut_deposer": True,
        "campagne": distribution.campagne.pk,
        "erreurs": {},
    }

    # Filing: a numbered récépissé at once, one journal row, instructeurs told after commit.
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(declaration_url + "deposer/", format="json")
    assert reponse.status_code == 201, reponse.json()
    depot = reponse.json()
    numero = depot["numero"]
    assert numero == "REC-42-2027-00001"
    assert depot["recepisse_url"] == f"http://testserver{declaration_url}recepisse/"
    assert depot["declaration"]["etat"] == "deposee"
    assert depot["declaration"]["recepisse"] == {"numero": numero, "url": depot["recepisse_url"]}
    declaration = Declaration.objects.get(pk=brouillon_id)
    assert declaration.etat == EtatDeclaration.DEPOSEE
    assert TransitionLog.objects.filter(object_id=declaration.pk, transition="deposer").count() == 1
    assert [m.to for m in mail.outbox] == [[distribution.instructeur_42.email]]

    pdf = client.get(depot["recepisse_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for attendu in (numero, "Collectif de la Cotonne", "Fournier", "Traoré", "Chapuis"):
        assert attendu in texte
    assert Document.objects.get(numero=numero).sha256

    # The département's instructeur sees it; the other département's does not.
    liste = api.__class__().en(distribution.instructeur_42).get(R + "declarations/").json()["results"]
    assert [d["id"] for d in liste] == [declaration.pk]
    autre = api.__class__().en(distribution.instructeur_autre)
    assert autre.get(declaration_url).status_code == 404
    assert autre.get(depot["recepisse_url"]).status_code == 404

    # Withdrawal, with a reason, journalled.
    reponse = client.post(declaration_url + "retirer/", {"motif": "Le projet est reporté."}, format="json")
    assert reponse.status_code == 200
    assert (reponse.json()["etat"], reponse.json()["motif_retrait"]) == ("retiree", "Le projet est reporté.")
    journal = TransitionLog.objects.get(object_id=declaration.pk, transition="retirer")
    assert (journal.commentaire, journal.acteur) == ("Le projet est reporté.", distribution.referent_a)


def test_recepisse_demande_en_pdf(api, distribution):
    """`Accept: application/pdf` is honoured (no 406), and a missing récépissé still answers a 404."""
    declaration = deposee(distribution.collectif_a, distribution.campagne)
    url = R + f"declarations/{declaration.pk}/recepisse/"
    client = api.en(distribution.referent_a)
    assert client.get(url, HTTP_ACCEPT="application/pdf").status_code == 404
    recepisse_de_test(declaration)
    reponse = client.get(url, HTTP_ACCEPT="application/pdf")
    assert reponse.status_code == 200
    assert reponse.content.startswith(b"%PDF")
