"""Booth occupancy divides by the hours a site was open: computed once per distinct kind of day,
it must still equal the sum of every day's intervals, clock changes included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from halte.network.hours import intervals_on
from halte.network.models import HoursException, Site, WeeklyHours
from halte.network.selectors import site_exceptions, site_spans
from halte.reports.indicators import Scope
from halte.reports.indicators.consumption import open_hours

pytestmark = pytest.mark.django_db


def _day_by_day(site: Site, start: dt.date, end: dt.date) -> float:
    spans, exceptions = site_spans(site), {e.date: e for e in site_exceptions(site)}
    total, day = 0.0, start
    while day <= end:
        for i in intervals_on(day, spans, exceptions):
            total += (i.end - i.start).total_seconds() / 3600
        day += dt.timedelta(days=1)
    return total


def test_open_hours_over_two_years_of_clock_changes(make_site: Callable[..., Site]) -> None:
    # Open overnight (22:00 to 06:00: the nights of the clock changes are 7 and 9 hours), new
    # hours from the summer of 2025, and a closed day.
    site = make_site(hours=("22:00", "06:00"))
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            site=site,
            weekday=d,
            opens=dt.time(1, 30),
            closes=dt.time(3, 30),
            valid_from=dt.date(2025, 7, 1),
        )
        for d in (5, 6)
    )
    HoursException.objects.create(site=site, date=dt.date(2025, 12, 25), closed=True)
    start, end = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
    hours = open_hours(Scope((site.pk,), start, end))[site.pk]
    assert hours == pytest.approx(_day_by_day(site, start, end))
    assert hours != pytest.approx(8 * 731)  # the changes of hours and the closed day count
    # A spring alone: the night of the change to summer time is one hour short.
    spring = Scope((site.pk,), dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    assert open_hours(spring)[site.pk] == pytest.approx(8 * 61 - 1)
