"""What an issued request cited moves from a JSON list on the case to RecordedCitation
rows, which the statistics group in the database instead of reading every case's list.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

triggers = import_module("responses.migrations.0029_restore_sqlite_search_triggers")


def copy_citations(apps, schema_editor):
    Case = apps.get_model("responses", "Case")
    RecordedCitation = apps.get_model("responses", "RecordedCitation")
    rows = []
    cited = Case.objects.exclude(statistics_citations=[]).values_list("pk", "statistics_citations")
    for case_id, pairs in cited.iterator(chunk_size=2000):
        seen = set()
        for exemption, mode in sorted({tuple(pair) for pair in pairs}):
            rows.append(
                RecordedCitation(
                    case_id=case_id,
                    exemption_id=exemption,
                    mode=mode,
                    counts_for_section=exemption not in seen,
                )
            )
            seen.add(exemption)
        if len(rows) >= 5000:
            RecordedCitation.objects.bulk_create(rows)
            rows = []
    RecordedCitation.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("exemptions", "0003_exemption_commonly_used"),
        ("responses", "0030_open_cases_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordedCitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("ncnd", "Neither confirm nor deny"), ("withhold", "Withhold")],
                        max_length=10,
                    ),
                ),
                ("counts_for_section", models.BooleanField(default=True)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recorded_citations",
                        to="responses.case",
                    ),
                ),
                (
                    "exemption",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="exemptions.exemption",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "exemption", "mode"), name="recorded_citation_once"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_citations, migrations.RunPython.noop),
        migrations.RemoveField(model_name="case", name="statistics_citations"),
        # Should SQLite rebuild responses_case to drop the column, its search triggers go
        # with it (see 0029): put them back.
        migrations.RunPython(triggers.restore_triggers, migrations.RunPython.noop),
    ]
