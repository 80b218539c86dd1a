"""Indicators, each checked against counts made by hand (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from halte.consumption.models import Booth, BoothServicePeriod
from halte.reports.frameworks import build_report
from halte.reports.indicators import REGISTRY, Scope
from tests.reports.conftest import MARCH, Activity


def value(code: str, scope: Scope) -> object:
    return REGISTRY[code].evaluate(scope).value


def scope_of(*sites: object, network: bool = False) -> Scope:
    return Scope(tuple(s.pk for s in sites), *MARCH, network=network)  # type: ignore[attr-defined]


def test_people_are_counted_once_across_the_network(activity: Activity) -> None:
    paris, other = scope_of(activity.site), scope_of(activity.other_site)
    network = scope_of(activity.site, activity.other_site, network=True)
    assert value("file_active", paris) == 12
    assert value("file_active", other) == 4
    # Person 0 went to both: the network counts 15 people, not 12 + 4.
    assert value("file_active", network) == 15


def test_new_people_exclude_those_seen_before_the_period(activity: Activity) -> None:
    assert value("new_people", scope_of(activity.site)) == 11


def test_share_of_women_median_age_and_age_groups(activity: Activity) -> None:
    paris = scope_of(activity.site)
    assert value("share_women", paris) == pytest.approx(25.0)
    # Born 1980..1991: ages 45..34 in 2025; the 6th and 7th are 40 and 39 -> the median is 40.
    assert value("median_age", paris) == 40
    groups = {c.key: c.value for c in REGISTRY["age_groups"].evaluate(paris).cells}
    assert groups["25-34"] == 1 and groups["35-44"] == 10 and groups["45-54"] == 1


def test_visits_per_day_mean_and_peak(activity: Activity) -> None:
    paris = scope_of(activity.site)
    assert value("visits", paris) == 32
    assert value("anonymous_contacts", paris) == 2
    assert value("visits_peak_day", paris) == 5  # 2 March: three visits and two anonymous
    # The room opens every day (13:30-20:30): 32 visits over the 31 days open in March, not
    # over the 10 days that had a visit.
    assert value("days_open", paris) == 31
    assert value("days_with_activity", paris) == 10
    assert value("visits_per_day", paris) == pytest.approx(32 / 31)
    assert value("sessions_per_day", paris) == pytest.approx(20 / 31)


def test_sessions_by_route_and_product_and_overdose_rate(activity: Activity) -> None:
    paris = scope_of(activity.site)
    routes = {c.key: c.value for c in REGISTRY["sessions_by_route"].evaluate(paris).cells}
    assert routes == {"injection": 20, "inhalation": 0, "nasal": 0, "oral": 0}
    products = {c.key: c.value for c in REGISTRY["sessions_by_product"].evaluate(paris).cells}
    assert products == {"morphine": 10, "heroin": 10}
    # One opioid overdose and one stimulant toxicity: each its own line, the sum apart.
    assert value("opioid_overdoses", paris) == 1
    assert value("stimulant_toxicities", paris) == 1
    assert value("opioid_overdoses_per_1000", paris) == pytest.approx(50.0)
    assert value("stimulant_toxicities_per_1000", paris) == pytest.approx(50.0)
    assert value("overdoses", paris) == 2
    assert value("overdoses_per_1000", paris) == pytest.approx(100.0)
    assert value("incidents_naloxone", paris) == 1
    assert value("incidents_doses", paris) == 2
    assert value("incidents_calls", paris) == 1
    assert value("session_duration", paris) == pytest.approx(15.0)


def test_booth_occupancy_uses_opening_hours(activity: Activity) -> None:
    # The fixture writes its booth straight to the table: nothing says it was in service.
    assert value("booth_occupancy", scope_of(activity.site)) is None
    booth = Booth.objects.get(site=activity.site)
    BoothServicePeriod.objects.create(booth=booth, start=dt.date(2025, 1, 1))
    # 20 sessions of 15 min = 5 h; one booth open 7 h a day for 31 days = 217 h.
    assert value("booth_occupancy", scope_of(activity.site)) == pytest.approx(500 / 217)


def test_a_report_costs_a_bounded_number_of_queries(activity: Activity) -> None:
    """Aggregates, not loops over rows: more visits do not mean more queries."""
    with CaptureQueriesContext(connection) as queries:
        build_report("hsa-annual", scope_of(activity.site), suppressed=False)
    assert len(queries) <= 60


def test_no_period_leaks_into_another(activity: Activity) -> None:
    april = Scope((activity.site.pk,), dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert value("visits", april) == 0
    assert value("file_active", april) == 0
