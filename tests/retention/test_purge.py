"""The purge deletes, by the rules each app declares, what is past its retention period, and only
that: a person's old activity with all that hangs on it, people left with no activity, the API's
old replay records, spent login failures. Audit events stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import models
from django.utils import timezone

from halte.accounts.models import LoginFailure, User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.consumption.models import Session
from halte.consumption.services import booths_sync, session_start
from halte.core.models import IdempotencyRecord
from halte.network.models import Site, WeeklyHours
from halte.reports.models import DailyVisits
from halte.reports.rollups import refresh
from halte.retention.rules import Rule, register, registered
from halte.retention.services import purge_expired
from halte.visits.models import Visit
from halte.visits.services import visit_close
from tests.factories import ClientFactory, VisitFactory

HOUR = dt.timedelta(hours=1)


def _activity_period() -> dt.timedelta:
    return dt.timedelta(days=settings.HALTE_RETENTION_ACTIVITY_DAYS)


@pytest.fixture
def two_people(site: Site, reception: User) -> tuple[Client, Client]:
    """Two people, each with a visit; the first also had a supervised session, now over. The
    room is open around the clock, so the session starts whatever the hour of the test."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    first = ClientFactory(actor=reception, site=site)
    second = ClientFactory(actor=reception, site=site)
    visit = VisitFactory(actor=reception, site=site, client=first, consumption=True)
    booths_sync(site=site)
    session_start(actor=reception, visit=visit, route="injection", product="heroin")
    visit_close(actor=reception, visit=visit)
    VisitFactory(actor=reception, site=site, client=second)
    return first, second


def test_a_dry_run_counts_and_deletes_nothing(two_people: tuple[Client, Client]) -> None:
    later = timezone.now() + _activity_period() + HOUR
    counts = purge_expired(now=later, dry_run=True)
    assert counts["visits.Visit"] >= 2 and counts["clients.Client"] == 2
    assert Visit.objects.count() == 2 and Client.objects.count() == 2


def test_past_the_period_the_activity_and_the_people_go_and_the_audit_stays(
    two_people: tuple[Client, Client],
) -> None:
    refresh(full=True, settle=dt.timedelta(0))
    assert DailyVisits.objects.exists()
    audit_before = AuditEvent.objects.count()
    assert Session.objects.exists()
    counts = purge_expired(now=timezone.now() + _activity_period() + HOUR)
    assert counts["visits.Visit"] == 2 and counts["clients.Client"] == 2
    assert not Visit.objects.exists() and not Client.objects.exists()
    assert not Session.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    # The reports no longer count what was deleted.
    assert not DailyVisits.objects.exists()


def test_within_the_period_nothing_of_a_person_goes(two_people: tuple[Client, Client]) -> None:
    counts = purge_expired(now=timezone.now() + _activity_period() - HOUR)
    assert counts.get("visits.Visit", 0) == 0 and counts.get("clients.Client", 0) == 0
    assert Visit.objects.count() == 2 and Client.objects.count() == 2


def test_a_person_seen_recently_stays_though_registered_long_ago(
    site: Site, reception: User, two_people: tuple[Client, Client]
) -> None:
    first, _second = two_people
    long_ago = timezone.now() - _activity_period() - 2 * HOUR
    Client.objects.filter(pk=first.pk).update(created_at=long_ago)
    Visit.objects.filter(client=first).update(arrived_at=long_ago, left_at=long_ago + HOUR)
    VisitFactory(actor=reception, site=site, client=first)
    purge_expired()
    assert Client.objects.filter(pk=first.pk).exists()
    assert Visit.objects.filter(client=first).count() == 1


def test_technical_records_go_after_their_own_periods(reception: User) -> None:
    moment = timezone.now()
    LoginFailure.objects.create(username="someone")
    IdempotencyRecord.objects.create(principal="p", key="k", fingerprint="f")
    purge_expired(now=moment + dt.timedelta(seconds=settings.HALTE_LOGIN_LOCK_SECONDS + 1))
    assert not LoginFailure.objects.exists() and IdempotencyRecord.objects.exists()
    days = settings.HALTE_RETENTION_IDEMPOTENCY_DAYS
    purge_expired(now=moment + dt.timedelta(days=days, seconds=1))
    assert not IdempotencyRecord.objects.exists()


def test_every_app_that_keeps_personal_activity_declares_a_rule() -> None:
    names = {rule.name for rule in registered()}
    assert {"visits", "clients", "accounts.login_failures", "api.idempotency"} <= names


def test_a_rule_declared_twice_is_refused() -> None:
    rule = registered()[0]

    def nothing(cutoff: dt.datetime) -> models.QuerySet[Visit]:
        return Visit.objects.none()

    with pytest.raises(ValueError, match="declared twice"):
        register(Rule(name=rule.name, keep=rule.keep, expired=nothing))


def test_records_that_name_a_person_without_a_reverse_name_go_with_the_person(
    two_people: tuple[Client, Client], site: Site
) -> None:
    """A person oriented at an evacuation (the plan board names people through a foreign key with
    no reverse name) is purged with the person, not left blocking the purge."""
    from halte.outreach.models import GatheringPlace
    from halte.plan.models import Evacuation, OrientedPerson
    from halte.plan.services import Orientation, evacuation_record

    place = GatheringPlace.objects.create(slug="lieu-purge", name="Lieu", lon=2.36, lat=48.88)
    evacuation_record(
        actor=None,
        place=place,
        team=site,
        happened_on=timezone.localdate(),
        people_present=5,
        oriented=[Orientation(two_people[0], "other")],
    )
    assert OrientedPerson.objects.count() == 1
    counts = purge_expired(now=timezone.now() + _activity_period() + HOUR)
    assert counts["clients.Client"] == 2 and not Client.objects.exists()
    assert not OrientedPerson.objects.exists() and Evacuation.objects.count() == 1
