"""R19 in the database itself: on PostgreSQL, a trigger refuses every UPDATE and DELETE of an issued document.

The Python guards of documents.models stay (they are the only ones on SQLite). TRUNCATE fires no row trigger,
so Django's test flush still empties the table.

R20 (anonymisation, later) will have to mark a document as replaced and purge its file. Do not drop this
trigger for it: give it a narrow, explicit way through (for instance a `SET LOCAL` setting, set only by the
anonymisation service, that lets an UPDATE change that one marker and nothing else) in a new migration."""

from typing import Any

from django.db import migrations

FONCTION = "documents_document_immuable"
MESSAGE = "Un document émis ne se modifie ni ne se supprime : émettez-en un nouveau (R19)."


def creer_declencheur(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("documents", "Document")._meta.db_table)
    # params=None: the SQL goes as is (no placeholder substitution, so `%` is PL/pgSQL's own).
    schema_editor.execute(
        f"CREATE FUNCTION {FONCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE} % refusé.', TG_OP; END; $$",
        None,
    )
    schema_editor.execute(
        f"CREATE TRIGGER {FONCTION} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {FONCTION}()",
        None,
    )


def supprimer_declencheur(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("documents", "Document")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {FONCTION} ON {table}", None)
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FONCTION}()", None)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_types_instruction"),
    ]

    operations = [
        migrations.RunPython(creer_declencheur, supprimer_declencheur, elidable=False),
    ]
