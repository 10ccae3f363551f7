# The provisions-cited counts join RecordedCitation by case id: with it in the index, PostgreSQL reads the index alone.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exemptions", "0003_exemption_commonly_used"),
        ("responses", "0031_recorded_citations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_statistics_idx",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=[
                    "kind",
                    "received_on",
                    "status",
                    "statistics_outcome",
                    "statistics_ncnd",
                    "first_response_timeliness",
                    "id",
                ],
                name="case_statistics_id_idx",
            ),
        ),
    ]
