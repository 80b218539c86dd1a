"""``manage.py backup PATH``: every row of the database, with a manifest, in one gzip file (XML).

Portable between SQLite and PostgreSQL (Django's serialisation, primary keys kept). For a large
network on PostgreSQL, pg_dump remains the operator's tool (docs/security.md); this command is
what a single site on a laptop needs, and what the round-trip test proves exact."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db.migrations.recorder import MigrationRecorder

from halte.core.management.base import HalteCommand

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def dump_all() -> str:
    """All application rows as XML, in primary-key order (the same data gives the same text)."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        *[f"--exclude={name}" for name in EXCLUDED],
        "--natural-foreign",
        # XML keeps datetimes to the microsecond; Django's JSON encoder rounds them to milliseconds.
        "--format=xml",
        stdout=out,
    )
    return out.getvalue()


class Command(HalteCommand):
    help = "Write every row of the database to PATH (gzip JSON with a manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")

    def run(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists; use --force to overwrite it.")
        data = dump_all()
        manifest: dict[str, Any] = {
            "format": "halte-backup-1",
            "sha256": hashlib.sha256(data.encode("utf-8")).hexdigest(),
            "rows": data.count("<object "),
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
            ),
        }
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest) + "\n")
            handle.write(data)
        path.chmod(0o600)
        self.stdout.write(
            f"{manifest['rows']} rows written to {path} (sha256 {manifest['sha256'][:12]}…)"
        )
