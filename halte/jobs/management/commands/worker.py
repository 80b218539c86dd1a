"""``manage.py worker``: run background jobs (solves, exports, roll-ups, the nightly work).

Writes the periodic jobs of the settings as the queue's schedules, then runs the queue's cluster
in the foreground: Ctrl-C (SIGINT, also the README unit's KillSignal) lets the running jobs finish
and stops.
Run one per machine that should take a share of the work (README, "Background jobs")."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from halte.jobs.schedules import sync_schedules


class Command(BaseCommand):
    help = "Run the background worker (django-q2 cluster) after writing the periodic schedules."

    def handle(self, *args: Any, **options: Any) -> None:
        names = sync_schedules()
        if options["verbosity"]:
            self.stdout.write("Periodic jobs: " + (", ".join(names) or "none"))
        call_command("qcluster")
