"""``manage.py load_alerts_demo``: an invented history of samples, results and product alerts
(flagged and shown as invented). Safe to run again: nothing is duplicated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from halte.core.management.base import HalteCommand
from halte.network.models import Site


class Command(HalteCommand):
    help = "Create an invented history of drug-checking samples, results and product alerts."

    def run(self, *args: Any, **options: Any) -> None:
        from halte.demo.alerts import load

        if not Site.objects.filter(slug="paris-hsa").exists():
            raise CommandError("Load the demo network first: manage.py load_demo")
        with transaction.atomic():
            samples, alerts = load()
        self.stdout.write(f"Alerts demo (invented): {samples} samples and {alerts} alerts created.")
