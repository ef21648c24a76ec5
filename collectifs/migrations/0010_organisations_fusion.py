"""One organisation per SIRET, and per RNA among those without a SIRET. Two référents adding the same association at
once could create it twice, and every later lookup then failed (MultipleObjectsReturned, a 500 seen in the load
test of issue 13). Existing duplicates are merged first into the oldest row: every reference to the others (members,
institutions of origin, employers' accesses, secondments) is moved to it."""

from django.db import migrations
from django.db.models import Count, Q


def fusionner_doublons(apps, schema_editor):
    Organisation = apps.get_model("collectifs", "Organisation")
    groupes = [
        ("siret", ~Q(siret="")),
        ("rna", Q(siret="") & ~Q(rna="")),
    ]
    for champ, condition in groupes:
        doublons = (
            Organisation.objects.filter(condition).values(champ).annotate(n=Count("pk")).filter(n__gt=1).order_by()
        )
        for groupe in doublons:
            ids = sorted(Organisation.objects.filter(condition, **{champ: groupe[champ]}).values_list("pk", flat=True))
            garde, autres = ids[0], ids[1:]
            for relation in Organisation._meta.related_objects:
                if relation.many_to_many:
                    lien = relation.through if hasattr(relation, "through") else relation.field.remote_field.through
                    vers_orga = next(f.name for f in lien._meta.fields if f.related_model is Organisation)
                    vers_autre = next(
                        f.name for f in lien._meta.fields if f.is_relation and f.related_model is not Organisation
                    )
                    for ligne in lien.objects.filter(**{f"{vers_orga}__in": autres}):
                        deja = lien.objects.filter(
                            **{vers_orga: garde, vers_autre: getattr(ligne, f"{vers_autre}_id")}
                        ).exists()
                        if deja:
                            ligne.delete()
                        else:
                            lien.objects.filter(pk=ligne.pk).update(**{vers_orga: garde})
                else:
                    relation.related_model.objects.filter(**{f"{relation.field.name}__in": autres}).update(
                        **{relation.field.name: garde}
                    )
            Organisation.objects.filter(pk__in=autres).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("collectifs", "0009_quartiers_prioritaires_des_collectifs"),
        # The models that refer to organisations (employers' accesses, secondments) must be in the state.
        ("fonds", "0010_chaine_declencheur_et_scellement"),
    ]

    # The constraints come in the next migration: PostgreSQL refuses to build an index in the transaction that
    # deleted rows with foreign-key triggers still pending.
    operations = [migrations.RunPython(fusionner_doublons, migrations.RunPython.noop)]
