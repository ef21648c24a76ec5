"""R17: the communes of each collectif as indexed rows (CommuneCollectif), filled from codes_communes."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def remplir(apps: Any, schema_editor: Any) -> None:
    """One row per well-formed code of every existing collectif (the same parsing as
    Collectif.liste_codes_communes and Collectif.synchroniser_communes)."""
    Collectif = apps.get_model("collectifs", "Collectif")
    CommuneCollectif = apps.get_model("collectifs", "CommuneCollectif")
    lignes = []
    for pk, codes in Collectif.objects.exclude(codes_communes="").values_list("pk", "codes_communes").iterator():
        for code in sorted({c for c in codes.replace(",", " ").upper().split() if len(c) == 5}):
            lignes.append(CommuneCollectif(collectif_id=pk, code_insee=code))
    CommuneCollectif.objects.bulk_create(lignes, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("collectifs", "0005_longueurs_maximales_des_textes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommuneCollectif",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code_insee", models.CharField(max_length=5, verbose_name="code INSEE")),
                (
                    "collectif",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="communes", to="collectifs.collectif"
                    ),
                ),
            ],
            options={
                "verbose_name": "commune d'un collectif",
                "verbose_name_plural": "communes des collectifs",
                "indexes": [models.Index(fields=["code_insee", "collectif"], name="commune_collectif_code_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("collectif", "code_insee"), name="commune_collectif_unique")
                ],
            },
        ),
        migrations.RunPython(remplir, migrations.RunPython.noop),
    ]
