"""Catalog search on PostgreSQL: unaccent + pg_trgm, ``cqs_normalize(text)`` and a trigram GIN index.

Nothing happens on other databases (SQLite matches the already-normalised ``search_text`` with plain LIKE).
Both extensions are "trusted" since PostgreSQL 13: the database owner can create them without being superuser.
"""

from django.db import migrations

# unaccent already maps đ/Đ to d/D with its default rules; the replace() keeps that true under a custom rules file.
# The dictionary is named with its schema so the function is IMMUTABLE in fact, whatever the search_path.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    """
    CREATE OR REPLACE FUNCTION public.cqs_normalize(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, replace(replace($1, 'đ', 'd'), 'Đ', 'D'))) $$
    """,
    # Serves search_text LIKE '%word%' (every query word): the filter of catalog.search.procedure_search.
    "CREATE INDEX IF NOT EXISTS catalog_pv_search_trgm "
    "ON catalog_procedureversion USING gin (search_text public.gin_trgm_ops)",
    # No index on cqs_normalize(name): no query filters on the name alone (the code and the field must match too),
    # and the similarity ORDER BY runs on the few matching rows, where an index cannot help.
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_pv_search_trgm",
    "DROP FUNCTION IF EXISTS public.cqs_normalize(text)",
    # The extensions stay: other apps may use them, and dropping them needs more rights than creating them.
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
