"""Data: the content type of Instructeur follows it to the comptes app."""

from django.db import migrations

from core.migration import renommer_types_de_contenu


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("comptes", "0002_instructeur"),
    ]

    operations = [
        migrations.RunPython(*renommer_types_de_contenu([("instances", "instructeur")], "comptes")),
    ]
