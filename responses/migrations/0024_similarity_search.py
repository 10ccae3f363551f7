"""Full-text indexes over question and request text, for precedents and repeats.

PostgreSQL: a generated ``tsvector`` column (English configuration) with a GIN index on
each table, so every insert and edit is indexed by the database itself. SQLite: an FTS5
table over the same text (external content: it stores only the index), kept in step by
triggers. ``responses.precedents`` queries both; Django's models do not know the columns.
"""

from django.db import migrations

TABLES = {"responses_question": "text", "responses_case": "request_text"}


def postgres_sql(table, column):
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('english', coalesce({column}, ''))) STORED",
        f"CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector)",
    ]


def sqlite_sql(table, column):
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
        f"content_rowid='id', tokenize='porter unicode61')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def add_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, column in TABLES.items():
        if vendor == "postgresql":
            statements = postgres_sql(table, column)
        elif vendor == "sqlite":
            statements = sqlite_sql(table, column)
        else:
            statements = []
        for statement in statements:
            schema_editor.execute(statement)


def remove_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        elif vendor == "sqlite":
            for trigger in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("responses", "0023_merged_choices_after_letter_kinds")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
