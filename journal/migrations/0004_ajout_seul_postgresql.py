"""R19 in the database itself: on PostgreSQL, a trigger refuses every UPDATE and DELETE of a journal row.

The Python guards of journal.models stay (they are the only ones on SQLite). TRUNCATE fires no row trigger,
so Django's test flush still empties the table.

R20 (anonymisation, later) should not need to touch the journal; if it ever does, give the trigger a narrow,
explicit way through (for instance a `SET LOCAL` setting checked by the function) rather than dropping it."""

from django.db import migrations

from core.migration import refuser_modifications

FONCTION = "journal_transitionlog_ajout_seul"
MESSAGE = "Le journal des transitions est en ajout seul : une ligne ne se modifie ni ne se supprime (R19)."


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_renommer_index"),
    ]

    operations = [
        migrations.RunPython(*refuser_modifications(("journal", "TransitionLog"), FONCTION, MESSAGE), elidable=False),
    ]
