# The session covering index holds every column the reports' session figures read.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consumption', '0007_date_existing_booths'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='session',
            name='session_booth_start_cover_idx',
        ),
        migrations.AddIndex(
            model_name='session',
            index=models.Index(fields=['booth', 'started_at'], include=('ended_at', 'route', 'product', 'other_products', 'led_by_peer', 'watch_started_at', 'watch_ended_at'), name='session_booth_start_cover_idx'),
        ),
    ]
