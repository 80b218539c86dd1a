"""``manage.py reference_tables [--write]``: the tables of docs/reports.md that list every item of
the four frameworks' references, generated from ``halte.reports.references`` so that the
documentation and the code never drift (a test compares them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import translation

from halte.core.management.base import HalteCommand
from halte.reports.indicators import REGISTRY
from halte.reports.references import markdown_tables, replace_tables

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "reports.md"


def generated_tables() -> str:
    with translation.override("fr"):
        return markdown_tables({code: str(i.label) for code, i in REGISTRY.items()})


class Command(HalteCommand):
    help = "Print (or --write into docs/reports.md) the frameworks' item-by-item tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help="Rewrite docs/reports.md.")

    def run(self, *args: Any, **options: Any) -> None:
        tables = generated_tables()
        if not options["write"]:
            self.stdout.write(tables)
            return
        DOCUMENT.write_text(replace_tables(DOCUMENT.read_text(), tables))
        self.stdout.write(f"{DOCUMENT} updated")
