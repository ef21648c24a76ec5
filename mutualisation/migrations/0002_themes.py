"""The catalogue's themes (R14: sheets are searchable by theme). Reference data; national staff may add more in
the admin."""

from django.db import migrations

THEMES = [
    ("acces-aux-droits", "Accès aux droits"),
    ("alimentation", "Alimentation"),
    ("logement-habitat", "Logement et habitat"),
    ("mobilite", "Mobilité"),
    ("emploi-insertion", "Emploi et insertion"),
    ("education-parentalite", "Éducation et parentalité"),
    ("jeunesse", "Jeunesse"),
    ("sante", "Santé"),
    ("culture", "Culture"),
    ("lien-social", "Lien social et isolement"),
    ("numerique", "Inclusion numérique"),
    ("cadre-de-vie", "Cadre de vie et environnement"),
    ("participation", "Participation des habitant·es"),
    ("vieillissement", "Vieillissement"),
    ("handicap", "Handicap"),
]


def charger(apps, schema_editor):
    Theme = apps.get_model("mutualisation", "Theme")
    for ordre, (code, libelle) in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"libelle": libelle, "ordre": ordre})


class Migration(migrations.Migration):
    dependencies = [("mutualisation", "0001_initial")]

    operations = [migrations.RunPython(charger, migrations.RunPython.noop)]
