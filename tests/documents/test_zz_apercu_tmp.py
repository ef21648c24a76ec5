import pytest
from pathlib import Path

from collectifs.formulaire import formulaire_vierge_obtenir
from collectifs.services import declaration_deposer
from documents.services import document_lire
from tests.collectifs.factories import MembreFactory, OrganisationFactory
from collectifs.enums import College


@pytest.mark.django_db
def test_apercu(declaration_deposable):
    d = declaration_deposable
    c = d.collectif
    MembreFactory(collectif=c, college=College.PROFESSIONNEL, fonction="Conseillère en économie sociale et familiale", organisation=OrganisationFactory(nom="CCAS de Saint-Étienne"))
    doc = declaration_deposer(acteur=c.referents.first(), declaration=d)
    Path("/tmp/apercu/recepisse.pdf").write_bytes(document_lire(doc))
    f = formulaire_vierge_obtenir()
    Path("/tmp/apercu/formulaire.pdf").write_bytes(document_lire(f))
