"""Data: the content type of the journal follows its model from workflow to journal."""

from django.db import migrations

from core.migration import renommer_types_de_contenu


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("journal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(*renommer_types_de_contenu([("workflow", "transitionlog")], "journal")),
    ]
