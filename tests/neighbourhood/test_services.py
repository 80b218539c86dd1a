"""The services of the neighbourhood: finds placed in their area and IRIS, reports through their
life, committees, surroundings; refusals change nothing; audit rows hold no free text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import local_today, now
from halte.neighbourhood.enums import ReportStatus
from halte.neighbourhood.models import (
    NeighbourhoodReport,
    Pickup,
    ReportContact,
)
from halte.neighbourhood.selectors import hours_to_answer, is_overdue, report_contact_for
from halte.neighbourhood.services import (
    committee_record,
    decision_add,
    decision_done,
    pickup_record,
    report_answer,
    report_close,
    report_log,
    report_submit,
    report_triage,
    round_end,
    round_start,
    surroundings_set,
)
from halte.network.models import Site
from tests.neighbourhood.conftest import EOLE, LARIBOISIERE, an_hour_ago, report_fields

pytestmark = pytest.mark.django_db


def test_a_round_collects_finds_placed_in_their_area_and_iris(
    team: Site, outreach_worker: User
) -> None:
    round_ = round_start(actor=outreach_worker, site=team, kind="pickup")
    first = pickup_record(
        actor=outreach_worker,
        team=team,
        item="syringe",
        place_kind="park",
        count=3,
        lon=EOLE[0],
        lat=EOLE[1],
        round_=round_,
    )
    second = pickup_record(
        actor=outreach_worker,
        team=team,
        item="crack_pipe",
        place_kind="street",
        count=1,
        address="12 rue Ambroise Paré",
        round_=round_,
    )
    assert first.area_code == "75118" and first.iris_code
    # An address is snapped to its street: no house number kept.
    assert second.address_label == "Rue Ambroise Paré, 75010 Paris"
    assert second.area_code == "75110" and second.iris_code.startswith("Saint-Vincent de Paul")
    round_end(actor=outreach_worker, round_=round_, seen={"public_consumption_seen": 4})
    round_.refresh_from_db()
    assert round_.ended_at and round_.public_consumption_seen == 4
    assert round_.pickups.count() == 2
    with pytest.raises(DomainError):
        pickup_record(
            actor=outreach_worker,
            team=team,
            item="syringe",
            place_kind="park",
            count=1,
            lon=EOLE[0],
            lat=EOLE[1],
            round_=round_,
        )
    payloads = AuditEvent.objects.filter(object_type="pickup").values_list("payload", flat=True)
    assert {tuple(sorted(p)) for p in payloads} == {("area_code", "count", "item")}


@pytest.mark.parametrize(
    "bad",
    [
        {"count": 0},
        {"count": 501},
        {"item": "gun"},
        {"place_kind": "moon"},
        {"lon": 7.75, "lat": 48.58},  # Strasbourg: not in the Greater Paris
        {"lon": None, "lat": None, "address": "rue qui n'existe pas du tout"},
        {"lon": None, "lat": None, "address": ""},
        {"found_at": now() + dt.timedelta(hours=2)},
        {"found_at": now() - dt.timedelta(days=30)},
    ],
)
def test_a_bad_find_is_refused_and_nothing_is_written(
    team: Site, outreach_worker: User, bad: dict[str, object]
) -> None:
    fields: dict[str, object] = {
        "item": "syringe",
        "place_kind": "street",
        "count": 1,
        "lon": EOLE[0],
        "lat": EOLE[1],
    }
    fields.update(bad)
    with pytest.raises(DomainError):
        pickup_record(actor=outreach_worker, team=team, **fields)  # type: ignore[arg-type]
    assert Pickup.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="pickup").exists()


def test_only_the_team_records_its_finds_and_rounds(
    team: Site, reception: User, coordinator: User
) -> None:
    for user in (reception, coordinator):
        with pytest.raises(Http404):
            round_start(actor=user, site=team, kind="pickup")
    round_start(actor=None, site=team, kind="pickup")
    with pytest.raises(ConflictError):
        round_start(actor=None, site=team, kind="pickup")


def test_a_report_goes_from_received_to_closed_with_its_time_to_answer(
    site: Site, coordinator: User, manager: User, reception: User
) -> None:
    report = report_submit(**report_fields())
    assert report.status == ReportStatus.RECEIVED and report.reference.startswith("Q-")
    assert str(report.pk) not in report.reference
    with pytest.raises(Http404):
        report_triage(actor=manager, report=report, site=site)
    report_triage(actor=coordinator, report=report, site=site)
    assert report.status == ReportStatus.TRIAGED and report.triaged_at
    report_answer(actor=reception, report=report)
    assert hours_to_answer(report) is not None
    with pytest.raises(ConflictError):
        report_answer(actor=manager, report=report)
    with pytest.raises(DomainError):
        report_close(actor=manager, report=report, outcome="magic")
    report_close(actor=manager, report=report, outcome="pickup_done", note="Ramassage fait")
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.closed_at
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.public_id))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "neighbourhood_report.received",
        "neighbourhood_report.triaged",
        "neighbourhood_report.answered",
        "neighbourhood_report.closed",
    ]
    text = str(list(AuditEvent.objects.values_list("payload", flat=True)))
    assert "06 12" not in text and "seringues" not in text and "Ramassage fait" not in text


def test_the_contact_is_for_the_coordinator_only(
    site: Site, coordinator: User, manager: User, admin_user: User
) -> None:
    report = report_submit(**report_fields())
    report_triage(actor=coordinator, report=report, site=site)
    assert report_contact_for(coordinator, report) == "06 12 34 56 78"
    assert report_contact_for(manager, report) is None
    assert report_contact_for(admin_user, report) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "ufo"},
        {"description": "x" * 501},
        {"contact": "x" * 121},
        {"seen_at": now() + dt.timedelta(days=2)},
        {"seen_at": now() - dt.timedelta(days=200)},
        {"lon": None, "lat": None, "address": "zzzz qqqq"},
        {"lon": 2.0, "lat": None},
    ],
)
def test_a_bad_public_report_is_refused_and_nothing_is_stored(bad: dict[str, object]) -> None:
    with pytest.raises(DomainError):
        report_submit(**report_fields(**bad))
    assert NeighbourhoodReport.objects.count() == 0
    assert ReportContact.objects.count() == 0


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"kind": "ufo"}, "kind", "Valeur inconnue."),
        ({"description": "x" * 501}, "description", "Texte trop long : 500 caractères au plus."),
        ({"contact": "x " * 100}, "contact", "Texte trop long : 120 caractères au plus."),
    ],
)
def test_a_refused_report_says_which_field_and_why(
    bad: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(DomainError) as refused:
        report_submit(**report_fields(**bad))
    assert (refused.value.field, refused.value.message) == (field, words)


def test_a_close_and_a_find_are_refused_on_the_field_the_caller_named(
    coordinator: User, team: Site, outreach_worker: User
) -> None:
    report = report_submit(**report_fields())
    for outcome, note, field in (
        ("", "", "outcome"),
        ("magic", "", "outcome"),
        ("pickup_done", "x" * 301, "note"),
    ):
        with pytest.raises(DomainError) as refused:
            report_close(actor=coordinator, report=report, outcome=outcome, note=note)
        assert refused.value.field == field
    report.refresh_from_db()
    assert report.status != ReportStatus.CLOSED and report.outcome == ""
    with pytest.raises(DomainError) as refused:
        pickup_record(
            actor=outreach_worker,
            team=team,
            item="syringe",
            place_kind="moon",
            count=1,
            lon=EOLE[0],
            lat=EOLE[1],
        )
    assert (refused.value.field, refused.value.message) == ("place_kind", "Valeur inconnue.")


def test_staff_log_a_report_by_phone_even_without_a_known_street(
    educator: User, site: Site, outsider: User
) -> None:
    report = report_log(
        actor=educator,
        channel="phone",
        site=site,
        **report_fields(lon=None, lat=None, address="sortie du métro, côté marché", contact=""),
    )
    assert report.address_label == "sortie du métro, côté marché" and report.lon is None
    assert report.status == ReportStatus.TRIAGED and report.assigned_site == site
    assert not ReportContact.objects.exists()
    with pytest.raises(Http404):
        report_log(actor=outsider, channel="phone", **report_fields())
    with pytest.raises(DomainError):
        report_log(actor=educator, channel="public_form", **report_fields())


def test_committee_decisions_are_followed_to_done(
    site: Site, manager: User, reception: User, coordinator: User
) -> None:
    held = local_today() - dt.timedelta(days=40)
    committee = committee_record(
        actor=manager,
        site=site,
        held_on=held,
        attendance={"residents": 12, "school": 1, "police": 2},
        topics="Seringues square, horaires",
    )
    assert committee.attendance == 15
    with pytest.raises(Http404):
        committee_record(actor=reception, site=site, held_on=held, attendance={})
    with pytest.raises(DomainError):
        committee_record(actor=manager, site=site, held_on=held, attendance={"residents": 900})
    decision = decision_add(
        actor=coordinator,
        committee=committee,
        text="Ramassage quotidien rue Ambroise-Paré",
        owner_label="Équipe de médiation",
        due_on=held + dt.timedelta(days=30),
    )
    assert is_overdue(decision)
    with pytest.raises(DomainError):
        decision_add(actor=manager, committee=committee, text="", owner_label="Ville")
    decision_done(actor=manager, decision=decision)
    assert decision.done_on and not is_overdue(decision)
    with pytest.raises(ConflictError):
        decision_done(actor=manager, decision=decision)


def test_the_coordinator_sets_a_site_surroundings(
    site: Site, coordinator: User, manager: User
) -> None:
    with pytest.raises(Http404):
        surroundings_set(actor=manager, site=site, radius_m=300)
    with pytest.raises(DomainError):
        surroundings_set(actor=coordinator, site=site, radius_m=10)
    with pytest.raises(DomainError):
        surroundings_set(actor=coordinator, site=site, use_iris=True, iris_codes=["Atlantis 1"])
    s = surroundings_set(
        actor=coordinator,
        site=site,
        radius_m=400,
        use_iris=True,
        iris_codes=["Saint-Vincent de Paul 12"],
        contact_phone="01 40 05 00 00",
    )
    assert s.iris_codes == ["Saint-Vincent de Paul 12"] and s.contact_phone == "01 40 05 00 00"
    again = surroundings_set(actor=coordinator, site=site, radius_m=500)
    assert again.pk == s.pk and again.radius_m == 500 and not again.use_iris


def test_report_point_lands_in_the_iris() -> None:
    report = report_submit(**report_fields(lon=LARIBOISIERE[0], lat=LARIBOISIERE[1]))
    assert report.area_code == "75110" and report.iris_code


def test_seen_at_is_checked_in_time(coordinator: User) -> None:
    report_submit(**report_fields(seen_at=an_hour_ago()))
    assert NeighbourhoodReport.objects.count() == 1
