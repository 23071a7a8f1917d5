"""The full-text index of the search, in each database's own engine.

SQLite: an FTS5 table whose rowid is the work's id (`porter unicode61
remove_diacritics 2`: English stems, accents folded; the other folding is done in Python,
see catalogue.search.text). The `facets` column holds one opaque token per facet value,
so that facet filters are part of the MATCH.

PostgreSQL: a `document` tsvector column with a GIN index, and a GIN index over the
`facets` jsonb array (`jsonb_path_ops`, for `facets @> '["licence:open"]'`).
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE catalogue_search_fts USING fts5("
    "title, body, facets, tokenize = 'porter unicode61 remove_diacritics 2')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS catalogue_search_fts"]
POSTGRESQL_UP = [
    "ALTER TABLE catalogue_searchentry ADD COLUMN document tsvector",
    "CREATE INDEX catalogue_search_document ON catalogue_searchentry USING gin (document)",
    "CREATE INDEX catalogue_search_facets ON catalogue_searchentry "
    "USING gin (facets jsonb_path_ops)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS catalogue_search_facets",
    "DROP INDEX IF EXISTS catalogue_search_document",
    "ALTER TABLE catalogue_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}),
        )
    ]
