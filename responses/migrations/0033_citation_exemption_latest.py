# The latest citations of an exemption (the decision form's precedents) read from an index.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exemptions', '0003_exemption_commonly_used'),
        ('responses', '0032_statistics_index_with_id'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['exemption', '-id'], name='citation_exemption_latest_idx'),
        ),
    ]
