"""ADR 0006: the documents' immutability trigger now lets the sealing through, and, under an anonymisation
(`SET LOCAL collectifs.anonymisation`), a new title and `remplace_par` set once; nothing else. The existing
documents are sealed (pk order), so that `verifier_journal` passes right after `migrate`."""

from django.db import migrations

from core.migration import autoriser_scellement
from journal.chaine import sceller_lignes_existantes

MESSAGE = "Un document émis ne se modifie ni ne se supprime : émettez-en un nouveau (R19)."


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_chaine_empreintes"),
        ("journal", "0006_chaine_declencheurs_et_scellement"),
    ]

    operations = [
        migrations.RunPython(
            *autoriser_scellement(
                ("documents", "Document"),
                "documents_document_immuable",
                MESSAGE,
                ["titre"],
                remplacement=["remplace_par_id"],
            ),
            elidable=False,
        ),
        migrations.RunPython(
            sceller_lignes_existantes(
                ("documents", "Document"),
                [
                    "id",
                    "numero",
                    "type",
                    "departement",
                    "annee",
                    "sequence",
                    "fichier",
                    "sha256",
                    "taille",
                    "content_type",
                    "object_id",
                    "emis_le",
                    "emis_par",
                ],
                ["titre"],
            ),
            migrations.RunPython.noop,
            elidable=False,
        ),
    ]
