"""The blank paper declaration form, for assisted filing (SPEC §2, §6): one per charter version (R16)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from collectifs.enums import College
from collectifs.formulaire import formulaire_vierge_obtenir
from collectifs.models import Charte
from collectifs.selectors import charte_courante
from documents.enums import TypeDocument
from documents.models import CODE_NATIONAL, Document
from documents.services import document_lire
from tests.documents.pdf import texte_pdf

pytestmark = pytest.mark.pdf


@pytest.mark.django_db
def test_le_formulaire_contient_les_colleges_la_charte_et_le_mode_de_depot():
    charte = charte_courante()

    document = formulaire_vierge_obtenir()
    texte = texte_pdf(document_lire(document))

    annee = timezone.localtime(charte.publiee_le).year
    assert document.numero == f"FOR-{CODE_NATIONAL}-{annee}-00001"
    assert (document.type, document.departement, document.annee) == (TypeDocument.FORMULAIRE_VIERGE, "FR", annee)
    assert document.objet == charte
    assert document.emis_par is None
    assert document.numero in texte
    # The three colleges, each with its R1 minimum, and a consent column.
    for libelle, minimum in (
        (College.ELU_RESPONSABLE.label, "au moins 1 personne"),
        (College.PROFESSIONNEL.label, "au moins 2 personnes"),
        (College.HABITANT.label, "au moins 2 personnes"),
    ):
        assert f"{libelle} — {minimum}" in texte
    assert texte.count("Accord et signature") == 3
    # The texts to write, up to 5 indicators.
    assert "La dynamique collaborative qui existe déjà" in texte
    assert "Ce qui n'existerait pas sans le collectif" in texte
    assert "5 indicateurs au plus" in texte
    # The full charter, every principle, with its version and a signature box.
    assert f"version {charte.version}" in texte
    for paragraphe in charte.paragraphes:
        assert " ".join(paragraphe.split()) in texte
    assert "je déclare adhérer à la charte ci-dessus" in texte
    # How to file it.
    assert "secrétariat du département" in texte
    assert "accompagnateur·rice" in texte
    assert "avec votre accord" in texte


@pytest.mark.django_db
def test_le_formulaire_est_emis_une_seule_fois_par_version_de_charte():
    premier = formulaire_vierge_obtenir()
    second = formulaire_vierge_obtenir()

    assert second.pk == premier.pk
    assert Document.objects.filter(type=TypeDocument.FORMULAIRE_VIERGE).count() == 1


@pytest.mark.django_db
def test_une_nouvelle_version_de_charte_donne_un_nouveau_formulaire():
    ancien = formulaire_vierge_obtenir()
    # Published on New Year's Eve at 23:30 UTC: already 2030 in Paris, so the form is numbered in 2030.
    charte = Charte.objects.create(
        version=charte_courante().version + 1,
        titre="Charte des collectifs de développement social",
        texte="Premier principe de la version nouvelle.\n\nSecond principe, ajouté en 2030.",
        publiee_le=datetime.datetime(2029, 12, 31, 23, 30, tzinfo=datetime.UTC),
    )

    nouveau = formulaire_vierge_obtenir()

    assert nouveau.pk != ancien.pk
    assert nouveau.objet == charte
    assert nouveau.numero == "FOR-FR-2030-00001"
    texte = texte_pdf(document_lire(nouveau))
    assert f"version {charte.version}" in texte
    assert "Second principe, ajouté en 2030." in texte
    assert "L'action collective est un moyen, pas une fin." not in texte
    assert formulaire_vierge_obtenir().pk == nouveau.pk
    assert document_lire(ancien)
