"""Signals: the method (a Poisson upper threshold over the same hours of the previous weeks) on
synthetic activity: a burst raises a signal with its incidents, ordinary activity raises none."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from halte.accounts.models import User
from halte.alerts import detection
from halte.alerts.models import Signal
from halte.alerts.services import signal_check
from halte.audit.models import AuditEvent
from halte.consumption.services import incident_record
from halte.network.models import Site
from tests.alerts.conftest import incidents_at

NOW = dt.datetime(2026, 11, 20, 23, 0, tzinfo=dt.UTC)


def test_the_threshold_is_the_smallest_improbable_count() -> None:
    # Usual level 1 in 6 hours: P(X >= 5) = 0.0037 < 1 %, P(X >= 4) = 0.019.
    assert detection.poisson_threshold(1.0) == 5
    # A quiet history is floored at 0.3, and never fewer than 3 incidents make a signal.
    assert detection.poisson_threshold(0.0) == 3
    assert detection.poisson_threshold(4.0) == 10
    assert detection.poisson_tail(0, 3.0) == 1.0
    assert detection.poisson_tail(3, 0.5) == pytest.approx(0.01439, abs=1e-4)


def _ordinary_weeks(site: Site, user: User, *, per_window: list[int]) -> None:
    """Incidents in the same six hours of each previous week (and some outside the window)."""
    moments = []
    for week, count in enumerate(per_window, start=1):
        start = NOW - dt.timedelta(days=7 * week, hours=6)
        moments += [start + dt.timedelta(minutes=40 * i + 5) for i in range(count)]
        moments.append(start - dt.timedelta(hours=3))  # outside the window: not counted
    incidents_at(site, user, moments)


def test_a_burst_of_overdoses_raises_a_signal_with_its_incidents(
    site: Site, other_site: Site, nurse: User, coordinator: User, login: Callable[[User], Client]
) -> None:
    _ordinary_weeks(site, nurse, per_window=[1, 2, 1, 0, 1, 2, 1, 0])
    burst = [NOW - dt.timedelta(minutes=25 * i + 10) for i in range(5)]
    incidents_at(site, nurse, burst[:3])
    incidents_at(other_site, nurse, burst[3:], kind="malaise")
    incidents_at(site, nurse, [NOW - dt.timedelta(hours=1)], kind="violence")  # not product-related

    reading = detection.read_window(NOW)
    assert reading.weekly == (1, 2, 1, 0, 1, 2, 1, 0)
    assert reading.expected == pytest.approx(1.0)
    assert reading.observed == 5 and reading.threshold == 5 and reading.raised

    signal = signal_check(at=NOW)
    assert signal is not None and signal.observed == 5 and signal.threshold == 5
    assert AuditEvent.objects.filter(action="alert_signal.raised").count() == 1
    # Read again a little later: the same signal, extended, not a second one.
    again = signal_check(at=NOW + dt.timedelta(minutes=10))
    assert again is not None and again.pk == signal.pk and Signal.objects.count() == 1

    page = login(coordinator).get("/alertes/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "5 surdoses et incidents" in body
    assert "Paris 10e" in body and "Malaise" in body


def test_ordinary_activity_raises_nothing(site: Site, nurse: User) -> None:
    rng = random.Random(19)
    weeks = [rng.choice([1, 2, 2, 3]) for _ in range(detection.BASELINE_WEEKS)]
    _ordinary_weeks(site, nurse, per_window=weeks)
    incidents_at(site, nurse, [NOW - dt.timedelta(hours=h) for h in (1, 4, 5)])
    reading = detection.read_window(NOW)
    assert reading.observed == 3 and not reading.raised
    assert signal_check(at=NOW) is None
    assert not Signal.objects.exists()


def test_every_ordinary_evening_of_a_poisson_history_stays_quiet(site: Site, nurse: User) -> None:
    """Nine weeks of evenings drawn from the usual level: the last one raises nothing."""
    rng = random.Random(7)
    counts = [sum(rng.random() < 0.3 for _ in range(6)) for _ in range(9)]  # about 1.8 a window
    _ordinary_weeks(site, nurse, per_window=counts[1:])
    incidents_at(site, nurse, [NOW - dt.timedelta(minutes=30 * i + 5) for i in range(counts[0])])
    assert not detection.read_window(NOW).raised


def test_the_signal_is_read_right_after_an_incident_is_recorded(
    site: Site, nurse: User, django_capture_on_commit_callbacks: Any
) -> None:
    incidents_at(site, nurse, [dt.datetime.now(dt.UTC) - dt.timedelta(minutes=m) for m in (5, 9)])
    with django_capture_on_commit_callbacks(execute=True):
        incident_record(actor=nurse, site=site, kind="opioid_overdose", outcome="transferred")
    assert Signal.objects.filter(closed_at__isnull=True, observed=3).count() == 1


def test_signals_are_for_the_coordination(nurse: User, login: Callable[[User], Client]) -> None:
    http: Client = login(nurse)
    assert http.get("/api/v1/alerts/signals").status_code == 404


def test_the_periodic_job_opens_the_signal(site: Site, nurse: User) -> None:
    from typing import cast

    from halte.jobs.registry import get_kind
    from halte.jobs.runner import JobContext

    kind = get_kind("alerts.signal_check")
    assert kind.handler(cast(JobContext, None)) == {"signal": None}
    recent = dt.datetime.now(dt.UTC)
    incidents_at(site, nurse, [recent - dt.timedelta(minutes=m) for m in (5, 15, 25)])
    summary = kind.handler(cast(JobContext, None))
    assert summary["signal"] == str(Signal.objects.get().public_id)
