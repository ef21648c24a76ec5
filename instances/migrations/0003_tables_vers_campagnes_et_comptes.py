"""Campagne moves down to the campagnes app, Instructeur to comptes: their tables (and the instructeurs'
many-to-many table) are renamed here; the new apps take them over in their own state. No row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("instances", "0002_instance_seances_votes_accompagnateurs"),
        ("collectifs", "0003_instruction_complements_messages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("campagne", "campagnes_campagne"),
                migrations.AlterModelTable("instructeur", "comptes_instructeur"),
            ],
        ),
    ]
