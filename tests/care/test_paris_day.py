"""Every "which day" is a Paris day, also in the first hour of the day, when UTC's date is still
yesterday's: a lot that expires today is expired, a committee's day and a decision's are Paris days.

The clock is set to the last 23:30 UTC, 00:30 in Paris in winter (01:30 in summer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from halte.accounts.models import User
from halte.care.catalogue import expiring_lots, material_lot_receive
from halte.care.models import DistributionLine, MaterialLot
from halte.care.services import distribution_record, stock_receive
from halte.core.errors import DomainError
from halte.core.timeutils import UTC, local_today, now
from halte.neighbourhood.services import committee_record, decision_add, decision_done
from halte.network.models import Site
from halte.visits.models import Visit


@pytest.fixture
def first_paris_hour(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Freeze the clock at the last 23:30 UTC and return Paris's date then (UTC's date + 1)."""
    real = timezone.now().astimezone(UTC)
    moment = real.replace(hour=23, minute=30, second=0, microsecond=0)
    if moment > real:
        moment -= dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert local_today() == moment.date() + dt.timedelta(days=1)
    return local_today()


def _lot(site: Site, actor: User, expires_on: dt.date, number: str) -> MaterialLot:
    """A lot as it stands in the stock room, whatever its date (the service refuses old ones)."""
    return MaterialLot.objects.create(
        site=site,
        item="naloxone_kit",
        lot_number=number,
        expires_on=expires_on,
        received_at=now(),
        recorded_by=actor,
    )


def test_a_lot_expiring_today_is_refused_in_the_first_hour_of_the_day(
    first_paris_hour: dt.date, desk: Site, reception: User
) -> None:
    with pytest.raises(DomainError) as refused:
        material_lot_receive(
            actor=reception,
            site=desk,
            item="naloxone_kit",
            lot_number="J-0",
            expires_on=first_paris_hour,
            quantity=2,
        )
    assert refused.value.field == "expires_on"
    assert not MaterialLot.objects.exists()
    tomorrow = first_paris_hour + dt.timedelta(days=1)
    lot = material_lot_receive(
        actor=reception,
        site=desk,
        item="naloxone_kit",
        lot_number="J-1",
        expires_on=tomorrow,
        quantity=2,
    )
    assert lot.expires_on == tomorrow


def test_no_kit_comes_from_a_lot_that_expires_today(
    first_paris_hour: dt.date, desk: Site, reception: User, manager: User, visit: Visit
) -> None:
    stock_receive(actor=manager, site=desk, lines=[("naloxone_kit", 4)])
    _lot(desk, manager, first_paris_hour, "TODAY")
    with pytest.raises(DomainError):
        distribution_record(actor=reception, site=desk, visit=visit, lines=[("naloxone_kit", 1)])
    assert not DistributionLine.objects.exists()
    valid = _lot(desk, manager, first_paris_hour + dt.timedelta(days=1), "TOMORROW")
    distribution_record(actor=reception, site=desk, visit=visit, lines=[("naloxone_kit", 1)])
    assert DistributionLine.objects.get().lot == valid


def test_the_expiry_warning_counts_its_days_from_today_in_paris(
    first_paris_hour: dt.date, desk: Site, manager: User
) -> None:
    stock_receive(actor=manager, site=desk, lines=[("naloxone_kit", 4)])
    last_day = _lot(desk, manager, first_paris_hour + dt.timedelta(days=60), "D60")
    _lot(desk, manager, first_paris_hour + dt.timedelta(days=61), "D61")
    assert expiring_lots(desk, within_days=60) == [last_day]


def test_a_decision_done_in_the_first_hour_after_todays_committee_is_done_today(
    first_paris_hour: dt.date, site: Site, coordinator: User
) -> None:
    committee = committee_record(
        actor=coordinator, site=site, held_on=first_paris_hour, attendance={"residents": 6}
    )
    decision = decision_add(
        actor=coordinator, committee=committee, text="Passage du matin", owner_label="Ville"
    )
    done = decision_done(actor=coordinator, decision=decision)
    assert done.done_on == first_paris_hour


@pytest.mark.parametrize("hour", [23, 12])
def test_a_committee_cannot_be_dated_tomorrow_at_any_hour(
    monkeypatch: pytest.MonkeyPatch, hour: int, site: Site, coordinator: User
) -> None:
    moment = timezone.now().astimezone(UTC).replace(hour=hour, minute=30)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    with pytest.raises(DomainError) as refused:
        committee_record(
            actor=coordinator,
            site=site,
            held_on=local_today() + dt.timedelta(days=1),
            attendance={"residents": 6},
        )
    assert refused.value.field == "held_on"
