"""Publish version 1 of the charter of collectifs (R16), written from the principles of SPEC R16/R17."""

from django.db import migrations

TEXTE = """Nous, membres du collectif, élu·es ou responsables d'institutions, professionnel·les et représentant·es d'habitants ou d'usagers, agissons ensemble pour le développement social de notre territoire.

1. L'action collective est un moyen, pas une fin. Nous nous réunissons pour améliorer concrètement la vie des habitant·es du territoire, et non pour exister en tant que collectif.

2. Pas d'effet d'affichage. Nous ne déclarons que des coopérations réelles, déjà engagées avant cette déclaration, et nous rendons compte honnêtement de ce qui marche comme de ce qui ne marche pas.

3. Participation des habitant·es. Les habitant·es et les usagers prennent part aux décisions du collectif à égalité de parole avec les élu·es et les professionnel·les. Nous adaptons nos horaires, nos lieux et nos outils pour que chacun·e puisse participer, y compris sans adresse électronique.

4. Non-stigmatisation. Nous parlons des situations, jamais des personnes. Nous ne désignons aucun public comme un problème, et nous ne collectons aucune donnée personnelle sur les personnes que nous rencontrons.

5. Équité. Nous veillons à ne pas favoriser celles et ceux qui ont déjà le plus. Nous allons vers les personnes et les quartiers les plus éloignés des dispositifs.

6. Partage. Nous acceptons de partager nos pratiques, nos réussites et nos difficultés avec les autres collectifs du département et au niveau national."""


def publier(apps, schema_editor):
    Charte = apps.get_model("collectifs", "Charte")
    Charte.objects.get_or_create(
        version=1, defaults={"titre": "Charte des collectifs de développement social", "texte": TEXTE}
    )


class Migration(migrations.Migration):
    dependencies = [("collectifs", "0001_initial")]
    operations = [migrations.RunPython(publier, migrations.RunPython.noop)]
