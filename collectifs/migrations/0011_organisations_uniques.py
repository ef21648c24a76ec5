"""One organisation per SIRET, and per RNA among those without a SIRET (duplicates merged by 0010)."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("collectifs", "0010_organisations_fusion")]

    operations = [
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=~Q(siret=""), fields=("siret",), name="organisation_siret_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                condition=Q(siret="") & ~Q(rna=""), fields=("rna",), name="organisation_rna_unique"
            ),
        ),
    ]
