"""ADR 0006: the journal's append-only trigger now lets the sealing and an anonymisation's text rewrite through
(and nothing else); the new anonymisation records and digests get their own triggers; the existing journal rows
are sealed (pk order), so that `verifier_journal` passes right after `migrate`."""

from django.db import migrations

from core.migration import autoriser_scellement, refuser_modifications
from journal.chaine import sceller_lignes_existantes

MESSAGE_JOURNAL = "Le journal des transitions est en ajout seul : une ligne ne se modifie ni ne se supprime (R19)."
MESSAGE_TRACE = "Cette trace est en ajout seul : une ligne ne se modifie ni ne se supprime (R19)."


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0005_chaine_empreintes"),
    ]

    operations = [
        migrations.RunPython(
            *autoriser_scellement(
                ("journal", "TransitionLog"), "journal_transitionlog_ajout_seul", MESSAGE_JOURNAL, ["commentaire"]
            ),
            elidable=False,
        ),
        migrations.RunPython(
            *autoriser_scellement(
                ("journal", "Anonymisation"),
                "journal_anonymisation_ajout_seul",
                MESSAGE_TRACE,
                ["motif"],
                creer_declencheur=True,
            ),
            elidable=False,
        ),
        migrations.RunPython(
            *autoriser_scellement(
                ("journal", "LigneAnonymisee"),
                "journal_ligneanonymisee_ajout_seul",
                MESSAGE_TRACE,
                [],
                creer_declencheur=True,
            ),
            elidable=False,
        ),
        migrations.RunPython(
            *refuser_modifications(("journal", "Condense"), "journal_condense_ajout_seul", MESSAGE_TRACE),
            elidable=False,
        ),
        migrations.RunPython(
            sceller_lignes_existantes(
                ("journal", "TransitionLog"),
                ["id", "content_type", "object_id", "champ", "transition", "source", "cible", "acteur", "horodatage"],
                ["commentaire"],
            ),
            migrations.RunPython.noop,
            elidable=False,
        ),
    ]
