"""R14: the catalogue's French search on PostgreSQL: the unaccent and pg_trgm extensions, the `french_unaccent` text
search configuration (French stems, accents folded), the GIN index of the stored search vector, an IMMUTABLE folding
function `mutualisation_plier(text)` (lower case, no accents) and the trigram GIN index of the folded title (typos).

Nothing on SQLite: the catalogue falls back to a plain search there (mutualisation.selectors.fiches)."""

from django.db import migrations

CREER = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END
    $$""",
    # unaccent() is only STABLE (its dictionary could change); naming the dictionary makes the wrapper safe to
    # declare IMMUTABLE, hence indexable.
    """CREATE OR REPLACE FUNCTION mutualisation_plier(texte text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, texte)) $$""",
    "CREATE INDEX IF NOT EXISTS fiche_recherche_gin ON mutualisation_fichepratique USING gin (recherche)",
    """CREATE INDEX IF NOT EXISTS fiche_titre_trgm ON mutualisation_fichepratique
        USING gin (mutualisation_plier(titre) gin_trgm_ops)""",
]

DEFAIRE = [
    "DROP INDEX IF EXISTS fiche_titre_trgm",
    "DROP INDEX IF EXISTS fiche_recherche_gin",
    "DROP FUNCTION IF EXISTS mutualisation_plier(text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]


def _executer(instructions):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for instruction in instructions:
            schema_editor.execute(instruction)

    return operation


class Migration(migrations.Migration):
    dependencies = [("mutualisation", "0002_themes")]

    operations = [migrations.RunPython(_executer(CREER), _executer(DEFAIRE))]
