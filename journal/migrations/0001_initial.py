"""The journal app takes over the TransitionLog table that workflow.0003 renamed: state only, no data moves."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("workflow", "0003_transitionlog_vers_journal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TransitionLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("champ", models.CharField(default="etat", max_length=50)),
                        ("transition", models.CharField(max_length=80)),
                        ("source", models.CharField(max_length=50)),
                        ("cible", models.CharField(max_length=50)),
                        ("horodatage", models.DateTimeField(default=django.utils.timezone.now)),
                        ("commentaire", models.TextField(blank=True)),
                        (
                            "acteur",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype"),
                        ),
                    ],
                    options={
                        "verbose_name": "journal de transition",
                        "verbose_name_plural": "journal des transitions",
                        "ordering": ["horodatage", "pk"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="workflow_tr_content_10fdf3_idx")],
                    },
                ),
            ],
        ),
    ]
