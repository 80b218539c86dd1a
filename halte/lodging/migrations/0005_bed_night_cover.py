# The bed nights' covering index for the reports' nights and people housed.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lodging', '0004_date_existing_beds'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='bednight',
            index=models.Index(fields=['bed', 'night'], include=('client',), name='bed_night_bed_cover_idx'),
        ),
    ]
