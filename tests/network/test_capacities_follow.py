"""A site's booths and beds follow its counts: the network says the counts changed, the apps that
own booths (consumption) and beds (lodging) follow, in the same transaction."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.audit.models import AuditEvent
from halte.consumption.models import Booth, BoothServicePeriod
from halte.consumption.services import booths_sync
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.lodging.models import Bed, BedServicePeriod
from halte.lodging.services import beds_sync
from halte.network.enums import SiteKind, SiteStatus
from halte.network.models import Operator, Site
from halte.network.services import (
    CAPACITY_BACKDATE_DAYS,
    site_create,
    site_update_capacities,
)


def _active(site: Site) -> tuple[list[str], int]:
    booths = Booth.objects.filter(site=site, is_active=True).order_by("route", "number")
    return [b.label for b in booths], Bed.objects.filter(site=site, is_active=True).count()


def test_booths_and_beds_follow_the_counts_up_and_down(site: Site, manager: User) -> None:
    site_update_capacities(actor=manager, site=site, booths_injection=2, booths_inhalation=1)
    site_update_capacities(actor=manager, site=site, beds=3)
    labels, beds = _active(site)
    assert len(labels) == 3 and beds == 3
    site_update_capacities(actor=manager, site=site, booths_injection=1, beds=1)
    labels, beds = _active(site)
    assert len(labels) == 2 and beds == 1
    # Booths and beds beyond the count are kept for the history, inactive.
    assert (
        Booth.objects.filter(site=site).count() == 3 and Bed.objects.filter(site=site).count() == 3
    )


def test_a_refused_change_leaves_booths_as_they_were(site: Site, manager: User) -> None:
    site_update_capacities(actor=manager, site=site, booths_injection=2)
    before = _active(site)
    with pytest.raises(DomainError):
        site_update_capacities(actor=manager, site=site, booths_injection=-1)
    assert _active(site) == before


# ---------------------------------------------------------------- a change recorded after the day


def _periods(site: Site, model: type[BoothServicePeriod] | type[BedServicePeriod]) -> list[tuple]:
    owner = "booth" if model is BoothServicePeriod else "bed"
    rows = model.objects.filter(**{f"{owner}__site": site}).order_by(f"{owner}__number", "start")
    return list(rows.values_list(f"{owner}__number", "start", "end"))


@pytest.fixture
def dated(site: Site) -> Site:
    """The shared site with its 12 booths (and 2 beds) in service since it opened in 2016."""
    site.beds = 2
    site.save()
    booths_sync(site=site, on=OPENED)
    beds_sync(site=site, on=OPENED)
    return site


OPENED = dt.date(2016, 10, 17)


def test_a_change_recorded_late_counts_from_the_day_it_took_effect(
    dated: Site, manager: User
) -> None:
    ten_days_ago = local_today() - dt.timedelta(days=10)
    site_update_capacities(
        actor=manager, site=dated, booths_injection=13, beds=1, effective_on=ten_days_ago
    )
    assert _periods(dated, BoothServicePeriod)[-1] == (13, ten_days_ago, None)
    assert _periods(dated, BedServicePeriod) == [(1, OPENED, None), (2, OPENED, ten_days_ago)]
    event = AuditEvent.objects.get(action="site.capacities_updated")
    assert event.payload["effective_on"] == ten_days_ago.isoformat()


def test_a_late_change_says_what_held_since_its_day_later_records_included(
    dated: Site, manager: User
) -> None:
    today = local_today()
    # Two booths added today ...
    site_update_capacities(actor=manager, site=dated, booths_injection=14)
    # ... then the manager corrects: since twenty days ago there have been 13, not 14 since today.
    twenty_days_ago = today - dt.timedelta(days=20)
    site_update_capacities(
        actor=manager, site=dated, booths_injection=13, effective_on=twenty_days_ago
    )
    rows = _periods(dated, BoothServicePeriod)
    assert rows[:12] == [(n, OPENED, None) for n in range(1, 13)]
    assert rows[12:] == [(13, twenty_days_ago, None)]  # booth 14 never served
    assert not Booth.objects.get(site=dated, number=14).is_active
    # A booth withdrawn late and put back the same day keeps one unbroken period.
    five_days_ago = today - dt.timedelta(days=5)
    site_update_capacities(
        actor=manager, site=dated, booths_injection=12, effective_on=five_days_ago
    )
    site_update_capacities(
        actor=manager, site=dated, booths_injection=13, effective_on=five_days_ago
    )
    assert _periods(dated, BoothServicePeriod)[12:] == [(13, twenty_days_ago, None)]


@pytest.mark.parametrize(
    ("days_back", "field_message"),
    [
        (-1, "dans le futur"),
        (91, "90 jours"),
    ],
)
def test_a_date_of_effect_out_of_bounds_is_refused_and_changes_nothing(
    dated: Site, manager: User, days_back: int, field_message: str
) -> None:
    before = (_periods(dated, BoothServicePeriod), _periods(dated, BedServicePeriod))
    with pytest.raises(DomainError, match=field_message) as refused:
        site_update_capacities(
            actor=manager,
            site=dated,
            booths_injection=2,
            beds=5,
            effective_on=local_today() - dt.timedelta(days=days_back),
        )
    assert refused.value.field == "effective_on"
    dated.refresh_from_db()
    assert (dated.booths_injection, dated.beds) == (12, 2)
    assert (_periods(dated, BoothServicePeriod), _periods(dated, BedServicePeriod)) == before
    assert not AuditEvent.objects.exists()


def test_a_date_of_effect_before_the_site_served_is_refused(
    operator: Operator, coordinator: User, manager: User
) -> None:
    opened = local_today() - dt.timedelta(days=30)
    shelter = site_create(
        actor=coordinator,
        operator=operator,
        slug="refuge-recent",
        name="Refuge récent",
        kind=SiteKind.NIGHT_SHELTER,
        status=SiteStatus.OPERATIONAL,
        status_since=opened,
        beds=3,
    )
    Membership.objects.create(user=manager, role=Role.MANAGER, site=shelter)
    with pytest.raises(DomainError, match="précède la mise en service") as refused:
        site_update_capacities(
            actor=manager, site=shelter, beds=4, effective_on=opened - dt.timedelta(days=1)
        )
    assert refused.value.field == "effective_on"
    assert _periods(shelter, BedServicePeriod) == [(n, opened, None) for n in (1, 2, 3)]
    site_update_capacities(actor=manager, site=shelter, beds=4, effective_on=opened)
    assert _periods(shelter, BedServicePeriod)[-1] == (4, opened, None)


def test_a_change_saved_today_then_dated_right_is_restated(dated: Site, manager: User) -> None:
    site_update_capacities(actor=manager, site=dated, booths_injection=13)
    last_month = local_today() - dt.timedelta(days=30)
    site_update_capacities(actor=manager, site=dated, booths_injection=13, effective_on=last_month)
    assert _periods(dated, BoothServicePeriod)[12:] == [(13, last_month, None)]
    events = AuditEvent.objects.filter(action="site.capacities_updated").order_by("pk")
    assert [e.payload["effective_on"] for e in events] == [
        local_today().isoformat(),
        last_month.isoformat(),
    ]


def _in_service(site: Site, day: dt.date) -> int:
    return (
        BoothServicePeriod.objects.filter(booth__site=site, start__lte=day)
        .exclude(end__lte=day)
        .count()
    )


WINDOW = 95  # days before today that the changes below can reach, and a few more


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 16), st.integers(0, CAPACITY_BACKDATE_DAYS)),
        min_size=1,
        max_size=6,
    )
)
def test_any_changes_in_any_order_leave_the_counts_each_one_said(
    site: Site, manager: User, changes: list[tuple[int, int]]
) -> None:
    """Whatever the counts and the days of effect, recorded in any order: each day of the window
    has in service the count of the last change recorded whose day it follows (the opening's 12
    before any), and every booth keeps well-formed periods (none empty, none overlapping, at
    most one open)."""
    today = local_today()
    with transaction.atomic():
        booths_sync(site=site, on=OPENED)
        said = dict.fromkeys(range(WINDOW + 1), 12)  # days back -> booths in service
        for count, back in changes:
            site_update_capacities(
                actor=manager,
                site=site,
                booths_injection=count,
                effective_on=today - dt.timedelta(days=back),
            )
            said.update(dict.fromkeys(range(back + 1), count))
        for back, count in said.items():
            assert _in_service(site, today - dt.timedelta(days=back)) == count, back
        for booth in Booth.objects.filter(site=site):
            rows = list(booth.service_periods.order_by("start").values_list("start", "end"))
            assert all(end is None or start < end for start, end in rows)
            assert all(end is not None and end <= nxt for (_, end), (nxt, _) in pairwise(rows))
        transaction.set_rollback(True)
