"""SPEC §7, R20, issue 10: the public pages and the open data of the demo name no member. Every demo member's name,
e-mail and phone (collectifs and the instance) is looked for in the home page, the catalogue, every public sheet
and its PDF text, the prize page and every open-data file."""

from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from collectifs.models import Membre
from instances.models import MembreInstance
from mutualisation.enums import FICHE_PUBLIQUE
from mutualisation.models import FichePratique, Prix

pytestmark = pytest.mark.django_db

FICHIERS = [
    "donnees_collectifs_csv",
    "donnees_collectifs_json",
    "donnees_fiches_csv",
    "donnees_fiches_json",
]


def _texte(reponse) -> str:
    contenu = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    if reponse["Content-Type"].startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(contenu)).pages)
    return contenu.decode("utf-8")


def test_aucun_membre_de_la_demo_dans_les_sorties_publiques():
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    personnes: set[str] = set()
    for m in Membre.objects.all():
        personnes |= {f"{m.prenom} {m.nom}", *filter(None, [m.email, m.telephone])}
    for m in MembreInstance.objects.all():
        personnes.add(f"{m.prenom} {m.nom}")
    assert len(personnes) > 50

    client = Client()  # anonymous
    urls = ["/", reverse("mutualisation:catalogue"), "/donnees-ouvertes/"]
    urls += [reverse(f"mutualisation:{nom}") for nom in FICHIERS]
    fiches = list(FichePratique.objects.filter(etat__in=FICHE_PUBLIQUE).values_list("pk", flat=True))
    assert len(fiches) >= 12
    urls += [reverse("mutualisation:pratique", args=[pk]) for pk in fiches]
    urls += [reverse("mutualisation:pratique_pdf", args=[pk]) for pk in fiches]
    urls += [
        reverse("mutualisation:prix_public", args=[annee]) for annee in Prix.objects.values_list("annee", flat=True)
    ]
    for url in urls:
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        texte = _texte(reponse)
        for personne in personnes:
            assert personne not in texte, (url, personne)
