"""A time a form fills in for the user is on Paris's clock, the clock the form reads it back on.

The alert's "valid until" (in fourteen days) and a neighbourhood report's "when" (now) are shown
in a datetime-local box; posted back unchanged, they must mean the instant they stood for, not one
or two hours earlier (UTC's wall clock read as Paris's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from halte.accounts.models import User
from halte.core.timeutils import PARIS, UTC

pytestmark = pytest.mark.django_db

# Winter (UTC+1) and summer (UTC+2), and 23:30 UTC, when Paris is already on the next day.
MOMENTS = [
    dt.datetime(2026, 1, 15, 9, 41, tzinfo=UTC),
    dt.datetime(2026, 7, 15, 9, 41, tzinfo=UTC),
    dt.datetime(2026, 12, 6, 23, 30, tzinfo=UTC),
]


def _prefilled(page: str, name: str) -> dt.datetime:
    """The instant a datetime-local box shows, read on Paris's clock as the form reads it."""
    box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert box is not None, f"no box named {name}"
    value = re.search(r'value="([^"]+)"', box.group(0))
    assert value is not None, f"the box {name} is empty"
    return dt.datetime.strptime(value.group(1), "%Y-%m-%dT%H:%M").replace(tzinfo=PARIS)


@pytest.fixture(params=MOMENTS, ids=["winter", "summer", "paris-next-day"])
def moment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """The clock stopped at one of MOMENTS."""
    frozen: dt.datetime = request.param
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


def test_the_alert_is_prefilled_valid_for_fourteen_days_on_paris_clock(
    moment: dt.datetime, coordinator: User, login: Callable[[User], Client]
) -> None:
    page = login(coordinator).get("/alertes/emettre/").content.decode()
    assert _prefilled(page, "valid_until") == moment + dt.timedelta(days=14)


def test_a_report_is_prefilled_seen_now_on_paris_clock(
    moment: dt.datetime, coordinator: User, login: Callable[[User], Client]
) -> None:
    public = Client().get("/quartier/signaler/").content.decode()
    staff = login(coordinator).get("/quartier/signalements/nouveau/").content.decode()
    assert _prefilled(public, "seen_at") == moment
    assert _prefilled(staff, "seen_at") == moment
