"""Saturation per hour of the day (issue 16): the refusals because full and the waits for a booth
land in the Paris hour they happened in, on any day of the period (clock changes included), in
the reports' indicators and in the dashboards' chart, for a site and for the network."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from halte.accounts.models import User
from halte.consumption.enums import RefusalReason, RefusalStage, WaitOutcome
from halte.consumption.models import Refusal, Wait
from halte.core.timeutils import PARIS
from halte.network.models import Site
from halte.reports.dashboards import saturation_chart
from halte.reports.frameworks import evaluate
from halte.reports.indicators import Scope
from halte.visits.models import Visit

pytestmark = pytest.mark.django_db

# March 2026: the clocks go forward on the 29th (02:00 → 03:00), so a UTC hour is not a Paris hour
# by a fixed offset across the month.
START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)

events = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=30),  # day of the month
        st.integers(min_value=0, max_value=23),  # Paris hour
        st.integers(min_value=0, max_value=59),
        st.sampled_from(["full", "minor", "closed", "wait", "wait_left"]),
    ),
    max_size=25,
)


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    moment = dt.datetime(2026, 3, 1 + day, hour, minute, tzinfo=PARIS)
    # 02:xx on 29 March does not exist in Paris: it is read as 03:xx, as the clock shows it.
    return moment.astimezone(dt.UTC).astimezone(PARIS)


def _write(site: Site, by: User, rows: list[tuple[int, int, int, str]]) -> Counter[str]:
    """Create the events and give back the hours expected per series (Paris wall clock)."""
    expected: Counter[str] = Counter()
    for day, hour, minute, kind in rows:
        at = _at(day, hour, minute)
        if kind.startswith("wait"):
            visit = Visit.objects.create(site=site, arrived_at=at, opened_by=by, left_at=at)
            Wait.objects.create(
                site=site,
                visit=visit,
                route="injection",
                started_at=at,
                ended_at=at + dt.timedelta(minutes=10),
                outcome=WaitOutcome.LEFT if kind == "wait_left" else WaitOutcome.SERVED,
                started_by=by,
            )
            expected[f"wait:{at.hour}"] += 1
        else:
            Refusal.objects.create(
                site=site, at=at, stage=RefusalStage.DOOR, reason=kind, recorded_by=by
            )
            expected[f"refused:{kind}"] += 1
            if kind == RefusalReason.FULL:
                expected[f"full:{at.hour}"] += 1
    return expected


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=events)
def test_each_event_lands_in_its_paris_hour(
    site: Site, other_site: Site, reception: User, rows: list[tuple[int, int, int, str]]
) -> None:
    with transaction.atomic():  # each example starts from nothing
        expected = _write(site, reception, rows)
        scope = Scope((site.pk,), START, END)
        results = evaluate(
            ["saturation_by_hour", "refusals", "refusals_by_reason", "waits", "waits_given_up"],
            scope,
        )
        cells = {int(c.key): c.value for c in results["saturation_by_hour"].cells}
        for hour in range(24):
            want = expected[f"full:{hour}"] + expected[f"wait:{hour}"]
            assert cells.get(hour, 0) == want, hour
        assert all(value for value in cells.values())  # only the hours with something
        assert results["refusals"].value == sum(
            n for k, n in expected.items() if k.startswith("refused:")
        )
        reasons = {c.key: c.value for c in results["refusals_by_reason"].cells}
        for reason in RefusalReason.values:
            assert reasons[reason] == expected[f"refused:{reason}"]
        waits = sum(n for k, n in expected.items() if k.startswith("wait:"))
        assert results["waits"].value == waits
        assert results["waits_given_up"].value == sum(1 for r in rows if r[3] == "wait_left")
        # The chart draws the same two series, hour by hour.
        chart = saturation_chart(scope)
        assert [float(expected[f"full:{h}"]) for h in range(24)] == [
            float(row[1][0]) for row in chart.rows
        ]
        assert [float(expected[f"wait:{h}"]) for h in range(24)] == [
            float(row[1][1]) for row in chart.rows
        ]
        # Another site's scope counts none of them; the network's counts them all.
        other = evaluate(["refusals", "waits"], Scope((other_site.pk,), START, END))
        assert other["refusals"].value == 0 and other["waits"].value == 0
        network = evaluate(["waits"], Scope((site.pk, other_site.pk), START, END, network=True))
        assert network["waits"].value == waits
        transaction.set_rollback(True)


def test_the_months_dashboard_shows_the_saturation_figure(
    site: Site, manager: User, reception: User, login: Callable[[User], HttpClient]
) -> None:
    _write(site, reception, [(3, 18, 5, "full"), (3, 18, 40, "wait"), (4, 21, 0, "full")])
    url = reverse("reports:site_month", kwargs={"site_id": site.public_id})
    page = login(manager).get(url, {"month": "2026-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Saturation par heure : refus faute de place et attentes" in text
    assert "Refus (complet)" in text and "Attentes d&#x27;un poste" in text
    saturation = text[text.index("Saturation par heure") :]
    # The table behind the chart: one refusal and one wait at 18h, one refusal at 21h.
    assert '<th scope="row">18h</th><td>1</td><td>1</td>' in saturation
    assert '<th scope="row">21h</th><td>1</td><td>0</td>' in saturation
    assert '<th scope="row">19h</th><td>0</td><td>0</td>' in saturation
