import pytest

from collectifs.formulaire import formulaire_vierge_obtenir
from collectifs.services import declaration_deposer
from documents.services import document_lire
from tests.collectifs.factories import MembreFactory, OrganisationFactory
from collectifs.enums import College


@pytest.mark.django_db
def test_apercu(declaration_deposable):
    declaration_prete = declaration_deposable
    c = declaration_prete.collectif
    MembreFactory(collectif=c, college=College.PROFESSIONNEL, fonction="Conseillère en économie sociale et familiale", organisation=OrganisationFactory(nom="CCAS de Saint-Étienne"))
    doc = declaration_deposer(acteur=c.referents.first(), declaration=declaration_prete)
    open("/tmp/apercu/recepisse.pdf", "wb").write(document_lire(doc))
    f = formulaire_vierge_obtenir()
    open("/tmp/apercu/formulaire.pdf", "wb").write(document_lire(f))
