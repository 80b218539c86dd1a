"""``manage.py restore PATH``: load a backup into an empty, migrated database."""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder

from halte.core.management.base import HalteCommand


def _has_data() -> bool:
    return any(
        model._default_manager.exists()
        for model in apps.get_models()
        if model._meta.app_label.startswith(("network", "clients", "visits", "accounts", "audit"))
    )


class Command(HalteCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database (migrate first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def run(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                manifest = json.loads(handle.readline())
                data = handle.read()
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path} is not a Halte backup: {exc}") from exc
        if manifest.get("format") != "halte-backup-1":
            raise CommandError(f"{path} is not a Halte backup.")
        if hashlib.sha256(data.encode("utf-8")).hexdigest() != manifest["sha256"]:
            raise CommandError(
                "The backup is damaged: its checksum does not match. Nothing restored."
            )
        applied = {
            f"{a}.{n}" for a, n in MigrationRecorder.Migration.objects.values_list("app", "name")
        }
        missing = set(manifest["migrations"]) - applied
        if missing:
            raise CommandError(
                f"Migrate first: {len(missing)} migration(s) of the backup are not applied here."
            )
        if _has_data():
            raise CommandError(
                "The database is not empty: restore only into a new, migrated database."
            )
        with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8") as tmp:
            tmp.write(data)
            tmp.flush()
            with transaction.atomic():
                call_command("loaddata", tmp.name, verbosity=0)
        self.stdout.write(f"{manifest['rows']} rows restored from {path}.")
