"""Helpers for the data migrations that move a model from one app to another (the layers of CONVENTIONS §2).

Data migrations import this module: keep its functions stable, as a migration written today must still run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Operation = Callable[[Any, Any], None]


def renommer_types_de_contenu(anciens: list[tuple[str, str]], nouvelle_app: str) -> tuple[Operation, Operation]:
    """RunPython forward and backward operations that move content types (and so the journal rows, documents and
    permissions that point at them) from their old app label to `nouvelle_app`. A content type that already exists
    under the target label is left alone (Django would have created it for an empty table)."""

    def deplacer(apps: Any, depuis: str, vers: str, model: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=vers, model=model).exists():
            ContentType.objects.filter(app_label=depuis, model=model).update(app_label=vers)

    def operation(apps: Any, schema_editor: Any) -> None:
        for app_label, model in anciens:
            deplacer(apps, app_label, nouvelle_app, model)

    def retour(apps: Any, schema_editor: Any) -> None:
        for app_label, model in anciens:
            deplacer(apps, nouvelle_app, app_label, model)

    return operation, retour


def refuser_modifications(modele: tuple[str, str], fonction: str, message: str) -> tuple[Operation, Operation]:
    """RunPython forward and backward operations that add (and drop) a PostgreSQL trigger refusing every UPDATE
    and DELETE of the rows of `modele` ("app_label", "Model") with `message` (R19: append-only tables; the fund's
    ledger will use it too). Nothing on other databases, where the models' Python guards are the only ones.
    TRUNCATE fires no row trigger, so Django's test flush still empties the table."""

    def table(apps: Any, schema_editor: Any) -> str:
        return str(schema_editor.quote_name(apps.get_model(*modele)._meta.db_table))

    def creer(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        # params=None: the SQL goes as is (no parameter substitution, so `%` is PL/pgSQL's own).
        schema_editor.execute(
            f"CREATE FUNCTION {fonction}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message} % refusé.', TG_OP; END; $$",
            None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {fonction} BEFORE UPDATE OR DELETE ON {table(apps, schema_editor)} "
            f"FOR EACH ROW EXECUTE FUNCTION {fonction}()",
            None,
        )

    def supprimer(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {fonction} ON {table(apps, schema_editor)}", None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {fonction}()", None)

    return creer, supprimer


def _liste_sql(noms: Sequence[str]) -> str:
    return "ARRAY[" + ",".join(f"'{nom}'" for nom in noms) + "]::text[]"


def autoriser_scellement(
    modele: tuple[str, str],
    fonction: str,
    message: str,
    textes: Sequence[str],
    remplacement: Sequence[str] = (),
    creer_declencheur: bool = False,
) -> tuple[Operation, Operation]:
    """RunPython operations that make the append-only trigger `fonction` of a hash-chained table (journal.chaine,
    ADR 0006) let two kinds of UPDATE through, and nothing else (DELETE stays refused):
    (a) the sealing: the row has no `empreinte` yet and only its four sealing columns change;
    (b) an anonymisation: the transaction has set `collectifs.anonymisation` (SET LOCAL) and only the free-text
        columns `textes` change, plus the `remplacement` columns (database column names) going from NULL to a value.
    `creer_declencheur`: the table is new, so create the trigger too (else the existing one keeps calling the
    replaced function). Backward restores the plain refusal of `refuser_modifications`. Nothing outside PostgreSQL."""

    scellement = _liste_sql(["rang", "empreinte", "empreinte_precedente", "empreinte_textes"])
    libres = _liste_sql([*textes, *remplacement])
    remplacements = "".join(
        f" AND (OLD.{nom} IS NULL OR NEW.{nom} IS NOT DISTINCT FROM OLD.{nom})" for nom in remplacement
    )
    texte = message.replace("'", "''")

    def table(apps: Any, schema_editor: Any) -> str:
        return str(schema_editor.quote_name(apps.get_model(*modele)._meta.db_table))

    def creer(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {fonction}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'UPDATE' THEN "
            f"IF OLD.empreinte IS NULL AND (to_jsonb(OLD) - {scellement}) = (to_jsonb(NEW) - {scellement}) THEN "
            f"RETURN NEW; END IF; "
            f"IF coalesce(current_setting('collectifs.anonymisation', true), '') <> '' "
            f"AND (to_jsonb(OLD) - {libres}) = (to_jsonb(NEW) - {libres}){remplacements} THEN "
            f"RETURN NEW; END IF; "
            f"END IF; "
            f"RAISE EXCEPTION '{texte} % refusé.', TG_OP; END; $$",
            None,
        )
        if creer_declencheur:
            schema_editor.execute(
                f"CREATE TRIGGER {fonction} BEFORE UPDATE OR DELETE ON {table(apps, schema_editor)} "
                f"FOR EACH ROW EXECUTE FUNCTION {fonction}()",
                None,
            )

    def retour(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        if creer_declencheur:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fonction} ON {table(apps, schema_editor)}", None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {fonction}()", None)
            return
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {fonction}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{texte} % refusé.', TG_OP; END; $$",
            None,
        )

    return creer, retour
