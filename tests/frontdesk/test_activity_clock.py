"""The demo generator at any hour (issue 13, point 10): pinned at the awkward instants (midnight,
the nights the clocks change, closing time, a queue at the booths), it breaks no database rule and
writes nothing after its ``now``; a run at one hour is the run at a later hour of the same day cut
at the earlier one; the same seed and the same ``now`` give the same rows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from halte.accounts.models import User
from halte.care.models import CareAct, Distribution, Referral, StockMovement
from halte.consumption.models import Incident, Session
from halte.consumption.services import booths_sync
from halte.core.timeutils import PARIS, UTC, paris_instant
from halte.demo.activity.visits import PROFILES, generate_network
from halte.lodging.models import Stay
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.outreach.models import Round
from halte.visits.models import Visit

CLOCK = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SPRING, AUTUMN = dt.date(2025, 3, 30), dt.date(2025, 10, 26)  # last Sundays of March, October
JUNE = dt.date(2025, 6, 11)


def paris(day: dt.date, hour: int, minute: int = 0, second: int = 0, fold: int = 0) -> dt.datetime:
    """A Paris wall-clock time as a UTC instant (``fold=1``: the second 02:30 of autumn)."""
    local = dt.datetime.combine(day, dt.time(hour, minute, second, fold=fold), tzinfo=PARIS)
    return local.astimezone(UTC)


@pytest.fixture
def network(make_site: Callable[..., Site]) -> tuple[list[Site], User]:
    """A small network where every awkward hour meets a queue: the Paris room (13:30-20:30) and a
    room open over the night (midnight and the clock changes fall inside its opening) have one
    booth each, so someone is waiting for it most of the time; a site open around the clock; an
    outreach team; one bed."""
    paris_room = make_site(slug="paris-hsa", booths_injection=1)
    night_room = make_site(
        slug="strasbourg-hsa", hours=("22:00", "06:00"), booths_injection=1, beds=1
    )
    make_site(slug="repos-chapelle", kind=SiteKind.CAARUD, hours=("00:00", "00:00"))
    make_site(slug="maraude-nord-est", kind=SiteKind.OUTREACH_TEAM, hours=("18:00", "23:30"))
    for room in (paris_room, night_room):
        booths_sync(site=room)
    sites = list(Site.objects.filter(slug__in=PROFILES).order_by("slug"))
    return sites, User.objects.create_user(username="reception-paris")


def _generate(network: tuple[list[Site], User], now: dt.datetime, *, seed: int = 13) -> None:
    sites, actor = network
    generate_network(sites=sites, actor=actor, days=3, seed=seed, scale=0.4, now=now)


def _assert_nothing_after(now: dt.datetime) -> None:
    after = {
        "visit arrived": Visit.objects.filter(arrived_at__gt=now),
        "visit left": Visit.objects.filter(left_at__gt=now),
        "session started": Session.objects.filter(started_at__gt=now),
        "session ended": Session.objects.filter(ended_at__gt=now),
        "incident": Incident.objects.filter(occurred_at__gt=now),
        "care act": CareAct.objects.filter(performed_at__gt=now),
        "material": Distribution.objects.filter(given_at__gt=now),
        "referral": Referral.objects.filter(proposed_at__gt=now),
        "delivery": StockMovement.objects.filter(at__gt=now),
        "round": Round.objects.filter(ended_at__gt=now),
    }
    assert [name for name, rows in after.items() if rows.exists()] == []


def _assert_one_at_a_time(now: dt.datetime) -> None:
    """A booth holds one session at a time and an open one only for someone still inside; a person
    is inside once at a time at a site; what is open began shortly before ``now``."""
    sessions = Session.objects.order_by("booth_id", "started_at").values_list(
        "booth_id", "started_at", "ended_at", "visit__left_at", named=True
    )
    for one, then in itertools.pairwise(sessions):
        assert one.booth_id != then.booth_id or (one.ended_at and one.ended_at <= then.started_at)
    for session in sessions:
        if session.ended_at is None:
            assert session.visit__left_at is None
            assert now - session.started_at < dt.timedelta(minutes=30)
    visits = (
        Visit.objects.exclude(client=None)
        .order_by("site_id", "client_id", "arrived_at")
        .values_list("site_id", "client_id", "arrived_at", "left_at", named=True)
    )
    for one, then in itertools.pairwise(visits):
        same = (one.site_id, one.client_id) == (then.site_id, then.client_id)
        assert not same or (one.left_at and one.left_at <= then.arrived_at)
    for arrived in Visit.objects.filter(left_at=None).values_list("arrived_at", flat=True):
        assert now - arrived <= dt.timedelta(minutes=75)


AWKWARD = [
    paris(JUNE, 0),  # midnight: a new day, the night room still open
    paris(JUNE - dt.timedelta(days=1), 23, 59, 59),
    paris(JUNE, 0, 0, 1),
    paris(JUNE, 13, 30),  # the Paris room opens
    paris(JUNE, 20, 10),  # a queue at the booth (the failure of issue 13 took one)
    paris(JUNE, 20, 29, 59),
    paris(JUNE, 20, 30),  # the Paris room's closing time
    paris(JUNE, 20, 30, 1),
    paris(JUNE, 20, 45),  # the queue of the closing still going through the booth
    paris(SPRING, 1, 59, 59),  # the last second before 02:00 becomes 03:00
    paris(SPRING, 3),
    paris(SPRING, 0),
    paris(AUTUMN, 2, 30),  # 02:30 happens twice: summer time first,
    paris(AUTUMN, 2, 30, fold=1),  # then winter time
    paris(AUTUMN, 0),
    paris(dt.date(2025, 12, 31), 23, 59, 59),  # a new year: the birth years move
]


def _with_examples(**values: list[Any]) -> Callable[[Any], Any]:
    def decorate(test: Any) -> Any:
        for chosen in zip(*values.values(), strict=True):
            test = example(**dict(zip(values, chosen, strict=True)))(test)
        return test

    return decorate


@settings(CLOCK, max_examples=6)  # besides the awkward instants, always run
@_with_examples(now=AWKWARD)
@given(
    now=st.datetimes(
        min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001 - naive bounds, as hypothesis asks
        max_value=dt.datetime(2026, 12, 31),  # noqa: DTZ001 - naive bounds, as hypothesis asks
        timezones=st.just(UTC),
    )
)
def test_any_hour_keeps_every_rule(network: tuple[list[Site], User], now: dt.datetime) -> None:
    with transaction.atomic():  # each example starts from the same network
        _generate(network, now)
        _assert_nothing_after(now)
        _assert_one_at_a_time(now)
        assert Session.objects.exists()
        transaction.set_rollback(True)


Rows = dict[str, Counter[tuple[Any, ...]]]


def _consumption() -> Rows:
    """The rows of the sites with visits (the outreach team's contacts come whole rounds at a
    time), without their keys, which differ from run to run."""
    visits = Visit.objects.filter(site__slug__in=PROFILES)
    return {
        "visits": Counter(
            visits.values_list("site__slug", "client__code", "arrived_at", "left_at", "purposes")
        ),
        "sessions": Counter(
            Session.objects.values_list(
                "booth__site__slug",
                "booth__route",
                "booth__number",
                "visit__client__code",
                "visit__arrived_at",
                "started_at",
                "ended_at",
                "product",
            )
        ),
        "incidents": Counter(
            Incident.objects.values_list("session__started_at", "kind", "occurred_at", "outcome")
        ),
    }


def _cut(rows: Rows, at: dt.datetime) -> Rows:
    """What a run at ``at`` would have seen of these rows: what began later is left out, what
    ended later is still open."""

    def until(moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None or moment > at else moment

    cut: Rows = {"visits": Counter(), "sessions": Counter(), "incidents": Counter()}
    for (site, code, arrived, left, purposes), n in rows["visits"].items():
        if arrived <= at:
            cut["visits"][(site, code, arrived, until(left), purposes)] += n
    for (*booth, code, arrived, started, ended, product), n in rows["sessions"].items():
        if started <= at:
            cut["sessions"][(*booth, code, arrived, started, until(ended), product)] += n
    for row, n in rows["incidents"].items():
        if row[2] <= at:
            cut["incidents"][row] += n
    return cut


@st.composite
def two_instants_of_one_day(draw: st.DrawFn) -> tuple[dt.datetime, dt.datetime]:
    day = draw(
        st.sampled_from([SPRING, AUTUMN]) | st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    )
    midnight = paris_instant(day, dt.time(0))
    seconds = int(
        (paris_instant(day + dt.timedelta(days=1), dt.time(0)) - midnight).total_seconds()
    )
    earlier, later = sorted(draw(st.integers(0, seconds - 1)) for _twice in range(2))
    return midnight + dt.timedelta(seconds=earlier), midnight + dt.timedelta(seconds=later)


@settings(CLOCK, max_examples=3)  # besides the examples
@_with_examples(
    instants=[
        (paris(JUNE, 13, 30), paris(JUNE, 20, 30)),
        (paris(JUNE, 16), paris(JUNE, 20, 10)),
        (paris(JUNE, 0), paris(JUNE, 23, 59, 59)),
        (paris(SPRING, 1, 59, 59), paris(SPRING, 3)),
        (paris(AUTUMN, 2, 30), paris(AUTUMN, 2, 30, fold=1)),
    ]
)
@given(instants=two_instants_of_one_day())
def test_an_earlier_hour_gives_the_later_run_cut(
    network: tuple[list[Site], User], instants: tuple[dt.datetime, dt.datetime]
) -> None:
    earlier, _later = instants
    runs: list[Rows] = []
    for now in instants:
        with transaction.atomic():
            _generate(network, now)
            runs.append(_consumption())
            transaction.set_rollback(True)
    assert runs[0] == _cut(runs[1], earlier)
    assert sum(runs[1]["sessions"].values()) >= sum(runs[0]["sessions"].values()) > 0


def _everything() -> dict[str, Any]:
    return {
        **_consumption(),
        "care": Counter(
            CareAct.objects.values_list("site__slug", "kind", "performed_at", "result")
        ),
        "material": Counter(Distribution.objects.values_list("site__slug", "given_at")),
        "referrals": Counter(
            Referral.objects.values_list("destination_kind", "proposed_at", "status")
        ),
        "stock": Counter(StockMovement.objects.values_list("site__slug", "item", "at", "delta")),
        "stays": Counter(Stay.objects.values_list("bed__number", "entry_date", "exit_date")),
        "rounds": Counter(Round.objects.values_list("zone", "started_at", "ended_at")),
        "contacts": Counter(
            Visit.objects.filter(site__slug="maraude-nord-est").values_list(
                "client__code", "arrived_at"
            )
        ),
    }


@pytest.mark.parametrize("now", [paris(JUNE, 20, 29, 59), paris(AUTUMN, 2, 30, fold=1)])
def test_same_seed_same_instant_same_rows(
    network: tuple[list[Site], User], now: dt.datetime
) -> None:
    runs = []
    for _twice in range(2):
        with transaction.atomic():
            _generate(network, now)
            runs.append(_everything())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert all(runs[0][name] for name in ("visits", "sessions", "care", "stays", "rounds"))
    with transaction.atomic():
        _generate(network, now, seed=14)
        assert _everything() != runs[0]
        transaction.set_rollback(True)


def test_the_command_takes_its_now(network: tuple[list[Site], User]) -> None:
    # 02:30 does not exist on the spring night: a wall clock shows 03:30 (summer time) then.
    args = ["generate_activity", "--days", "2", "--scale", "0.4", "--now", "2025-03-30T02:30"]
    with pytest.raises(CommandError, match="future"):
        call_command(*args, "--end", "2025-03-31")
    call_command(*args, "--seed", "13")
    _assert_nothing_after(paris(SPRING, 3, 30))
    _assert_one_at_a_time(paris(SPRING, 3, 30))
    # The night room's opening that the change falls in is there, up to 03:30.
    night = paris(SPRING - dt.timedelta(days=1), 22)
    assert Visit.objects.filter(site__slug="strasbourg-hsa", arrived_at__gte=night).exists()


def test_a_second_run_leaves_alone_what_the_first_left_open(
    network: tuple[list[Site], User],
) -> None:
    """generate_activity --force on activity already there: the booth holding a session still
    open and the people still inside are not given a second open one."""
    now = paris(JUNE, 20, 10)
    _generate(network, now)
    assert Session.objects.filter(ended_at=None).exists()  # the queue keeps the booth busy
    assert Visit.objects.filter(left_at=None).exclude(client=None).exists()
    _generate(network, now, seed=14)
    open_sessions = Session.objects.filter(ended_at=None)
    assert open_sessions.count() == open_sessions.values("booth").distinct().count()
    inside = Visit.objects.filter(left_at=None).exclude(client=None)
    assert inside.count() == inside.values("site", "client").distinct().count()
