# Visits per site, day and combination of purposes: a new roll-up, filled here with the visits the
# roll-ups already hold (later visits are folded in by the next refresh, as for the others).

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncDate


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    state = apps.get_model("reports", "RollupState").objects.filter(pk=1).first()
    if state is None or not state.last_visit_id:
        return
    alias = schema_editor.connection.alias
    rows = (
        apps.get_model("visits", "Visit")
        .objects.using(alias)
        .filter(pk__lte=state.last_visit_id)
        .order_by()
        .annotate(day=TruncDate("arrived_at", tzinfo=ZoneInfo("Europe/Paris")))
        .values_list("site_id", "day", "purposes")
        .annotate(n=Count("*"))
    )
    model = apps.get_model("reports", "DailyPurposes")
    batch = [
        model(site_id=site_id, day=day, purposes=purposes, visits=n)
        for site_id, day, purposes, n in rows.iterator(chunk_size=5000)
    ]
    model.objects.using(alias).bulk_create(batch, batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0003_authorisation'),
        ('reports', '0003_material_rollups'),
        ('visits', '0003_drop_prefix_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyPurposes',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('purposes', models.PositiveIntegerField()),
                ('visits', models.PositiveIntegerField()),
                ('site', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='network.site')),
            ],
            options={
                'verbose_name': 'passages du jour par motifs (agrégat)',
                'constraints': [models.UniqueConstraint(fields=('site', 'day', 'purposes'), name='daily_purposes_one_per_mask')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
