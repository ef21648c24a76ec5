"""ADR 0006: the ledger's append-only trigger now lets the sealing through, and, under an anonymisation
(`SET LOCAL collectifs.anonymisation`), a new `libelle`; nothing else. The existing ledger lines are sealed (pk
order), so that `verifier_journal` passes right after `migrate`."""

from django.db import migrations

from core.migration import autoriser_scellement
from journal.chaine import sceller_lignes_existantes

MESSAGE = "Le grand livre du fonds est en ajout seul : une écriture se corrige par une extourne (R19)."


class Migration(migrations.Migration):
    dependencies = [
        ("fonds", "0009_chaine_empreintes"),
        ("journal", "0006_chaine_declencheurs_et_scellement"),
    ]

    operations = [
        migrations.RunPython(
            *autoriser_scellement(("fonds", "EcritureFonds"), "fonds_ecriturefonds_ajout_seul", MESSAGE, ["libelle"]),
            elidable=False,
        ),
        migrations.RunPython(
            sceller_lignes_existantes(
                ("fonds", "EcritureFonds"),
                [
                    "id",
                    "mouvement",
                    "compte",
                    "fonds",
                    "annee",
                    "departement",
                    "financeur",
                    "abondement",
                    "campagne",
                    "convention",
                    "tranche",
                    "montant",
                    "extourne_de",
                    "acteur",
                    "ecrite_le",
                ],
                ["libelle"],
            ),
            migrations.RunPython.noop,
            elidable=False,
        ),
    ]
