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


def paris_date(instant: dt.datetime) -> dt.date:
    """The day an aware instant falls on in Paris: every "which day" of Halte is a Paris day.

    Not ``instant.date()``, which is UTC's day for Halte's UTC instants, one day early between
    midnight and 01:00 in winter (02:00 in summer), the first hour or two of every Paris day.
    """
    return instant.astimezone(PARIS).date()


def local_today() -> dt.date:
    """Today's date in Paris."""
    return paris_date(timezone.now())


def paris_instant(day: dt.date, at: dt.time) -> dt.datetime:
    """The UTC instant of a Paris wall-clock time.

    A wall-clock time skipped by the spring change (02:30 on the last Sunday of March) maps to the
    instant one hour later, as a clock on the wall would show; an ambiguous autumn time takes its
    first occurrence.
    """
    return dt.datetime.combine(day, at).replace(tzinfo=PARIS).astimezone(UTC)
