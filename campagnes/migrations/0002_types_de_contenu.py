"""Data: the content type of Campagne (which its journal rows point at) follows it to the campagnes app."""

from django.db import migrations

from core.migration import renommer_types_de_contenu


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("campagnes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(*renommer_types_de_contenu([("instances", "campagne")], "campagnes")),
    ]
