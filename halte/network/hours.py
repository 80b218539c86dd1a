"""Opening hours: which spans apply on a date, and whether a site is open at an instant.

Everything is computed as UTC intervals built from Paris wall-clock times, so a span that crosses
midnight or a daylight-saving change is measured as the people at the door live it. Pure functions
over plain values: the caller loads the rows once (prefetch) and asks as often as it likes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from halte.core.timeutils import paris_date, paris_instant


@dataclass(frozen=True)
class Span:
    """A weekly span as stored: weekday 0 = Monday."""

    weekday: int
    opens: dt.time
    closes: dt.time
    valid_from: dt.date
    valid_until: dt.date | None = None
    women_only: bool = False

    def applies_on(self, day: dt.date) -> bool:
        if day.weekday() != self.weekday or day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True)
class Exception_:
    """A dated exception: ``closed``, or these hours instead of the weekly ones."""

    date: dt.date
    closed: bool
    opens: dt.time | None = None
    closes: dt.time | None = None


@dataclass(frozen=True)
class Interval:
    """An opening as two instants (UTC) and the wall-clock day it started on."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime
    women_only: bool = False


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    until: dt.datetime | None  # when the current opening ends
    next_opening: dt.datetime | None  # when it next opens, if closed
    women_only_now: bool = False
    around_the_clock: bool = False  # open for the next 24 hours at least


def spans_on(
    day: dt.date, spans: Iterable[Span], exceptions: dict[dt.date, Exception_]
) -> list[tuple[dt.time, dt.time, bool]]:
    """The (opens, closes, women_only) spans that start on this Paris date."""
    exception = exceptions.get(day)
    if exception is not None:
        if exception.closed or exception.opens is None or exception.closes is None:
            return []
        return [(exception.opens, exception.closes, False)]
    found = [(s.opens, s.closes, s.women_only) for s in spans if s.applies_on(day)]
    return sorted(found)


def intervals_on(
    day: dt.date, spans: Iterable[Span], exceptions: dict[dt.date, Exception_]
) -> list[Interval]:
    """UTC intervals for the spans starting on ``day``; a span ending at or before its start ends
    the next day."""
    result = []
    for opens, closes, women_only in spans_on(day, spans, exceptions):
        end_day = day if closes > opens else day + dt.timedelta(days=1)
        result.append(
            Interval(day, paris_instant(day, opens), paris_instant(end_day, closes), women_only)
        )
    return result


def open_state(
    at: dt.datetime,
    spans: Sequence[Span],
    exceptions: Sequence[Exception_] = (),
    *,
    horizon_days: int = 14,
) -> OpenState:
    """Whether the site is open at ``at`` (aware), until when, or when it next opens."""
    by_date = {e.date: e for e in exceptions}
    today = paris_date(at)
    current: list[Interval] = []
    upcoming: list[Interval] = []
    for offset in range(-1, horizon_days + 1):
        for interval in intervals_on(today + dt.timedelta(days=offset), spans, by_date):
            if interval.start <= at < interval.end:
                current.append(interval)
            elif interval.start > at:
                upcoming.append(interval)
    if current:
        until = _continuous_end(max(i.end for i in current), upcoming)
        return OpenState(
            True,
            until=until,
            next_opening=None,
            women_only_now=all(i.women_only for i in current),
            around_the_clock=until - at >= dt.timedelta(hours=24),
        )
    next_start = min((i.start for i in upcoming), default=None)
    return OpenState(False, until=None, next_opening=next_start)


def _continuous_end(end: dt.datetime, upcoming: list[Interval]) -> dt.datetime:
    """Follow openings that start before the current one ends: a site open 24 hours a day is
    open until its first real closing, not until midnight."""
    for interval in sorted(upcoming, key=lambda i: i.start):
        if interval.start <= end:
            end = max(end, interval.end)
    return end


def weekly_table(
    spans: Iterable[Span], on: dt.date
) -> dict[int, list[tuple[dt.time, dt.time, bool]]]:
    """The week in force on ``on``: weekday → spans, for display."""
    table: dict[int, list[tuple[dt.time, dt.time, bool]]] = {d: [] for d in range(7)}
    for span in spans:
        if span.valid_from <= on and (span.valid_until is None or on <= span.valid_until):
            table[span.weekday].append((span.opens, span.closes, span.women_only))
    for day_spans in table.values():
        day_spans.sort()
    return table


def weekly_open_hours(spans: Iterable[Span], on: dt.date) -> float:
    """Hours open in a week (wall-clock), as the annual reports count them."""
    total = 0.0
    for day_spans in weekly_table(spans, on).values():
        for opens, closes, _women in day_spans:
            minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
            total += (minutes if minutes > 0 else minutes + 24 * 60) / 60
    return total
