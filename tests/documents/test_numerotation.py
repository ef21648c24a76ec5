"""Document numbers TYPE-DEPT-YEAR-SEQ: one series per (type, département, year), gapless under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from documents.enums import TypeDocument
from documents.models import CompteurDocument, Document
from documents.services import document_emettre

GABARIT = "documents/pdf/base.html"

# Real commits. Only the documents tables are flushed afterwards, so the reference data loaded by
# migrations (départements, charter) stays for the other transactional tests.
TRANSACTIONNEL = pytest.mark.django_db(transaction=True, available_apps=["documents", "journal"])


def emettre(type: str = TypeDocument.RECEPISSE, departement: str = "42", annee: int = 2027) -> Document:
    return document_emettre(
        acteur=None,
        type=type,
        departement=departement,
        annee=annee,
        titre="Document d'essai",
        template=GABARIT,
        contexte={},
    )


@pytest.mark.django_db
def test_chaque_type_departement_et_annee_a_sa_propre_serie():
    with transaction.atomic():
        numeros = [
            emettre().numero,
            emettre().numero,
            emettre(annee=2028).numero,
            emettre(departement="69").numero,
            emettre(departement="2A").numero,
            emettre(type=TypeDocument.FORMULAIRE_VIERGE).numero,
            emettre().numero,
        ]

    assert numeros == [
        "REC-42-2027-00001",
        "REC-42-2027-00002",
        "REC-42-2028-00001",
        "REC-69-2027-00001",
        "REC-2A-2027-00001",
        "FOR-42-2027-00001",
        "REC-42-2027-00003",
    ]


@TRANSACTIONNEL
def test_emettre_exige_la_transaction_de_l_appelant():
    with pytest.raises(RuntimeError, match="transaction"):
        emettre()
    assert not Document.objects.exists()


@TRANSACTIONNEL
def test_un_numero_annule_avec_sa_transaction_est_repris():
    """The counter moves in the caller's transaction: a rolled-back issue leaves no gap (R19)."""
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        emettre()
        1 / 0  # noqa: B018
    with transaction.atomic():
        document = emettre()

    assert document.numero == "REC-42-2027-00001"
    assert Document.objects.count() == 1


@pytest.mark.postgres
@TRANSACTIONNEL
def test_dix_emissions_simultanees_ont_dix_numeros_distincts_et_sans_trou():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and has no row locks")
    nombre = 10
    depart = threading.Barrier(nombre)
    sequences: list[int] = []
    erreurs: list[BaseException] = []

    def emettre_en_parallele() -> None:
        try:
            depart.wait(timeout=30)
            with transaction.atomic():
                sequences.append(emettre(annee=2031).sequence)
        except BaseException as erreur:  # reported by the main thread
            erreurs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=emettre_en_parallele) for _ in range(nombre)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=120)

    assert not any(fil.is_alive() for fil in fils)
    assert erreurs == []
    assert sorted(sequences) == list(range(1, nombre + 1))
    assert sorted(Document.objects.filter(annee=2031).values_list("numero", flat=True)) == [
        f"REC-42-2031-{sequence:05d}" for sequence in range(1, nombre + 1)
    ]
    assert CompteurDocument.objects.get(type=TypeDocument.RECEPISSE, departement="42", annee=2031).dernier == nombre
