"""SPEC §2: a member of the departmental instance sees a declaration once it is on the agenda of one of its
instance's séances: its file and the decisions, never the exchanges of the instruction (requests for more, the
collectif's answers, their PDFs, the thread of messages). Before that, the declaration is hidden (404)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.permissions import can_voir_declaration, can_voir_echanges_instruction, can_voir_messages
from collectifs.selectors import declaration_visible_to
from collectifs.services import (
    complements_demander,
    complements_repondre,
    declaration_declarer_recevable,
    declaration_instruire,
    message_envoyer,
)
from documents.enums import TypeDocument
from instances.selectors import documents_visibles_de_la_declaration
from instances.services import seance_preparer
from territoires.models import Departement
from tests.instances.factories_seances import PARIS, InstanceFactory, MembreInstanceFactory
from tests.vues import brouillon_pret, deposer

DEMANDE = "Merci de préciser qui anime les réunions mensuelles."
REPONSE = "Le centre social anime, avec deux habitantes du quartier."
MESSAGE = "Une question sur le budget prévisionnel de la cuisine partagée."

API = "/api/v1/declarations/{pk}/"


@pytest.fixture
def membre(distribution) -> Any:
    """A member with an account of the Loire's instance; a member of the Rhône's instance exists too."""
    MembreInstanceFactory(instance=InstanceFactory(departement=Departement.objects.get(code="69")), avec_compte=True)
    return MembreInstanceFactory(instance=InstanceFactory(), avec_compte=True).user


def _voit(client: Client, user: Any, declaration: Declaration) -> tuple[int, int]:
    """(UI follow-up page, API detail) status codes for this user."""
    client.force_login(user)
    page = client.get(reverse("instances:declaration_detail", args=[declaration.pk]))
    api = client.get(API.format(pk=declaration.pk))
    return page.status_code, api.status_code


def _recharger(declaration: Declaration) -> Declaration:
    return Declaration.objects.get(pk=declaration.pk)


def test_le_membre_ne_voit_la_declaration_qu_une_fois_a_l_ordre_du_jour(distribution, membre, client):
    instructeur = distribution.instructeur_42
    declaration, _ = deposer(brouillon_pret(distribution.collectif_a))
    assert _voit(client, membre, declaration) == (404, 404)  # filed

    declaration = declaration_instruire(acteur=instructeur, declaration=declaration)
    assert declaration.etat == EtatDeclaration.EN_INSTRUCTION
    assert _voit(client, membre, declaration) == (404, 404)  # under instruction
    message_envoyer(acteur=instructeur, declaration=declaration, texte=MESSAGE)

    complements_demander(acteur=instructeur, declaration=declaration, message=DEMANDE)
    declaration = _recharger(declaration)
    assert declaration.etat == EtatDeclaration.A_COMPLETER
    assert _voit(client, membre, declaration) == (404, 404)  # à compléter
    assert not can_voir_declaration(membre, declaration)
    assert not declaration_visible_to(membre).filter(pk=declaration.pk).exists()

    declaration = complements_repondre(
        acteur=distribution.referent_a, declaration=_recharger(declaration), reponse=REPONSE
    )
    declaration = declaration_declarer_recevable(acteur=instructeur, declaration=_recharger(declaration))
    assert _voit(client, membre, declaration) == (404, 404)  # recevable, on no agenda yet

    seance_preparer(
        acteur=instructeur,
        instance=InstanceFactory(),
        campagne=distribution.campagne,
        date=datetime.datetime(2027, 3, 15, 14, 30, tzinfo=PARIS),
        lieu="Hôtel du Département, Saint-Étienne",
    )
    declaration = _recharger(declaration)
    assert declaration.points.exists()
    assert _voit(client, membre, declaration) == (200, 200)  # on the agenda
    assert can_voir_declaration(membre, declaration)
    assert list(declaration_visible_to(membre).filter(pk=declaration.pk)) == [declaration]

    # The file, not the exchanges of the instruction.
    assert not can_voir_messages(membre, declaration)
    assert not can_voir_echanges_instruction(membre, declaration)
    page = client.get(reverse("instances:declaration_detail", args=[declaration.pk])).content.decode()
    for texte in (DEMANDE, REPONSE, MESSAGE, "Compléments demandés", "la demande de compléments"):
        assert texte not in page, texte
    assert "le récépissé" in page
    assert client.get(API.format(pk=declaration.pk) + "complements/").status_code == 404  # private, like the thread
    assert client.get(API.format(pk=declaration.pk) + "messages/").status_code == 404
    types = {d["type"] for d in client.get(API.format(pk=declaration.pk) + "documents/").json()["results"]}
    assert types == {TypeDocument.RECEPISSE}
    assert set(documents_visibles_de_la_declaration(membre, declaration).values_list("type", flat=True)) == {
        TypeDocument.RECEPISSE
    }
    demande_pdf = documents_visibles_de_la_declaration(instructeur, declaration).get(
        type=TypeDocument.DEMANDE_COMPLEMENTS
    )
    url_pdf = reverse("instances:document", args=[declaration.pk, demande_pdf.numero])
    assert client.get(url_pdf).status_code == 404
    assert client.get(API.format(pk=declaration.pk) + f"documents/{demande_pdf.numero}/").status_code == 404

    # The instructeur still sees all of it.
    client.force_login(instructeur)
    page = client.get(reverse("instances:declaration_detail", args=[declaration.pk])).content.decode()
    for texte in (DEMANDE, REPONSE, MESSAGE):
        assert texte in page, texte
    assert client.get(API.format(pk=declaration.pk) + "complements/").status_code == 200


def test_un_membre_d_une_autre_instance_ne_voit_pas_la_declaration_a_l_ordre_du_jour(distribution, membre, client):
    instructeur = distribution.instructeur_42
    declaration, _ = deposer(brouillon_pret(distribution.collectif_a))
    declaration_declarer_recevable(acteur=instructeur, declaration=declaration)
    seance_preparer(
        acteur=instructeur,
        instance=InstanceFactory(),
        campagne=distribution.campagne,
        date=datetime.datetime(2027, 3, 15, 14, 30, tzinfo=PARIS),
        lieu="Hôtel du Département, Saint-Étienne",
    )
    autre = MembreInstanceFactory(
        instance=InstanceFactory(departement=Departement.objects.get(code="69")), avec_compte=True
    ).user
    inactif = MembreInstanceFactory(instance=InstanceFactory(), avec_compte=True, actif=False).user
    assert _voit(client, membre, declaration) == (200, 200)
    assert _voit(client, autre, declaration) == (404, 404)
    assert _voit(client, inactif, declaration) == (404, 404)
