"""``manage.py purge_expired [--apply]``: remove what is past its retention period.

Dry run by default: it says what it would delete. Each app declares what it keeps and for how
long (its ``retention`` module): the activity of people (visits and everything recorded on them)
for HALTE_RETENTION_ACTIVITY_DAYS, then people with no activity left who were registered before
that date; the API's replay records for HALTE_RETENTION_IDEMPOTENCY_DAYS; login failures past
the lockout window. Audit events are kept (append-only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from halte.core.management.base import HalteCommand
from halte.retention.services import purge_expired


class Command(HalteCommand):
    help = "Delete data past its retention period (dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Really delete (default: dry run)."
        )

    def run(self, *args: Any, **options: Any) -> None:
        counts = purge_expired(dry_run=not options["apply"])
        verb = "deleted" if options["apply"] else "would be deleted"
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} {verb}")
        if not options["apply"]:
            self.stdout.write("Dry run: nothing deleted. Run again with --apply to delete.")
