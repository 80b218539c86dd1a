"""A public id for each staff account (the staff screens' URLs) and the "change your temporary
password" flag. The id is added empty, filled row by row, then made unique (0006), so the
migration runs the same on SQLite and PostgreSQL."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(public_id__isnull=True).only("pk"):
        user.public_id = uuid.uuid4()
        user.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_totp_device"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False, verbose_name="mot de passe à changer"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
    ]
