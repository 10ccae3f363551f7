from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="lettersection",
            name="level",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="letterparagraph",
            name="source",
            field=models.CharField(blank=True, max_length=120),
        ),
    ]
