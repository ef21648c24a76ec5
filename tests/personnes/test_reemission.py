"""R19, R20: documents learns to render each type again through its registry; a document found by a free-text
mention (a synthesis that names the person) is re-issued too, and the row that pointed to it follows."""

from __future__ import annotations

import pytest

from documents.enums import TypeDocument
from documents.models import Document
from documents.reemission import ReemissionImpossible, document_reemettre, reemetteur_de
from documents.services import document_lire
from mutualisation.models import SyntheseDepartementale
from mutualisation.tasks_syntheses import emettre_synthese
from personnes.selectors import personne_du_membre, pseudonyme_code, texte_du_pdf
from personnes.services import personne_anonymiser
from tests.mutualisation.parcours_syntheses import synthese_transmise
from tests.personnes.monde import construire


def test_chaque_type_qui_peut_nommer_quelqu_un_sait_se_reemettre():
    manquants = [t for t in TypeDocument if reemetteur_de(t) is None]
    assert manquants == [TypeDocument.FORMULAIRE_VIERGE]  # the blank form names nobody


def test_un_type_sans_fonction_ne_se_reemet_pas(db, distribution):
    formulaire = Document(type=TypeDocument.FORMULAIRE_VIERGE, numero="FOR-FR-2027-00001")
    with pytest.raises(ReemissionImpossible):
        document_reemettre(acteur=None, document=formulaire)


@pytest.mark.pdf
def test_une_synthese_qui_nomme_la_personne_est_reemise(distribution, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        monde = construire(distribution)
        synthese = synthese_transmise("42", 2027, agreees=1, engage="30000.00", verse="10000.00")
        SyntheseDepartementale.objects.filter(pk=synthese.pk).update(
            texte_instance="L'instance remercie Théo Dupré pour son engagement."
        )
        emettre_synthese.call(synthese.pk)
    ancienne = SyntheseDepartementale.objects.get(pk=synthese.pk).document
    assert ancienne is not None and "Théo Dupré" in texte_du_pdf(document_lire(ancienne))
    personne = personne_du_membre(monde.theo)

    with django_capture_on_commit_callbacks(execute=True):
        personne_anonymiser(acteur=distribution.national, personne=personne, motif="Demande reçue le 3 mars.")

    synthese = SyntheseDepartementale.objects.select_related("document").get(pk=synthese.pk)
    ancienne = Document.objects.get(pk=ancienne.pk)
    assert ancienne.remplace_par == synthese.document
    texte = texte_du_pdf(document_lire(synthese.document))
    assert f"L'instance remercie Personne {pseudonyme_code(personne)}" in texte.replace("\n", " ")
    assert "Dupré" not in texte
