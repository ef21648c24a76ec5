"""The application's PostgreSQL role (deploy/postgresql/roles.sql): it reads and writes rows, but it is no
superuser and no owner, so it can neither disable nor drop the triggers that keep the journal append-only."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from psycopg import errors

from journal.models import TransitionLog
from tests.deploiement.postgresql import exiger_postgresql, parametres, psql

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgresql_seulement() -> None:
    exiger_postgresql()


ROLES_SQL = settings.BASE_DIR / "deploy" / "postgresql" / "roles.sql"


@dataclass
class Roles:
    proprietaire: str
    app: str


@pytest.fixture
def roles() -> Iterator[Roles]:
    """roles.sql applied to the test database, under role names unique to this run (roles are cluster-wide)."""
    suffixe = secrets.token_hex(4)
    crees = Roles(proprietaire=f"collectifs_proprietaire_{suffixe}", app=f"collectifs_app_{suffixe}")
    base = parametres()["dbname"]
    try:
        psql("-v", f"base={base}", "-v", f"proprietaire={crees.proprietaire}", "-v", f"app={crees.app}",
             "-f", str(ROLES_SQL))  # fmt: skip
        yield crees
    finally:
        psql(
            "-c", f'DROP OWNED BY "{crees.app}", "{crees.proprietaire}"',
            "-c", f'DROP ROLE IF EXISTS "{crees.app}"',
            "-c", f'DROP ROLE IF EXISTS "{crees.proprietaire}"',
            "-c", f'GRANT CONNECT, TEMPORARY ON DATABASE "{base}" TO PUBLIC',
        )  # fmt: skip


def _connexion(role: str) -> psycopg.Connection:
    return psycopg.connect(**parametres(user=role), autocommit=True)


@pytest.fixture
def ligne() -> TransitionLog:
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(ContentType),
        object_id=1,
        transition="deposer",
        source="brouillon",
        cible="deposee",
    )


def test_le_role_de_l_application_lit_et_ecrit_les_lignes(roles, ligne):
    with _connexion(roles.app) as app:
        assert app.execute("SELECT cible FROM journal_transitionlog WHERE id = %s", [ligne.pk]).fetchone() == (
            "deposee",
        )
        app.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, '', now())",
            ["session-du-role-applicatif"],
        )
        assert app.execute("SELECT count(*) FROM django_session").fetchone() == (1,)
        attributs = app.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert attributs == (False, False, False, False)


@pytest.mark.parametrize(
    "requete",
    [
        "ALTER TABLE journal_transitionlog DISABLE TRIGGER ALL",
        "ALTER TABLE journal_transitionlog DISABLE TRIGGER journal_transitionlog_ajout_seul",
        "DROP TRIGGER journal_transitionlog_ajout_seul ON journal_transitionlog",
        "DROP FUNCTION journal_transitionlog_ajout_seul() CASCADE",
        "TRUNCATE journal_transitionlog",
        "SET session_replication_role = replica",  # triggers skipped for the session: superuser only
        "CREATE TABLE public.hors_migration (id integer)",
    ],
    ids=["disable-all", "disable-one", "drop-trigger", "drop-function", "truncate", "replica", "create-table"],
)
def test_le_role_de_l_application_ne_contourne_pas_les_declencheurs(roles, ligne, requete):
    with _connexion(roles.app) as app, pytest.raises(errors.InsufficientPrivilege):
        app.execute(requete)


@pytest.mark.parametrize(
    "requete",
    [
        "UPDATE journal_transitionlog SET cible = 'acceptee' WHERE id = %s",
        "DELETE FROM journal_transitionlog WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_le_declencheur_refuse_au_role_de_l_application_de_reecrire_le_journal(roles, ligne, requete):
    with _connexion(roles.app) as app:
        with pytest.raises(errors.RaiseException, match="en ajout seul"):
            app.execute(requete, [ligne.pk])
        assert app.execute("SELECT cible FROM journal_transitionlog WHERE id = %s", [ligne.pk]).fetchone() == (
            "deposee",
        )


def test_les_tables_des_futures_migrations_sont_ouvertes_au_role_de_l_application(roles):
    with _connexion(roles.proprietaire) as proprietaire:
        proprietaire.execute("CREATE TABLE public.migration_future (id bigserial PRIMARY KEY, texte text)")
    with _connexion(roles.app) as app:
        app.execute("INSERT INTO public.migration_future (texte) VALUES ('nouvelle ligne')")
        assert app.execute("SELECT texte FROM public.migration_future").fetchall() == [("nouvelle ligne",)]
        with pytest.raises(errors.InsufficientPrivilege):
            app.execute("DROP TABLE public.migration_future")
