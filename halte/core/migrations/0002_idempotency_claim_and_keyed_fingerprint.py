from django.db import migrations, models


def forget_unkeyed_fingerprints(apps, schema_editor):
    # The old fingerprints were plain SHA-256 of the request body: a copy of the database could
    # confirm a guessed identity with them. Blank them; a blank fingerprint replays on its key alone.
    apps.get_model("core", "IdempotencyRecord").objects.update(fingerprint="")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_idempotency_record")]

    operations = [
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="status_code",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="body",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(forget_unkeyed_fingerprints, migrations.RunPython.noop),
    ]
