"""``manage.py extend_stays``: confirm tonight for every open-ended stay (run each evening)."""

from __future__ import annotations

from typing import Any

from halte.core.management.base import HalteCommand
from halte.lodging.services import stays_extend


class Command(HalteCommand):
    help = "Write tonight's bed-night for every open-ended stay; report beds already taken."

    def run(self, *args: Any, **options: Any) -> None:
        result = stays_extend(actor=None)
        self.stdout.write(f"{result.confirmed} night(s) confirmed, {result.conflicts} conflict(s).")
