"""R19 in the database itself: on PostgreSQL, a trigger refuses every UPDATE and DELETE of an issued document.

The Python guards of documents.models stay (they are the only ones on SQLite). TRUNCATE fires no row trigger,
so Django's test flush still empties the table.

R20 (anonymisation, later) will have to mark a document as replaced and purge its file. Do not drop this
trigger for it: give it a narrow, explicit way through (for instance a `SET LOCAL` setting, set only by the
anonymisation service, that lets an UPDATE change that one marker and nothing else) in a new migration."""

from django.db import migrations

from core.migration import refuser_modifications

FONCTION = "documents_document_immuable"
MESSAGE = "Un document émis ne se modifie ni ne se supprime : émettez-en un nouveau (R19)."


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_types_instruction"),
    ]

    operations = [
        migrations.RunPython(*refuser_modifications(("documents", "Document"), FONCTION, MESSAGE), elidable=False),
    ]
