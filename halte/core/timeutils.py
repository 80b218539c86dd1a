"""Time helpers: everything Halte shows or reasons about is in Europe/Paris."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC


def now() -> dt.datetime:
    """The current instant, aware (UTC)."""
    return timezone.now()


def local_today() -> dt.date:
    """Today's date in Paris, which is not UTC's date between 22:00 and midnight in summer."""
    return timezone.now().astimezone(PARIS).date()


def paris_instant(day: dt.date, at: dt.time) -> dt.datetime:
    """The UTC instant of a Paris wall-clock time.

    A wall-clock time skipped by the spring change (02:30 on the last Sunday of March) maps to the
    instant one hour later, as a clock on the wall would show; an ambiguous autumn time takes its
    first occurrence.
    """
    return dt.datetime.combine(day, at).replace(tzinfo=PARIS).astimezone(UTC)
