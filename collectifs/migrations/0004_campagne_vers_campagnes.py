"""The declaration's campaign is now campagnes.Campagne (same table, renamed by instances.0003): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collectifs", "0003_instruction_complements_messages"),
        ("campagnes", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="declaration",
                    name="campagne",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="declarations",
                        to="campagnes.campagne",
                    ),
                ),
            ],
        ),
    ]
