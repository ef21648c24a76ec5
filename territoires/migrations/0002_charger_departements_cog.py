"""Load the 101 départements of the COG from territoires/data/departements.csv (reference data)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "departements.csv"


def charger(apps, schema_editor):
    Departement = apps.get_model("territoires", "Departement")
    with DATA.open(encoding="utf-8") as fichier:
        for ligne in csv.DictReader(fichier):
            Departement.objects.update_or_create(code=ligne["code"], defaults={"nom": ligne["nom"]})


class Migration(migrations.Migration):
    dependencies = [("territoires", "0001_initial")]
    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
