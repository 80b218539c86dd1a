"""The definitions an outside review found wrong (issue 22): overdoses and stimulant toxicities
apart, naloxone counted in doses, booths and beds counted for the days they were in service, and
one rule for every per-day figure (days open)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module

import pytest

from halte.accounts.models import User
from halte.consumption.enums import IncidentKind, Outcome, Product
from halte.consumption.models import Booth, BoothServicePeriod, Session
from halte.consumption.services import booths_sync, incident_record
from halte.core.timeutils import local_today, paris_instant
from halte.lodging.models import Bed, BedNight, BedServicePeriod, Stay
from halte.lodging.services import beds_sync
from halte.network.enums import SiteKind, SiteStatus
from halte.network.models import HoursException, Operator, Site, WeeklyHours
from halte.network.services import site_change_status, site_create, site_update_capacities
from halte.reports.indicators import REGISTRY, Scope
from halte.reports.series import arrivals_by_hour
from halte.visits.models import Visit
from tests.factories import PastClientFactory

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def value(code: str, *sites: Site, network: bool = False) -> object:
    scope = Scope(tuple(s.pk for s in sites), *MARCH, network=network)
    return REGISTRY[code].evaluate(scope).value


def _visit(site: Site, actor: User, day: int, hour: int = 15) -> Visit:
    at = paris_instant(dt.date(2025, 3, day), dt.time(hour, 0))
    return Visit.objects.create(site=site, arrived_at=at, left_at=at, opened_by=actor)


def _session(visit: Visit, booth: Booth, minutes: int = 60) -> Session:
    start = visit.arrived_at
    return Session.objects.create(
        visit=visit,
        booth=booth,
        route="injection",
        product=Product.HEROIN,
        started_at=start,
        ended_at=start + dt.timedelta(minutes=minutes),
        started_by=visit.opened_by,
    )


# ------------------------------------------------------------------------------ overdoses, doses


def test_opioid_overdoses_and_stimulant_toxicities_are_counted_apart(
    site: Site, reception: User
) -> None:
    booths_sync(site=site)
    booth = Booth.objects.filter(site=site).first()
    assert booth is not None
    for day in range(1, 11):
        _session(_visit(site, reception, day), booth, minutes=10)
    kinds = [IncidentKind.OPIOID_OVERDOSE] * 3 + [IncidentKind.STIMULANT_TOXICITY]
    kinds += [IncidentKind.SEIZURE]  # neither
    for i, kind in enumerate(kinds):
        incident_record(
            actor=reception,
            site=site,
            kind=kind,
            outcome=Outcome.RECOVERED_ON_SITE,
            occurred_at=paris_instant(dt.date(2025, 3, 2 + i), dt.time(16, 0)),
        )
    assert value("opioid_overdoses", site) == 3
    assert value("stimulant_toxicities", site) == 1
    assert value("overdoses", site) == 4  # the sum, labelled as such
    assert value("opioid_overdoses_per_1000", site) == pytest.approx(300.0)  # 3 per 10 sessions
    assert value("stimulant_toxicities_per_1000", site) == pytest.approx(100.0)
    assert value("overdoses_per_1000", site) == pytest.approx(400.0)
    assert "somme" in str(REGISTRY["overdoses"].label)
    assert "somme" not in str(REGISTRY["opioid_overdoses"].label)


def test_naloxone_is_counted_in_unit_doses(site: Site, reception: User) -> None:
    for day, doses in ((3, 3), (4, 1), (5, 0)):
        incident_record(
            actor=reception,
            site=site,
            kind=IncidentKind.OPIOID_OVERDOSE,
            outcome=Outcome.RECOVERED_ON_SITE,
            occurred_at=paris_instant(dt.date(2025, 3, day), dt.time(16, 0)),
            naloxone_doses=doses,
        )
    assert value("incidents_doses", site) == 4  # doses given, over two incidents
    assert value("incidents_naloxone", site) == 2  # incidents with naloxone
    assert str(REGISTRY["incidents_doses"].unit) == "doses"
    assert str(REGISTRY["incidents_naloxone"].unit) == "incidents"


# -------------------------------------------------------------------------- dated capacities


def test_a_booth_added_mid_month_counts_from_the_day_it_entered_service(
    make_site: Callable[..., Site], reception: User
) -> None:
    # Open 10:00-20:00 every day; one booth all month, a second from 16 March (16 days of 31).
    room = make_site(booths_injection=1, hours=("10:00", "20:00"))
    booths_sync(site=room, on=dt.date(2025, 2, 1))
    room.booths_injection = 2
    room.save()
    booths_sync(site=room, on=dt.date(2025, 3, 16))
    first, second = Booth.objects.filter(site=room).order_by("number")
    assert BoothServicePeriod.objects.get(booth=second).start == dt.date(2025, 3, 16)
    for day in range(1, 32):
        _session(_visit(room, reception, day), first)  # one hour a day
    capacity = 10 * 31 + 10 * 16
    assert value("booth_occupancy", room) == pytest.approx(100 * 31 / capacity)
    # Today's two booths over the whole month would have said 100 * 31 / 620.
    assert value("booth_occupancy", room) != pytest.approx(100 * 31 / 620)


def test_a_booth_withdrawn_then_put_back_leaves_a_gap(make_site: Callable[..., Site]) -> None:
    room = make_site(booths_injection=2, hours=("10:00", "20:00"))
    booths_sync(site=room, on=dt.date(2025, 1, 1))
    room.booths_injection = 1
    room.save()
    booths_sync(site=room, on=dt.date(2025, 3, 11))
    second = Booth.objects.get(site=room, number=2)
    assert not second.is_active
    room.booths_injection = 2
    room.save()
    booths_sync(site=room, on=dt.date(2025, 3, 21))
    second.refresh_from_db()
    assert second.is_active
    periods = list(BoothServicePeriod.objects.filter(booth=second).values_list("start", "end"))
    assert periods == [(dt.date(2025, 1, 1), dt.date(2025, 3, 11)), (dt.date(2025, 3, 21), None)]
    # Withdrawn and put back on the same day: no gap, no empty period.
    room.booths_injection = 1
    room.save()
    booths_sync(site=room, on=dt.date(2025, 3, 25))
    room.booths_injection = 2
    room.save()
    booths_sync(site=room, on=dt.date(2025, 3, 25))
    assert BoothServicePeriod.objects.filter(booth=second).count() == 2
    assert BoothServicePeriod.objects.filter(booth=second, end__isnull=True).count() == 1


def test_a_sites_first_booths_and_beds_serve_from_its_opening_later_changes_from_today(
    operator: Operator, coordinator: User, admin_user: User
) -> None:
    opened = dt.date(2016, 10, 17)
    site = site_create(
        actor=coordinator,
        operator=operator,
        slug="hsa-datee",
        name="HSA datée",
        kind=SiteKind.HSA,
        status=SiteStatus.OPERATIONAL,
        status_since=opened,
        booths_injection=12,
        beds=2,
    )
    assert set(BoothServicePeriod.objects.values_list("start", "end")) == {(opened, None)}
    assert set(BedServicePeriod.objects.values_list("start", "end")) == {(opened, None)}
    site_update_capacities(actor=admin_user, site=site, booths_injection=10, beds=3)
    closed = BoothServicePeriod.objects.filter(end__isnull=False)
    assert sorted(closed.values_list("booth__number", "end")) == [
        (11, local_today()),
        (12, local_today()),
    ]
    added = BedServicePeriod.objects.get(bed__number=3)
    assert (added.start, added.end) == (local_today(), None)


def test_a_bed_withdrawn_mid_month_counts_until_the_night_before(
    make_site: Callable[..., Site], reception: User
) -> None:
    shelter = make_site(kind=SiteKind.NIGHT_SHELTER, booths_injection=0, beds=2)
    beds_sync(site=shelter, on=dt.date(2025, 1, 1))
    shelter.beds = 1
    shelter.save()
    beds_sync(site=shelter, on=dt.date(2025, 3, 11))  # bed 2 served the nights of 1 to 10 March
    one, two = Bed.objects.filter(site=shelter).order_by("number")
    assert not two.is_active
    assert BedServicePeriod.objects.get(bed=two).end == dt.date(2025, 3, 11)
    person = PastClientFactory.create(registered_at_site=shelter, registered_by=reception)
    stay = Stay.objects.create(
        bed=one, client=person, entry_date=dt.date(2025, 3, 1), created_by=reception
    )
    BedNight.objects.bulk_create(
        BedNight(bed=one, night=dt.date(2025, 3, d), stay=stay, client=person) for d in range(1, 32)
    )
    # 31 nights over 31 + 10 bed-nights, not over today's one bed × 31.
    assert value("bed_occupancy", shelter) == pytest.approx(100 * 31 / 41)


def test_existing_booths_and_beds_are_dated_from_the_sites_opening(
    make_site: Callable[..., Site],
) -> None:
    from django.apps import apps

    booths_migration = import_module("halte.consumption.migrations.0007_date_existing_booths")
    beds_migration = import_module("halte.lodging.migrations.0004_date_existing_beds")

    room = make_site(beds=1)
    Booth.objects.create(site=room, route="injection", number=1, label="I1")
    Booth.objects.create(site=room, route="injection", number=2, label="I2", is_active=False)
    Bed.objects.create(site=room, number=1, label="L1")
    booths_migration.date_booths(apps, None)
    beds_migration.date_beds(apps, None)
    assert list(BoothServicePeriod.objects.values_list("booth__number", "start", "end")) == [
        (1, dt.date(2016, 10, 17), None)
    ]
    assert list(BedServicePeriod.objects.values_list("start", "end")) == [
        (dt.date(2016, 10, 17), None)
    ]


def _project_with_beds(operator: Operator, actor: User, proposed: dt.date) -> Site:
    """A shelter registered as a project with its future beds and hours, long before it opens."""
    shelter = site_create(
        actor=actor,
        operator=operator,
        slug="refuge-projet",
        name="Refuge en projet",
        kind=SiteKind.NIGHT_SHELTER,
        status=SiteStatus.PROPOSED,
        status_since=proposed,
        beds=4,
        booths_inhalation=2,
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            site=shelter,
            weekday=d,
            opens=dt.time(10),
            closes=dt.time(20),
            valid_from=proposed,
        )
        for d in range(7)
    )
    return shelter


def _history(site: Site, actor: User, *steps: tuple[str, dt.date]) -> None:
    for status, on in steps:
        site_change_status(actor=actor, site=site, to_status=status, effective_on=on)


def _night(shelter: Site, person_of: User, day: int, number: int = 1) -> None:
    bed = Bed.objects.get(site=shelter, number=number)
    person = PastClientFactory.create(registered_at_site=shelter, registered_by=person_of)
    stay = Stay.objects.create(
        bed=bed, client=person, entry_date=dt.date(2025, 3, day), created_by=person_of
    )
    BedNight.objects.create(bed=bed, night=dt.date(2025, 3, day), stay=stay, client=person)


def test_a_project_offers_no_bed_nor_day_open_before_it_opens(
    operator: Operator, coordinator: User, reception: User
) -> None:
    # Registered in 2024 with its beds; approved, prepared, open on 21 March 2025 (11 days of 31).
    shelter = _project_with_beds(operator, coordinator, dt.date(2024, 6, 1))
    _history(
        shelter,
        coordinator,
        (SiteStatus.APPROVED, dt.date(2024, 9, 1)),
        (SiteStatus.IN_PREPARATION, dt.date(2025, 1, 6)),
        (SiteStatus.OPERATIONAL, dt.date(2025, 3, 21)),
    )
    _night(shelter, reception, 25)
    assert value("days_open", shelter) == 11
    # One night over 4 beds × 11 nights, not over the 4 × 31 the project's beds would say.
    assert value("bed_occupancy", shelter) == pytest.approx(100 / 44)
    # Booth hours: 2 booths × 10 hours × 11 days; none used.
    assert value("booth_occupancy", shelter) == 0
    # A period wholly before the opening: no day open, no bed to fill, no rate.
    january = Scope((shelter.pk,), dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert REGISTRY["days_open"].evaluate(january).value == 0
    assert REGISTRY["bed_occupancy"].evaluate(january).value is None


def test_a_suspension_and_a_closure_take_the_days_and_beds_out(
    operator: Operator, coordinator: User, reception: User
) -> None:
    shelter = _project_with_beds(operator, coordinator, dt.date(2024, 1, 1))
    _history(
        shelter,
        coordinator,
        (SiteStatus.APPROVED, dt.date(2024, 2, 1)),
        (SiteStatus.IN_PREPARATION, dt.date(2024, 3, 1)),
        (SiteStatus.OPERATIONAL, dt.date(2024, 4, 1)),
        (SiteStatus.SUSPENDED, dt.date(2025, 3, 6)),  # suspended 6-15 March: 10 days
        (SiteStatus.OPERATIONAL, dt.date(2025, 3, 16)),
        (SiteStatus.CLOSED, dt.date(2025, 3, 27)),  # closed from 27 March: 5 days
    )
    for number, day in enumerate((2, 20), start=1):
        _night(shelter, reception, day, number)
    assert value("days_open", shelter) == 31 - 10 - 5
    assert value("bed_occupancy", shelter) == pytest.approx(100 * 2 / (4 * 16))
    assert value("visits_per_day", shelter) == 0


def test_the_network_counts_a_day_open_when_one_operating_site_opened(
    operator: Operator, coordinator: User, make_site: Callable[..., Site]
) -> None:
    weekends = make_site()
    WeeklyHours.objects.filter(site=weekends, weekday__lt=5).delete()
    shelter = _project_with_beds(operator, coordinator, dt.date(2024, 6, 1))
    _history(
        shelter,
        coordinator,
        (SiteStatus.APPROVED, dt.date(2024, 9, 1)),
        (SiteStatus.IN_PREPARATION, dt.date(2025, 1, 6)),
        (SiteStatus.OPERATIONAL, dt.date(2025, 3, 24)),  # a Monday: every day from then on
    )
    # The weekend site's 10 days (1-2, 8-9, 15-16, 22-23, 29-30) and the shelter's 24-31 March,
    # of which 29-30 are already counted: 10 + 8 - 2.
    assert value("days_open", weekends, shelter, network=True) == 16


# ------------------------------------------------------------------------------ days open


def test_per_day_figures_divide_by_the_days_open(
    make_site: Callable[..., Site], reception: User
) -> None:
    # Closed on Mondays and on 12 March: March 2025 has 5 Mondays, so 31 - 5 - 1 = 25 days open.
    room = make_site(booths_injection=1)
    WeeklyHours.objects.filter(site=room, weekday=0).delete()
    HoursException.objects.create(site=room, date=dt.date(2025, 3, 12), closed=True)
    booths_sync(site=room)
    booth = Booth.objects.get(site=room)
    for day in (4, 5, 6, 7, 8):
        _session(_visit(room, reception, day), booth)
    _visit(room, reception, 9)
    assert value("days_open", room) == 25
    assert value("days_with_activity", room) == 6
    assert value("visits_per_day", room) == pytest.approx(6 / 25)
    assert value("sessions_per_day", room) == pytest.approx(5 / 25)
    # The dashboards' arrivals by hour follow the same rule: six arrivals at 15:00 over 25 days.
    by_hour = arrivals_by_hour(Scope((room.pk,), *MARCH))
    assert by_hour[15] == pytest.approx(6 / 25) and sum(by_hour) == pytest.approx(6 / 25)


def test_several_sites_count_the_days_at_least_one_was_open(
    make_site: Callable[..., Site], reception: User
) -> None:
    every_day = make_site()
    HoursException.objects.create(site=every_day, date=dt.date(2025, 3, 8), closed=True)
    weekends = make_site()
    WeeklyHours.objects.filter(site=weekends, weekday__lt=5).delete()  # Saturdays and Sundays
    for site, day in ((every_day, 3), (every_day, 4), (weekends, 8)):
        _visit(site, reception, day)
    assert value("days_open", every_day) == 30
    assert value("days_open", weekends) == 10  # March 2025 starts on a Saturday
    # Together: the 31 days at least one of them opened (8 March: the weekend site), not the
    # 40 site-days; the network's visits per day are those of an average day of the network.
    both = (every_day, weekends)
    assert value("days_open", *both, network=True) == 31
    assert value("visits_per_day", *both, network=True) == pytest.approx(3 / 31)


def test_a_site_without_hours_has_no_per_day_figure(
    make_site: Callable[..., Site], reception: User
) -> None:
    team = make_site(kind=SiteKind.OUTREACH_TEAM, booths_injection=0, hours=None)
    _visit(team, reception, 5)
    assert value("visits", team) == 1
    assert value("days_open", team) == 0
    assert value("visits_per_day", team) is None
