"""Base class for Halte's management commands: timing, logging and a progress bar."""

from __future__ import annotations

import abc
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.core.management.base import BaseCommand

T = TypeVar("T")
logger = logging.getLogger("halte.commands")


class HalteCommand(BaseCommand, abc.ABC):
    """Logs start, end and duration around ``run``; subclasses implement ``run``."""

    def handle(self, *args: Any, **options: Any) -> None:
        name = self.__module__.rsplit(".", 1)[-1]
        started = time.monotonic()
        logger.info("command %s started", name)
        self.run(*args, **options)
        logger.info("command %s finished in %.1f s", name, time.monotonic() - started)

    @abc.abstractmethod
    def run(self, *args: Any, **options: Any) -> None:
        """The command's work; each command defines it."""

    def progress(self, items: Iterable[T], *, total: int, label: str) -> Iterator[T]:
        """Yield items while drawing a progress bar on stderr (only when it is a terminal)."""
        interactive = sys.stderr.isatty()
        width = 30
        for done, item in enumerate(items, start=1):
            yield item
            if interactive or done == total:
                filled = int(width * done / max(total, 1))
                bar = "#" * filled + "-" * (width - filled)
                end = "\n" if done == total else "\r"
                sys.stderr.write(f"{label} [{bar}] {done}/{total}{end}")
                sys.stderr.flush()
