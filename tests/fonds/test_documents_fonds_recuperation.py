"""R7, SPEC §6: a job that dies leaves a signed convention without its Convention triannuelle de financement or a
payment without its Attestation de versement. `manage.py documents_fonds` lists them (a constant number of
queries) and `--relancer` queues the existing idempotent jobs again."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents.enums import TypeDocument
from documents.selectors import documents_de
from fonds import tasks
from fonds.enums import NatureBeneficiaire
from fonds.models import Convention, Versement
from fonds.selectors.documents import conventions_sans_document, versements_sans_attestation
from fonds.services import DonneesProjet, convention_annuler, convention_signer, projet_financer, versement_enregistrer
from tests.fonds.parcours import E, LoireFinancee, agreer, campagne_ouverte, loire_financee

pytestmark = pytest.mark.django_db

TOUT_VA_BIEN = "Toutes les conventions signées et tous les versements ont leurs documents.\n"


@pytest.fixture
def monde() -> LoireFinancee:
    return loire_financee()


def _commande(*args: str) -> str:
    sortie = StringIO()
    call_command("documents_fonds", *args, stdout=sortie, stderr=sortie)
    return sortie.getvalue()


def _signer(monde: LoireFinancee, convention: Convention) -> Convention:
    """Signed, but its job never runs: the on-commit callback that queues it is not executed (a worker that died)."""
    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=timezone.localdate(),
        signataire_beneficiaire="Odile Marchand, référente",
        signataire_departement="Georges Ziegler, président du Département",
    )
    return Convention.objects.get(pk=convention.pk)


def _payer(monde: LoireFinancee, convention: Convention) -> Versement:
    """Paid, but the attestation's job never runs."""
    tranche = convention.tranches.get(rang=1)
    return versement_enregistrer(
        acteur=monde.instructeur,
        tranche=tranche,
        date_versement=timezone.localdate(),
        montant=tranche.montant,
        reference_bancaire=f"VIR-{convention.pk}",
    )


def _projet(monde: LoireFinancee, rang: int) -> Convention:
    return projet_financer(
        acteur=monde.instructeur,
        fonds=monde.fonds,
        departement_code="42",
        donnees=DonneesProjet(
            nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT,
            beneficiaire=f"Association étudiante n° {rang}",
            objet="Enquête participative sur l'accès aux droits",
            date_debut=datetime.date(2027, 1, 1),
            date_fin=datetime.date(2028, 12, 31),
            tranches=[(2027, E("3000")), (2028, E("2000"))],
        ),
    )


def _collectif_signe(monde: LoireFinancee) -> Convention:
    declaration = agreer(monde, campagne_ouverte(monde), "Collectif des Hauts de Firminy")
    return _signer(monde, Convention.objects.get(declaration=declaration))


# --- Listing, relaunching, nothing left. ---


def test_une_convention_signee_dont_la_tache_n_a_pas_tourne_est_listee_puis_emise(monde):
    convention = _collectif_signe(monde)
    assert not documents_de(convention, TypeDocument.CONVENTION_FINANCEMENT).exists()

    sortie = _commande()
    assert (
        f"Convention {convention.reference} — Collectif des Hauts de Firminy (Loire), signée le "
        f"{timezone.localdate():%d/%m/%Y} : Convention triannuelle de financement manquante"
    ) in sortie
    assert "1 convention(s) signée(s) et 0 versement(s) avec un document manquant." in sortie
    assert "Émission relancée." not in sortie
    assert not documents_de(convention, TypeDocument.CONVENTION_FINANCEMENT).exists()  # listing changes nothing

    assert "Émission relancée." in _commande("--relancer")  # immediate backend in tests: the job runs now

    document = documents_de(convention, TypeDocument.CONVENTION_FINANCEMENT).get()
    assert document.numero.startswith("CTF-42-2027-")
    assert _commande() == TOUT_VA_BIEN


def test_un_versement_sans_attestation_est_liste_puis_emis(monde, django_capture_on_commit_callbacks):
    convention = _projet(monde, 1)
    with django_capture_on_commit_callbacks(execute=True):  # this convention's own job runs
        convention = _signer(monde, convention)
    versement = _payer(monde, convention)  # the attestation's does not

    sortie = _commande()
    assert (
        f"Versement n° {versement.pk} — tranche 1 de la convention {convention.reference} (Association étudiante "
        f"n° 1), versée le {timezone.localdate():%d/%m/%Y} : Attestation de versement manquante"
    ) in sortie
    assert "0 convention(s) signée(s) et 1 versement(s) avec un document manquant." in sortie

    _commande("--relancer")

    assert documents_de(versement, TypeDocument.ATTESTATION_VERSEMENT).get().numero.startswith("AVE-42-2027-")
    assert _commande() == TOUT_VA_BIEN


def test_relancer_met_les_taches_en_file_que_le_worker_execute(monde, settings):
    """With the database backend (production): --relancer queues the jobs; the worker then issues the documents."""
    convention = _projet(monde, 1)
    convention = _signer(monde, convention)
    versement = _payer(monde, convention)
    annulee = _signer(monde, _projet(monde, 2))
    convention_annuler(acteur=monde.instructeur, convention=annulee, motifs="Projet abandonné par l'association.")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    sortie = _commande("--relancer")

    assert sortie.count("Émission relancée.") == 3
    assert "2 convention(s) signée(s) et 1 versement(s) avec un document manquant." in sortie
    en_file = DBTaskResult.objects.order_by("pk")
    assert sorted((r.task_path, r.args_kwargs["args"][0]) for r in en_file) == sorted(
        [
            (tasks.emettre_convention_financement.module_path, convention.pk),
            (tasks.emettre_convention_financement.module_path, annulee.pk),
            (tasks.emettre_attestation_versement.module_path, versement.pk),
        ]
    )
    assert list(conventions_sans_document()) == [convention, annulee]  # queued, not issued yet

    for resultat in en_file:  # what the worker does with each queued job
        resultat.task.call(*resultat.args_kwargs["args"])

    assert documents_de(convention, TypeDocument.CONVENTION_FINANCEMENT).exists()
    assert documents_de(annulee, TypeDocument.CONVENTION_FINANCEMENT).exists()  # cancelled, still signed
    assert documents_de(versement, TypeDocument.ATTESTATION_VERSEMENT).exists()
    assert _commande() == TOUT_VA_BIEN
    # Relaunching again (a job still waiting in the queue, or run twice) issues nothing more: the jobs are idempotent.
    assert tasks.emettre_convention_financement.call(convention.pk) is None
    assert tasks.emettre_attestation_versement.call(versement.pk) is None


def test_une_convention_non_signee_n_a_pas_de_document_du(monde):
    _projet(monde, 1)
    assert _commande() == TOUT_VA_BIEN


# --- A constant number of queries. ---


def _requetes_de_la_liste() -> int:
    with CaptureQueriesContext(connection) as requetes:
        _commande()
    return len(requetes)


def test_la_liste_coute_un_nombre_constant_de_requetes(monde):
    def ajouter(n: int, depart: int) -> None:
        for rang in range(depart, depart + n):
            _payer(monde, _signer(monde, _projet(monde, rang)))

    ajouter(1, 1)
    petite = _requetes_de_la_liste()
    ajouter(4, 2)
    grande = _requetes_de_la_liste()

    assert len(conventions_sans_document()) == 5 and len(versements_sans_attestation()) == 5
    assert petite == grande == 2
