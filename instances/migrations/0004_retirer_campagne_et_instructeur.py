"""The séance's campaign is now campagnes.Campagne; Campagne and Instructeur leave the instances state.
State only: their tables already belong to campagnes and comptes (renamed by 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("instances", "0003_tables_vers_campagnes_et_comptes"),
        ("campagnes", "0001_initial"),
        ("comptes", "0002_instructeur"),
        ("collectifs", "0004_campagne_vers_campagnes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="seance",
                    name="campagne",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="seances", to="campagnes.campagne"
                    ),
                ),
                migrations.DeleteModel("Campagne"),
                migrations.DeleteModel("Instructeur"),
            ],
        ),
    ]
