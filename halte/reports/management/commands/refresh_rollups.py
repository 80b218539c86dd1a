"""``manage.py refresh_rollups [--full]``: fold the visits recorded since the last run into the
reports' roll-ups (halte.reports.rollups). Run it every few minutes in production; reports are exact
whenever it last ran, they only read more rows the longer it has not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from halte.core.management.base import HalteCommand
from halte.reports.rollups import refresh


class Command(HalteCommand):
    help = (
        "Fold new visits and material into the reports' roll-ups"
        " (--full: rebuild them from every visit and distribution)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="Rebuild from every visit and distribution instead of the new ones.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        done = refresh(full=options["full"])
        what = "rebuilt from" if done.full else "folded in"
        self.stdout.write(
            f"{done.visits} visits and {done.distributions} distributions {what}; roll-ups hold"
            f" visits up to id {done.last_visit_id}, distributions up to id"
            f" {done.last_distribution_id}"
        )
