"""R19 in the database itself: on PostgreSQL, a trigger refuses every UPDATE and DELETE of a journal row.

The Python guards of journal.models stay (they are the only ones on SQLite). TRUNCATE fires no row trigger,
so Django's test flush still empties the table.

R20 (anonymisation, later) should not need to touch the journal; if it ever does, give the trigger a narrow,
explicit way through (for instance a `SET LOCAL` setting checked by the function) rather than dropping it."""

from typing import Any

from django.db import migrations

FONCTION = "journal_transitionlog_ajout_seul"
MESSAGE = "Le journal des transitions est en ajout seul : une ligne ne se modifie ni ne se supprime (R19)."


def creer_declencheur(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("journal", "TransitionLog")._meta.db_table)
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
    table = schema_editor.quote_name(apps.get_model("journal", "TransitionLog")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {FONCTION} ON {table}", None)
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FONCTION}()", None)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0003_renommer_index"),
    ]

    operations = [
        migrations.RunPython(creer_declencheur, supprimer_declencheur, elidable=False),
    ]
