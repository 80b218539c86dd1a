"""Registry writes: permissions, the status machine, hours with their history, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import SiteStatus
from halte.network.models import Site, StatusChange
from halte.network.services import (
    HoursInput,
    site_add_hours_exception,
    site_change_status,
    site_set_services,
    site_set_weekly_hours,
    site_update_capacities,
)

T = dt.time


def test_coordinator_moves_a_proposal_through_its_life_each_step_dated_and_audited(
    project_site: Site, coordinator: User
) -> None:
    steps = [
        (SiteStatus.APPROVED, dt.date(2021, 9, 1)),
        (SiteStatus.IN_PREPARATION, dt.date(2021, 10, 1)),
        (SiteStatus.OPERATIONAL, dt.date(2022, 1, 10)),
        (SiteStatus.SUSPENDED, dt.date(2023, 5, 1)),
        (SiteStatus.OPERATIONAL, dt.date(2023, 6, 1)),
        (SiteStatus.CLOSED, dt.date(2024, 1, 1)),
    ]
    for status, day in steps:
        site_change_status(actor=coordinator, site=project_site, to_status=status, effective_on=day)
    project_site.refresh_from_db()
    assert project_site.status == SiteStatus.CLOSED
    history = list(project_site.status_changes.values_list("to_status", "effective_on"))
    assert history[1:] == steps
    events = AuditEvent.objects.filter(
        action="site.status_changed", object_id=str(project_site.public_id)
    )
    assert events.count() == len(steps)
    last = events.first()
    assert last is not None and last.actor == coordinator and last.site == project_site
    assert last.payload == {"from": "operational", "to": "closed", "effective_on": "2024-01-01"}


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (SiteStatus.PROPOSED, SiteStatus.OPERATIONAL),
        (SiteStatus.PROPOSED, SiteStatus.CLOSED),
        (SiteStatus.OPERATIONAL, SiteStatus.PROPOSED),
        (SiteStatus.OPERATIONAL, SiteStatus.ABANDONED),
        (SiteStatus.ABANDONED, SiteStatus.PROPOSED),
        (SiteStatus.CLOSED, SiteStatus.OPERATIONAL),
    ],
)
def test_illegal_moves_are_refused_with_a_message_and_change_nothing(
    make_site: object, coordinator: User, start: str, target: str
) -> None:
    site = make_site(status=start)  # type: ignore[operator]
    with pytest.raises(DomainError) as refused:
        site_change_status(
            actor=coordinator, site=site, to_status=target, effective_on=dt.date(2024, 1, 1)
        )
    assert "ne peut pas passer" in refused.value.message
    site.refresh_from_db()
    assert site.status == start
    assert StatusChange.objects.filter(site=site).count() == 1
    assert not AuditEvent.objects.filter(action="site.status_changed").exists()


def test_status_date_cannot_precede_the_last_step_nor_lie_in_the_future(
    project_site: Site, coordinator: User
) -> None:
    with pytest.raises(DomainError, match="précéder"):
        site_change_status(
            actor=coordinator,
            site=project_site,
            to_status=SiteStatus.ABANDONED,
            effective_on=dt.date(2016, 1, 1),
        )
    with pytest.raises(DomainError, match="futur"):
        site_change_status(
            actor=coordinator,
            site=project_site,
            to_status=SiteStatus.ABANDONED,
            effective_on=local_today() + dt.timedelta(days=1),
        )
    project_site.refresh_from_db()
    assert project_site.status == SiteStatus.PROPOSED


def test_only_the_coordinator_changes_a_status(site: Site, manager: User, reception: User) -> None:
    for user in (manager, reception):
        with pytest.raises(PermissionDenied):
            site_change_status(
                actor=user, site=site, to_status=SiteStatus.SUSPENDED, effective_on=local_today()
            )
    site.refresh_from_db()
    assert site.status == SiteStatus.OPERATIONAL


def test_a_project_is_invisible_to_another_sites_staff(project_site: Site, manager: User) -> None:
    with pytest.raises(Http404):
        site_change_status(
            actor=manager,
            site=project_site,
            to_status=SiteStatus.APPROVED,
            effective_on=local_today(),
        )


def test_manager_sets_hours_from_a_date_and_the_old_hours_stay_in_history(
    site: Site, manager: User
) -> None:
    change_day = dt.date(2026, 12, 1)
    spans = [HoursInput(d, T(10), T(22)) for d in range(7)] + [HoursInput(4, T(23), T(2))]
    site_set_weekly_hours(actor=manager, site=site, spans=spans, valid_from=change_day)
    rows = site.weekly_hours.all()
    old = [r for r in rows if r.valid_from < change_day]
    new = [r for r in rows if r.valid_from == change_day]
    assert len(old) == 7 and all(r.valid_until == dt.date(2026, 11, 30) for r in old)
    assert len(new) == 8 and all(r.valid_until is None for r in new)
    event = AuditEvent.objects.get(action="site.hours_updated")
    assert event.actor == manager and event.site == site
    assert [4, "23:00", "02:00", False] in event.payload["spans"]


def test_setting_hours_again_on_the_same_date_replaces_them(site: Site, manager: User) -> None:
    day = dt.date(2026, 12, 1)
    site_set_weekly_hours(
        actor=manager, site=site, spans=[HoursInput(0, T(9), T(12))], valid_from=day
    )
    site_set_weekly_hours(
        actor=manager, site=site, spans=[HoursInput(1, T(9), T(12))], valid_from=day
    )
    assert list(site.weekly_hours.filter(valid_from=day).values_list("weekday", flat=True)) == [1]


def test_overlapping_spans_are_refused_including_across_midnight(site: Site, manager: User) -> None:
    before = site.weekly_hours.count()
    with pytest.raises(DomainError, match="chevauchent"):
        site_set_weekly_hours(
            actor=manager,
            site=site,
            spans=[HoursInput(0, T(22), T(6)), HoursInput(1, T(5), T(9))],
            valid_from=dt.date(2026, 12, 1),
        )
    with pytest.raises(DomainError, match="chevauchent"):
        site_set_weekly_hours(
            actor=manager,
            site=site,
            spans=[
                HoursInput(6, T(22), T(6)),
                HoursInput(0, T(5), T(9)),
            ],  # Sunday night into Monday
            valid_from=dt.date(2026, 12, 1),
        )
    assert site.weekly_hours.count() == before


def test_another_sites_manager_cannot_edit(
    site: Site, other_manager: User, reception: User
) -> None:
    with pytest.raises(PermissionDenied):
        site_update_capacities(actor=other_manager, site=site, beds=4)
    with pytest.raises(PermissionDenied):
        site_update_capacities(actor=reception, site=site, beds=4)
    site.refresh_from_db()
    assert site.beds == 0


def test_capacities_are_validated_and_audited_with_old_and_new_values(
    site: Site, manager: User
) -> None:
    site_update_capacities(actor=manager, site=site, booths_inhalation=4, rest_places=10)
    site.refresh_from_db()
    assert site.allowed_routes() == ["injection", "inhalation"]
    event = AuditEvent.objects.get(action="site.capacities_updated")
    assert event.payload == {
        "changes": {"booths_inhalation": [0, 4], "rest_places": [0, 10]},
        "effective_on": local_today().isoformat(),
    }
    with pytest.raises(DomainError):
        site_update_capacities(actor=manager, site=site, session_time_limit_minutes=0)
    with pytest.raises(DomainError, match="inconnus"):
        site_update_capacities(actor=manager, site=site, name="Autre nom")
    site.refresh_from_db()
    assert site.session_time_limit_minutes is None and site.name == "HSA Paris"


def test_services_replace_and_reject_unknown(site: Site, manager: User) -> None:
    site_set_services(actor=manager, site=site, services=["naloxone", "material"])
    site_set_services(actor=manager, site=site, services=["naloxone", "rest"])
    assert sorted(site.services.values_list("service", flat=True)) == ["naloxone", "rest"]
    with pytest.raises(DomainError):
        site_set_services(actor=manager, site=site, services=["teleportation"])
    assert site.services.count() == 2


def test_hours_exception_one_per_day(site: Site, manager: User) -> None:
    day = dt.date(2026, 12, 25)
    site_add_hours_exception(actor=manager, site=site, date=day, closed=True, label="Noël")
    with pytest.raises(DomainError, match="déjà une exception"):
        site_add_hours_exception(actor=manager, site=site, date=day, closed=True)
    with pytest.raises(DomainError, match="Indiquez"):
        site_add_hours_exception(actor=manager, site=site, date=dt.date(2026, 12, 26), closed=False)
    assert site.hours_exceptions.count() == 1


def test_audit_events_cannot_be_changed_or_deleted(site: Site, manager: User) -> None:
    site_update_capacities(actor=manager, site=site, beds=2)
    event = AuditEvent.objects.get()
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="forged")
    assert AuditEvent.objects.get().action == "site.capacities_updated"


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_to_rewrite_the_audit_trail(site: Site, manager: User) -> None:
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the database-level guard of the audit trail is PostgreSQL's (see migration)")
    site_update_capacities(actor=manager, site=site, beds=3)
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'forged'")
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.get().action == "site.capacities_updated"
