"""A public copy keeps the title the disclosure log lists it under (the case's subject when
the copy was made), so a later edit of the officers' label cannot change a published entry.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_subjects(apps, schema_editor):
    PublicCopy = apps.get_model("responses", "PublicCopy")
    Case = apps.get_model("responses", "Case")
    subject = Case.objects.filter(letters__publication=OuterRef("publication")).values("subject")
    PublicCopy.objects.update(title=Subquery(subject[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0033_citation_exemption_latest"),
    ]

    operations = [
        migrations.AddField(
            model_name="publiccopy",
            name="title",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(copy_subjects, migrations.RunPython.noop),
    ]
