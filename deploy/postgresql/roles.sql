-- Collectifs DS: the two PostgreSQL roles of production (docs/exploitation.md, ADR 0006).
--
--   collectifs_proprietaire  owns the schema: runs `migrate` and `createcachetable` (DATABASE_URL_MIGRATIONS);
--   collectifs_app           the application (DATABASE_URL): reads and writes rows, nothing else. Not a
--                            superuser and not an owner, it can neither drop nor disable the triggers that keep
--                            the journal, the ledger and the documents append-only, nor TRUNCATE them.
--
-- Run as a superuser (postgres), once the database exists (createdb -O collectifs_proprietaire collectifs), and
-- again after a restore into a new database. Idempotent. The role names and the database are psql variables:
--
--   psql -v ON_ERROR_STOP=1 -v base=collectifs -v proprietaire=collectifs_proprietaire -v app=collectifs_app \
--        -d collectifs -f deploy/postgresql/roles.sql
--
-- Passwords are not set here (they would end up in the shell history): with a local Unix socket, `peer`
-- authentication needs none; otherwise `\password collectifs_app` in psql.

\set ON_ERROR_STOP on

-- The roles (created only if missing; the attributes are enforced every time).
SELECT format('CREATE ROLE %I', :'proprietaire')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'proprietaire') \gexec
SELECT format('CREATE ROLE %I', :'app')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"proprietaire" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
-- The application role must not be able to act as the owner.
REVOKE :"proprietaire" FROM :"app";

-- The database: only these two roles (and superusers) connect to it.
REVOKE ALL ON DATABASE :"base" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"base" TO :"app";
GRANT CONNECT, TEMPORARY, CREATE ON DATABASE :"base" TO :"proprietaire";

-- The schema: the owner creates the tables in it, the application only uses them.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"proprietaire";
GRANT USAGE ON SCHEMA public TO :"app";

-- Existing tables and sequences (after a restore, or when the roles come after the first `migrate`).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- Tables and sequences that the owner's future migrations create.
ALTER DEFAULT PRIVILEGES FOR ROLE :"proprietaire" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"proprietaire" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
