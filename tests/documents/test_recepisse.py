"""The récépissé issued when a declaration is filed (R2, SPEC §6): its text, number, hash, immutability."""

from __future__ import annotations

import datetime
import hashlib
import re
import time
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from collectifs.enums import College, NatureIndicateur
from collectifs.models import Declaration, Indicateur
from collectifs.selectors import membres_actuels
from collectifs.services import declaration_deposer
from documents.enums import TypeDocument
from documents.models import Document
from documents.services import document_lire
from tests.collectifs.factories import DeclarationFactory, MembreFactory, OrganisationFactory
from tests.documents.pdf import texte_pdf

pytestmark = pytest.mark.pdf

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def deposer(declaration: Declaration) -> Document:
    return declaration_deposer(acteur=declaration.collectif.referents.first(), declaration=declaration)


@pytest.mark.django_db
def test_le_recepisse_reprend_la_declaration_deposee(declaration_prete):
    declaration = declaration_prete
    collectif = declaration.collectif
    aujourd_hui = timezone.localdate()
    MembreFactory(
        collectif=collectif,
        college=College.PROFESSIONNEL,
        prenom="Nadia",
        nom="Benali",
        fonction="Conseillère en économie sociale et familiale",
        organisation=OrganisationFactory(nom="CCAS de Saint-Étienne"),
        email="nadia.benali@exemple.fr",
        telephone="06 12 34 56 78",
    )
    MembreFactory(
        collectif=collectif,
        college=College.HABITANT,
        prenom="Gaston",
        nom="Partidavant",
        date_debut=aujourd_hui - datetime.timedelta(days=400),
        date_fin=aujourd_hui - datetime.timedelta(days=1),
    )
    Indicateur.objects.create(
        declaration=declaration, libelle="Paroles d'habitant·es recueillies", description="Un cahier à la cuisine."
    )
    Indicateur.objects.create(
        declaration=declaration, libelle="Repas partagés par mois", nature=NatureIndicateur.QUANTITATIF, ordre=1
    )

    document = deposer(declaration)
    texte = texte_pdf(document_lire(document))

    assert document.numero == "REC-42-2027-00001"
    assert "REC-42-2027-00001" in texte
    assert "Collectif A de Montreynaud" in texte
    assert "Loire (42)" in texte
    assert "Campagne 2027" in texte
    assert "Quartier de Montreynaud, Saint-Étienne" in texte
    assert "42218" in texte
    for institution in collectif.institutions_origine.all():
        assert institution.nom in texte
    actuels = list(membres_actuels(collectif))
    assert len(actuels) == 6
    for membre in actuels:
        assert f"{membre.prenom} {membre.nom}" in texte
    assert "Conseillère en économie sociale et familiale" in texte
    assert "CCAS de Saint-Étienne" in texte
    for libelle in College.labels:
        assert libelle in texte
    # Only current members, and no contact details (R20: minimise personal data).
    assert "Partidavant" not in texte
    assert "nadia.benali@exemple.fr" not in texte
    assert "06 12 34 56 78" not in texte
    assert declaration.collectif.referents.first().email not in texte
    # The texts of the declaration and its indicators.
    assert "le centre social, la mairie et l'amicale des locataires se réunissent chaque mois" in texte
    assert "Ouvrir une cuisine partagée au pied des immeubles." in texte
    assert "aucune des trois structures ne porterait seule la cuisine partagée" in texte
    assert "Paroles d'habitant·es recueillies" in texte
    assert "Repas partagés par mois" in texte
    # The charter: version, and who accepted it (R16).
    adhesion = declaration.adhesion_charte
    assert f"version {adhesion.charte.version}" in texte
    assert adhesion.personne.nom_complet in texte
    # What the receipt is worth.
    assert "atteste le dépôt de la déclaration, pas son acceptation" in texte
    assert "instance départementale" in texte


@pytest.mark.django_db
def test_la_date_et_l_heure_de_depot_sont_celles_de_paris(declaration_prete):
    # 23:30:07 UTC is already the next day in Paris (00:30:07 in winter, 01:30:07 in summer).
    instant = datetime.datetime.combine(timezone.localdate(), datetime.time(23, 30, 7), tzinfo=datetime.UTC)
    with time_machine.travel(instant, tick=False):
        document = deposer(declaration_prete)
    texte = texte_pdf(document_lire(document))

    local = instant.astimezone(PARIS)
    declaration_prete.refresh_from_db()
    assert declaration_prete.deposee_le == instant
    assert f"à {local:%H:%M:%S} (heure de Paris)" in texte
    assert "23:30:07" not in texte


@pytest.mark.django_db
def test_le_document_garde_l_empreinte_sha256_de_ses_octets(declaration_prete, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the file is written when the filing commits
        document = deposer(declaration_prete)
    contenu = document_lire(document)

    assert contenu.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()
    assert document.taille == len(contenu)
    assert (document.type, document.departement, document.annee, document.sequence) == (
        TypeDocument.RECEPISSE,
        "42",
        2027,
        1,
    )
    assert document.content_type == ContentType.objects.get_for_model(Declaration)
    assert document.object_id == declaration_prete.pk
    assert document.emis_par == declaration_prete.collectif.referents.first()
    assert re.fullmatch(r"documents/2027/[0-9a-f]{32}\.pdf", document.fichier.name)

    with open(document.fichier.path, "r+b") as fichier:
        fichier.seek(-16, 2)
        fichier.write(b"%% retouche %%\n")
    with pytest.raises(ValueError, match="altéré"):
        document_lire(document)


@pytest.mark.django_db
def test_les_recepisses_sont_numerotes_dans_l_ordre_des_depots(distribution, declaration_prete):
    premier = deposer(declaration_prete)
    autre = DeclarationFactory(collectif=distribution.collectif_b, prete=True, campagne=distribution.campagne)
    second = deposer(autre)

    assert premier.numero == "REC-42-2027-00001"
    assert second.numero == "REC-42-2027-00002"
    assert "REC-42-2027-00002" in texte_pdf(document_lire(second))
    assert "Collectif B de Firminy" in texte_pdf(document_lire(second))


@pytest.mark.django_db
def test_un_document_emis_ne_se_modifie_ni_ne_se_supprime(declaration_prete):
    document = deposer(declaration_prete)

    with pytest.raises(ValueError, match="ne se modifie ni ne se supprime"):
        document.save()
    relu = Document.objects.get(pk=document.pk)
    relu.titre = "Autre titre"
    with pytest.raises(ValueError, match="ne se modifie ni ne se supprime"):
        relu.save()
    with pytest.raises(ValueError, match="ne se modifie ni ne se supprime"):
        relu.delete()
    with pytest.raises(ValueError, match="ne se modifie ni ne se supprime"):
        Document.objects.filter(pk=document.pk).update(titre="Autre titre")
    with pytest.raises(ValueError, match="ne se modifie ni ne se supprime"):
        Document.objects.filter(pk=document.pk).delete()

    assert Document.objects.get(pk=document.pk).titre == document.titre
    assert document_lire(document)


@pytest.mark.django_db
def test_un_recepisse_est_emis_en_moins_de_5_secondes(declaration_prete):
    debut = time.perf_counter()
    deposer(declaration_prete)
    assert time.perf_counter() - debut < 5


@pytest.mark.django_db
def test_un_nom_de_collectif_tres_long_ne_bloque_pas_le_depot(declaration_prete):
    """The document title is truncated to its column; the PDF keeps the full name."""
    collectif = declaration_prete.collectif
    collectif.nom = "Collectif " + "très " * 36 + "long"  # 194 characters: fits its column, not the title
    collectif.save(update_fields=["nom"])
    document = deposer(declaration_prete)
    assert len(document.titre) <= 200
    assert "long" in texte_pdf(document_lire(document)).replace("\n", " ")
