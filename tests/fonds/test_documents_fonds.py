"""R7, R8, SPEC §6: the fund's two documents. Signing a convention issues the numbered Convention triannuelle de
financement; recording a payment issues the Attestation de versement. Both are numbered TYPE-DEPT-YEAR-SEQ, hashed,
immutable, issued once by idempotent jobs, read only by those who may read the convention, and escape user text."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, timezone, translation

from collectifs.enums import College
from documents.enums import TypeDocument
from documents.models import Document
from documents.services import document_lire
from fonds import tasks
from fonds.documents import documents_de_la_convention, documents_visibles_de_la_convention
from fonds.enums import NatureBeneficiaire
from fonds.models import Convention, Versement
from fonds.selectors.parts import parts_de_la_convention, parts_de_la_tranche
from fonds.services import DonneesProjet, convention_signer, projet_financer, versement_enregistrer
from fonds.services.grand_livre import euros
from instances.services import point_fixer_montants, point_statuer
from tests.collectifs.factories import MembreFactory, OrganisationFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.documents.pdf import octets_pdf, texte_pdf
from tests.fonds.parcours import E, LoireFinancee, campagne_ouverte, loire_financee, point_pret

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

INJECTION = '<img src="file:///etc/passwd"> <b>gras</b>'
SIRET = "21420218600016"


@pytest.fixture
def monde() -> LoireFinancee:
    return loire_financee()


def _convention_agreee(monde: LoireFinancee, nom: str = "Collectif des Hauts de Firminy") -> Convention:
    """An agreement in séance through the real services, with tranches raised above the minimum, a collectif whose
    originating institution has a SIRET, and members of every college (one with contact details, one former)."""
    campagne = campagne_ouverte(monde)
    point = point_pret(monde, campagne, nom)
    collectif = point.declaration.collectif
    collectif.institutions_origine.set([OrganisationFactory(nom="Centre social de Firminy", siret=SIRET)])
    point_fixer_montants(acteur=monde.instructeur, point=point, montants=[E("12000"), E("10000"), E("11000.50")])
    point_statuer(acteur=monde.instructeur, point=point)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    MembreFactory(
        collectif=collectif,
        college=College.ELU_RESPONSABLE,
        prenom="Odile",
        nom="Marchand",
        fonction="Adjointe au maire",
        organisation=OrganisationFactory(nom="Mairie de Firminy"),
        email="odile.marchand@exemple.fr",
        telephone="06 12 34 56 78",
    )
    MembreFactory(
        collectif=collectif,
        college=College.PROFESSIONNEL,
        prenom="Nadia",
        nom="Benali",
        fonction=INJECTION,
        date_debut=hier,
    )
    MembreFactory(collectif=collectif, college=College.HABITANT, prenom="Jules", nom="Habitant")
    MembreFactory(
        collectif=collectif,
        college=College.HABITANT,
        prenom="Gaston",
        nom="Partidavant",
        date_debut=hier - datetime.timedelta(days=400),
        date_fin=hier,
    )
    return Convention.objects.get(declaration=point.declaration)


def _signer(monde: LoireFinancee, convention: Convention, captures, *, signataire: str = "Odile Marchand, référente"):
    with captures(execute=True):  # the job runs after commit (immediate backend in tests)
        convention_signer(
            acteur=monde.instructeur,
            convention=convention,
            signee_le=timezone.localdate(),
            signataire_beneficiaire=signataire,
            signataire_departement="Georges Ziegler, président du Département",
        )
    return Convention.objects.get(pk=convention.pk)


def _payer(monde: LoireFinancee, convention: Convention, captures, *, reference: str = "VIR-2027-0001") -> Versement:
    tranche = convention.tranches.get(rang=1)
    with captures(execute=True):
        return versement_enregistrer(
            acteur=monde.instructeur,
            tranche=tranche,
            date_versement=timezone.localdate(),
            montant=tranche.montant,
            reference_bancaire=reference,
        )


def _date(jour: datetime.date) -> str:
    with translation.override("fr"):
        return formats.date_format(jour, "j F Y")


# --- The convention. ---


def test_la_signature_emet_la_convention_triannuelle_de_financement(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)

    document = Document.objects.get(type=TypeDocument.CONVENTION_FINANCEMENT)
    texte = texte_pdf(document_lire(document))

    assert document.numero == "CTF-42-2027-00001"
    assert document.content_type == ContentType.objects.get_for_model(Convention)
    assert document.object_id == convention.pk
    assert "CTF-42-2027-00001" in texte
    assert "Convention triannuelle de financement" in texte
    # The parties and the references.
    assert convention.reference in texte
    assert "Fonds national d'innovation sociale — Gestion nationale" in texte
    assert "Loire (42)" in texte
    assert "Collectif des Hauts de Firminy" in texte
    assert "Collectif local de développement social" in texte
    assert f"SIRET {SIRET}" in texte and SIRET in texte
    assert "Centre social de Firminy" in texte
    assert convention.objet in texte
    assert "Du 1 janvier 2027 au 31 décembre 2029" in texte
    # The members by college, at the signature date, without contact details (R20).
    for libelle in College.labels:
        assert libelle in texte
    assert "Odile Marchand" in texte and "Adjointe au maire" in texte and "Mairie de Firminy" in texte
    assert "Nadia Benali" in texte
    assert "Jules Habitant" in texte
    assert "Partidavant" not in texte
    assert "odile.marchand@exemple.fr" not in texte
    assert "06 12 34 56 78" not in texte
    # The three tranches, their years and amounts, the total, in French.
    assert "Tranche 1 2027 12 000,00 €" in texte
    assert "Tranche 2 2028 10 000,00 €" in texte
    assert "Tranche 3 2029 11 000,50 €" in texte
    assert "Total 33 000,50 €" in texte
    # The conditions of release (R7, R11, R12).
    assert "La tranche 1 devient exigible à la signature" in texte
    assert "Les tranches 2 et 3 deviennent exigibles après la validation" in texte
    assert "bilan annuel de l'année précédente" in texte
    assert "la tranche suivante est suspendue tant que la composition n'est pas rétablie" in texte
    # The funders' shares (R8): each one, and their total equal to the convention's amount.
    parts = parts_de_la_convention(convention)
    assert len(parts) >= 2
    for part in parts:
        assert part.financeur is not None
        assert f"{part.financeur.nom} {part.financeur.get_nature_display()}" in texte
        assert euros(part.montant) in texte
    assert "Total des parts 33 000,50 €" in texte
    # The signature.
    assert f"Convention signée le {_date(timezone.localdate())}" in texte
    assert "Odile Marchand, référente" in texte
    assert "Georges Ziegler, président du Département" in texte


def test_la_convention_est_hachee_et_ecrite_une_fois(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    document = documents_de_la_convention(convention).get()

    contenu = document_lire(document)
    assert contenu.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()
    assert document.taille == len(contenu)
    assert (document.type, document.departement, document.annee, document.sequence) == ("CTF", "42", 2027, 1)
    assert re.fullmatch(r"documents/2027/[0-9a-f]{32}\.pdf", document.fichier.name)
    with pytest.raises(ValueError, match="ne se modifie ni ne se supprime"):
        document.save()


def test_le_travail_d_emission_de_la_convention_est_idempotent(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    premier = documents_de_la_convention(convention).get()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.emettre_convention_financement.call(convention.pk) is None
        assert tasks.emettre_convention_financement.call(convention.pk) is None

    assert list(documents_de_la_convention(convention)) == [premier]


def test_rien_n_est_emis_avant_la_signature(monde):
    convention = _convention_agreee(monde)

    assert tasks.emettre_convention_financement.call(convention.pk) is None
    assert not documents_de_la_convention(convention).exists()


def test_les_conventions_sont_numerotees_dans_l_ordre(monde, django_capture_on_commit_callbacks):
    premiere = _signer(monde, _convention_agreee(monde, "Collectif A"), django_capture_on_commit_callbacks)
    campagne = premiere.campagne
    point = point_pret(monde, campagne, "Collectif B")
    point_statuer(acteur=monde.instructeur, point=point)
    seconde = _signer(monde, Convention.objects.get(declaration=point.declaration), django_capture_on_commit_callbacks)

    assert documents_de_la_convention(premiere).get().numero == "CTF-42-2027-00001"
    document = documents_de_la_convention(seconde).get()
    assert document.numero == "CTF-42-2027-00002"
    texte = texte_pdf(document_lire(document))
    assert "CTF-42-2027-00002" in texte and "Collectif B" in texte and "Collectif A" not in texte


def test_le_texte_saisi_reste_du_texte(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks, signataire=INJECTION)
    contenu = document_lire(documents_de_la_convention(convention).get())

    texte = texte_pdf(contenu)
    assert texte.count('<img src="file:///etc/passwd">') == 2  # the signatory and a member's function
    assert "<b>gras</b>" in texte
    assert b"root:" not in octets_pdf(contenu)


# --- Other kinds of beneficiary (R8). ---


def test_un_projet_d_une_autre_nature_a_la_meme_convention_sans_membres(monde, django_capture_on_commit_callbacks):
    convention = projet_financer(
        acteur=monde.instructeur,
        fonds=monde.fonds,
        departement_code="42",
        donnees=DonneesProjet(
            nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT,
            beneficiaire="Association des étudiants en travail social <Saint-Étienne>",
            objet="Enquête participative sur l'accès aux droits",
            date_debut=datetime.date(2027, 1, 1),
            date_fin=datetime.date(2028, 12, 31),
            tranches=[(2027, E("8000")), (2028, E("7000"))],
            rna_beneficiaire="W423001234",
        ),
    )
    convention = _signer(monde, convention, django_capture_on_commit_callbacks)

    document = documents_de_la_convention(convention).get()
    texte = texte_pdf(document_lire(document))

    assert document.numero == "CTF-42-2027-00001"
    assert "Association des étudiants en travail social <Saint-Étienne>" in texte
    assert "Projet étudiant" in texte
    assert "W423001234" in texte
    assert "Enquête participative sur l'accès aux droits" in texte
    assert "Tranche 1 2027 8 000,00 €" in texte
    assert "Tranche 2 2028 7 000,00 €" in texte
    assert "Total 15 000,00 €" in texte
    assert "Chaque tranche suivante devient exigible une fois la tranche précédente versée" in texte
    assert "bilan annuel" not in texte
    assert "membres du collectif" not in texte.lower()
    for libelle in College.labels:
        assert libelle not in texte
    assert "Total des parts 15 000,00 €" in texte


# --- The attestation of payment. ---


def test_le_versement_emet_l_attestation(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    versement = _payer(monde, convention, django_capture_on_commit_callbacks, reference="VIR-2027-0001")

    document = Document.objects.get(type=TypeDocument.ATTESTATION_VERSEMENT)
    contenu = document_lire(document)
    texte = texte_pdf(contenu)

    assert document.numero == "AVE-42-2027-00001"
    assert document.content_type == ContentType.objects.get_for_model(Versement)
    assert document.object_id == versement.pk
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()
    assert "AVE-42-2027-00001" in texte
    assert "Attestation de versement" in texte
    assert "Collectif des Hauts de Firminy" in texte
    assert SIRET in texte
    assert convention.reference in texte
    assert "Tranche 1, année budgétaire 2027" in texte
    assert "Montant versé 12 000,00 €" in texte
    assert f"Date du versement {_date(timezone.localdate())}" in texte
    assert "Référence bancaire VIR-2027-0001" in texte
    # The remaining tranches.
    assert "Total versé à ce jour : 12 000,00 €" in texte
    assert (
        "Tranches restant à verser : tranche 2 (2028, 10 000,00 €) ; tranche 3 (2029, 11 000,50 €), soit 21 000,50 €"
        in texte
    )
    assert "Total de la convention 33 000,50 €" in texte
    # The funders' shares of this payment: those of its tranche, adding up to the amount paid.
    parts = parts_de_la_tranche(versement.tranche)
    assert sum(p.montant for p in parts) == E("12000")
    for part in parts:
        assert part.financeur is not None
        assert part.financeur.nom in texte
        assert euros(part.montant) in texte
    assert "Parts des financeurs dans ce versement (tranche 1, année 2027)" in texte
    assert "Total des parts du versement 12 000,00 €" in texte
    # The convention's document, issued first, keeps its own number.
    assert documents_de_la_convention(convention).count() == 2


def test_le_travail_d_emission_de_l_attestation_est_idempotent(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    versement = _payer(monde, convention, django_capture_on_commit_callbacks)
    attestation = Document.objects.get(type=TypeDocument.ATTESTATION_VERSEMENT)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.emettre_attestation_versement.call(versement.pk) is None

    assert list(Document.objects.filter(type=TypeDocument.ATTESTATION_VERSEMENT)) == [attestation]


def test_la_reference_bancaire_saisie_reste_du_texte(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    _payer(monde, convention, django_capture_on_commit_callbacks, reference=INJECTION)

    contenu = document_lire(Document.objects.get(type=TypeDocument.ATTESTATION_VERSEMENT))
    texte = texte_pdf(contenu)
    assert f"Référence bancaire {INJECTION}" in texte
    assert b"root:" not in octets_pdf(contenu)


# --- Who reads them: those who read the convention. ---


def test_les_documents_se_lisent_comme_la_convention(monde, django_capture_on_commit_callbacks):
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    _payer(monde, convention, django_capture_on_commit_callbacks)
    referent = convention.declaration.collectif.referents.get()
    numeros = {"CTF-42-2027-00001", "AVE-42-2027-00001"}

    autorises = {
        "instructeur du département": monde.instructeur,
        "équipe nationale": monde.national,
        "référent du collectif": referent,
    }
    refuses = {
        "instructeur d'un autre département": InstructeurFactory(departements=["69"]).user,
        "autre utilisateur": UserFactory(),
        "anonyme": AnonymousUser(),
    }
    for role, user in autorises.items():
        assert set(documents_visibles_de_la_convention(user, convention).values_list("numero", flat=True)) == numeros, (
            role
        )
    for role, user in refuses.items():
        assert not documents_visibles_de_la_convention(user, convention).exists(), role


def test_les_documents_d_une_convention_ne_sont_pas_ceux_d_une_autre(monde, django_capture_on_commit_callbacks):
    premiere = _signer(monde, _convention_agreee(monde, "Collectif A"), django_capture_on_commit_callbacks)
    point = point_pret(monde, premiere.campagne, "Collectif B")
    point_statuer(acteur=monde.instructeur, point=point)
    seconde = _signer(monde, Convention.objects.get(declaration=point.declaration), django_capture_on_commit_callbacks)
    _payer(monde, premiere, django_capture_on_commit_callbacks)

    assert set(documents_de_la_convention(premiere).values_list("type", flat=True)) == {"CTF", "AVE"}
    assert list(documents_de_la_convention(seconde).values_list("numero", flat=True)) == ["CTF-42-2027-00002"]


def test_le_dossier_de_la_declaration_sert_ses_documents_de_financement(
    monde, client, django_capture_on_commit_callbacks
):
    """The follow-up of the declaration serves the convention and its attestations to those who read the convention
    (instructeurs, national staff, référents), not to the instance's members, who see the declaration's file."""
    convention = _signer(monde, _convention_agreee(monde), django_capture_on_commit_callbacks)
    _payer(monde, convention, django_capture_on_commit_callbacks)
    declaration = convention.declaration
    membre = monde.membres[0]
    membre.user = UserFactory()
    membre.save(update_fields=["user"])
    roles = {
        "référent": (declaration.collectif.referents.get(), 200),
        "instructeur": (monde.instructeur, 200),
        "national": (monde.national, 200),
        "membre de l'instance": (membre.user, 404),
        "instructeur d'un autre département": (InstructeurFactory(departements=["69"]).user, 404),
    }
    for numero in ("CTF-42-2027-00001", "AVE-42-2027-00001"):
        url = reverse("instances:document", args=[declaration.pk, numero])
        for role, (user, attendu) in roles.items():
            client.force_login(user)
            reponse = client.get(url)
            assert reponse.status_code == attendu, (numero, role)
            if attendu == 200:
                assert reponse["Content-Type"] == "application/pdf"
                assert numero in texte_pdf(reponse.content)
    # The instance's member does see the declaration's file: only the financing documents are withheld.
    client.force_login(membre.user)
    assert client.get(reverse("instances:declaration_detail", args=[declaration.pk])).status_code == 200
