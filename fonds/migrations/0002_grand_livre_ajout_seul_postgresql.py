"""R19 in the database itself: on PostgreSQL, a trigger refuses every UPDATE and DELETE of a ledger line of the
fund (a correction is a reversing entry). The Python guards of fonds.models stay for SQLite."""

from django.db import migrations

from core.migration import refuser_modifications

FONCTION = "fonds_ecriturefonds_ajout_seul"
MESSAGE = "Le grand livre du fonds est en ajout seul : une écriture se corrige par une extourne (R19)."


class Migration(migrations.Migration):
    dependencies = [
        ("fonds", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(*refuser_modifications(("fonds", "EcritureFonds"), FONCTION, MESSAGE), elidable=False),
    ]
