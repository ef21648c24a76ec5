"""comptes takes over the Instructeur table that instances.0003 renamed: state only, no data moves."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0001_initial"),
        ("territoires", "0001_initial"),
        ("instances", "0003_tables_vers_campagnes_et_comptes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Instructeur",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("departements", models.ManyToManyField(related_name="instructeurs", to="territoires.departement")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="instructeur",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "instructeur·rice",
                    },
                ),
            ],
        ),
    ]
