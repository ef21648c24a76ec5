"""Fixtures of the API tests: a small world around the shared `distribution` of roles."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from campagnes.enums import EtatCampagne
from collectifs.models import Declaration
from documents.enums import TypeDocument
from documents.models import Document
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory, composer
from tests.instances.factories import CampagneFactory

PDF_DE_TEST = b"%PDF-1.4\n% recepisse de test\n%%EOF\n"


def recepisse_de_test(declaration: Declaration, sequence: int = 900) -> Document:
    """A stored récépissé with fake bytes (rendering real PDFs is tested elsewhere, and once below)."""
    numero = f"REC-42-2027-{sequence:05d}"
    document = Document(
        numero=numero,
        type=TypeDocument.RECEPISSE,
        departement="42",
        annee=2027,
        sequence=sequence,
        sha256=hashlib.sha256(PDF_DE_TEST).hexdigest(),
        taille=len(PDF_DE_TEST),
        titre="Récépissé de test",
        content_type=ContentType.objects.get_for_model(Declaration),
        object_id=declaration.pk,
    )
    document.fichier.save(f"{numero}.pdf", ContentFile(PDF_DE_TEST), save=False)
    document.save()
    return document


def deposee(collectif: Any, campagne: Any, **kwargs: Any) -> Declaration:
    """A filed declaration (built directly in its state: the filing itself is tested through the API)."""
    return DeclarationFactory(
        collectif=collectif,
        campagne=campagne,
        deposee=True,
        dynamique_preexistante="Réunions mensuelles depuis 2021.",
        additionnalite="Rien de cela sans le collectif.",
        **kwargs,
    )


@dataclass
class Monde:
    """Collectif A (référent A) has members and a filed declaration with its récépissé.
    Collectif C (référent A too) has only a draft: it stays private to référent A.
    Collectif B (référent B) has only a draft, ready to file: instructeurs do not see it yet."""

    d: Any  # the shared Distribution
    membre_a: Any
    deposee_a: Declaration
    recepisse_a: Document
    collectif_c: Any
    brouillon_a: Declaration  # the draft of collectif C, référent A's
    brouillon_b: Declaration
    campagne_preparation: Any  # Loire 2028, in preparation
    campagne_close: Any  # Loire 2025, closed
    campagne_69: Any  # Rhône 2027, in preparation

    def utilisateur(self, role: str) -> Any:
        return self.d.utilisateur(role)


@pytest.fixture
def monde(distribution) -> Monde:
    d = distribution
    composer(d.collectif_a)
    deposee_a = deposee(d.collectif_a, d.campagne)
    collectif_c = CollectifFactory(referent=d.referent_a, nom="Collectif C de la Cotonne")
    return Monde(
        d=d,
        membre_a=d.collectif_a.membres.order_by("pk").first(),
        deposee_a=deposee_a,
        recepisse_a=recepisse_de_test(deposee_a),
        collectif_c=collectif_c,
        brouillon_a=DeclarationFactory(collectif=collectif_c, campagne=d.campagne),
        brouillon_b=DeclarationFactory(collectif=d.collectif_b, campagne=d.campagne, prete=True),
        campagne_preparation=CampagneFactory(annee=2028),
        campagne_close=CampagneFactory(annee=2025, close=True),
        campagne_69=CampagneFactory(annee=2027, departement=Departement.objects.get(code="69")),
    )


def fermer_campagne_ouverte(monde: Monde) -> None:
    """Close the open Loire 2027 campaign behind the services' back (setup only)."""
    type(monde.d.campagne).objects.filter(pk=monde.d.campagne.pk).update(etat=EtatCampagne.CLOSE)


@pytest.fixture
def api():
    """An API client; `api.en(user)` logs a user in by session (None: anonymous)."""

    class Client(APIClient):
        def en(self, user: Any) -> Client:
            if user is not None:
                self.force_login(user)
            return self

    return Client()
