"""Data: the content type of Instructeur follows it to the comptes app."""

from django.db import migrations


def renommer_types_de_contenu(anciens: list[tuple[str, str]], nouvelle_app: str):
    """Move the content types (and so the journal rows and permissions that point at them) to the new app label."""

    def operation(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for app_label, model in anciens:
            if not ContentType.objects.filter(app_label=nouvelle_app, model=model).exists():
                ContentType.objects.filter(app_label=app_label, model=model).update(app_label=nouvelle_app)

    def retour(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for app_label, model in anciens:
            if not ContentType.objects.filter(app_label=app_label, model=model).exists():
                ContentType.objects.filter(app_label=nouvelle_app, model=model).update(app_label=app_label)

    return operation, retour


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("comptes", "0002_instructeur"),
    ]

    operations = [
        migrations.RunPython(*renommer_types_de_contenu([("instances", "instructeur")], "comptes")),
    ]
