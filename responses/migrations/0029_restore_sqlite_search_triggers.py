"""SQLite rebuilds a table to add some columns (0027 added the statistics fields to cases),
and a rebuilt table loses its triggers: the FTS5 index of 0024 stopped following new and
edited requests. This puts the triggers back and rebuilds the index. A later migration that
rebuilds responses_case or responses_question on SQLite needs the same step
(tests/test_precedents.py and tests/test_case_list.py fail without it).
"""

from importlib import import_module

from django.db import migrations

search = import_module("responses.migrations.0024_similarity_search")


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL's generated columns survive ALTER TABLE
    for table, column in search.TABLES.items():
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
        for statement in search.sqlite_sql(table, column):
            if not statement.startswith("CREATE VIRTUAL TABLE"):
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("responses", "0028_letter_layouts")]

    operations = [migrations.RunPython(restore_triggers, migrations.RunPython.noop)]
