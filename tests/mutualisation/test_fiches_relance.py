"""A published sheet whose PDF a dead worker never issued is found and issued again by `manage.py travaux_relancer
--relancer` (cron), once: drafts and proposed sheets never get a PDF."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from documents.enums import TypeDocument
from documents.selectors import documents_de
from mutualisation.enums import EtatFiche
from tests.mutualisation.parcours_fiches import fiche_dans_l_etat

pytestmark = pytest.mark.django_db


def test_une_fiche_publiee_sans_pdf_est_relancee_une_fois(distribution, django_capture_on_commit_callbacks):
    d = distribution
    with django_capture_on_commit_callbacks(execute=False):  # the worker never ran the issue
        publiee = fiche_dans_l_etat(EtatFiche.PUBLIEE, d.collectif_a, d.referent_a, d.instructeur_42, d.national)
        proposee = fiche_dans_l_etat(
            EtatFiche.PROPOSEE, d.collectif_a, d.referent_a, d.instructeur_42, d.national, titre="Proposée"
        )
    assert not documents_de(publiee, TypeDocument.FICHE_PRATIQUE).exists()

    sortie = StringIO()
    call_command("travaux_relancer", stdout=sortie)
    assert "1 fiche(s) pratique(s) publiée(s) sans PDF." in sortie.getvalue()
    assert not documents_de(publiee, TypeDocument.FICHE_PRATIQUE).exists()  # listing issues nothing

    with django_capture_on_commit_callbacks(execute=True):
        call_command("travaux_relancer", "--relancer", stdout=StringIO())
    assert documents_de(publiee, TypeDocument.FICHE_PRATIQUE).count() == 1
    assert not documents_de(proposee, TypeDocument.FICHE_PRATIQUE).exists()

    sortie = StringIO()
    call_command("travaux_relancer", stdout=sortie)
    assert "fiche(s) pratique(s)" not in sortie.getvalue()
