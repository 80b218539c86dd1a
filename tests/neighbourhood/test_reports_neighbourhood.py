"""The neighbourhood's indicators in the reports: the CAARUD report's section 6, the HSA report's
environment items and the plan-crack board's public-space line, from generated data, against a count
made by hand over the same generated rows."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from dataclasses import dataclass, field

import pytest

from halte.core.timeutils import paris_instant
from halte.neighbourhood.enums import PickupItem, PlaceKind, ReportChannel, ReportKind, RoundKind
from halte.neighbourhood.models import (
    Committee,
    CommitteeDecision,
    MediationRound,
    NeighbourhoodReport,
    Pickup,
)
from halte.network.models import Site
from halte.reports.enums import Framework
from halte.reports.frameworks import Report, build_report
from halte.reports.indicators import REGISTRY, Area, Scope
from halte.reports.presentation import Shown

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
# 100 m of longitude at Paris is about 0.00137°.
DEG_PER_100M_LON = 0.00137


@dataclass
class Generated:
    items: dict[str, int] = field(default_factory=dict)
    near_items: int = 0
    reports: dict[str, int] = field(default_factory=dict)
    answer_hours: list[float] = field(default_factory=list)
    mediation: int = 0
    pickup_rounds: int = 0
    consumption_seen: int = 0
    committees: int = 0
    done: int = 0
    overdue: int = 0


def _at(day: int, hour: int) -> dt.datetime:
    return paris_instant(dt.date(2025, 3, day), dt.time(hour, 0))


def generate(site: Site, other: Site, seed: int) -> Generated:
    """Random activity in and around March 2025, counted by hand as it is drawn."""
    draw = random.Random(seed)
    expected = Generated()
    lon, lat = float(site.lon or 0), float(site.lat or 0)
    for _ in range(40):
        in_march = draw.random() < 0.8
        team = site if draw.random() < 0.7 else other
        item = draw.choice(PickupItem.values)
        count = draw.randint(1, 12)
        metres = draw.choice([50, 150, 250, 450, 900])
        day = draw.randint(1, 31) if in_march else draw.randint(1, 28)
        found = _at(day, 10) if in_march else paris_instant(dt.date(2025, 2, day), dt.time(10))
        Pickup.objects.create(
            team=team,
            found_at=found,
            item=item,
            place_kind=PlaceKind.STREET,
            count=count,
            lon=lon + metres / 100 * DEG_PER_100M_LON,
            lat=lat,
            area_code="75110",
        )
        if in_march and team == site:
            expected.items[item] = expected.items.get(item, 0) + count
        if in_march and metres <= 250:
            expected.near_items += count
    for _ in range(25):
        kind = draw.choice(ReportKind.values)
        day = draw.randint(1, 31)
        assigned = draw.choice([site, other, None])
        answered = draw.random() < 0.6
        hours = draw.randint(1, 96)
        NeighbourhoodReport.objects.create(
            kind=kind,
            seen_at=_at(day, 8),
            address_label="Rue Ambroise Paré, 75010 Paris",
            channel=ReportChannel.PHONE,
            assigned_site=assigned,
            received_at=_at(day, 9),
            answered_at=_at(day, 9) + dt.timedelta(hours=hours) if answered else None,
        )
        if assigned == site:
            expected.reports[kind] = expected.reports.get(kind, 0) + 1
            if answered:
                expected.answer_hours.append(float(hours))
    for day in range(1, 29, 3):
        kind = draw.choice(RoundKind.values)
        seen = draw.randint(0, 6)
        MediationRound.objects.create(
            site=site,
            kind=kind,
            started_at=_at(day, 15),
            ended_at=_at(day, 17),
            public_consumption_seen=seen,
        )
        expected.consumption_seen += seen
        if kind == RoundKind.MEDIATION:
            expected.mediation += 1
        else:
            expected.pickup_rounds += 1
    for held in (dt.date(2025, 1, 20), dt.date(2025, 3, 10), dt.date(2025, 3, 24)):
        committee = Committee.objects.create(site=site, held_on=held, residents=8, police=1)
        expected.committees += held >= MARCH[0]
        for due_day, done in ((5, None), (15, dt.date(2025, 3, 12)), (40, None)):
            due = held + dt.timedelta(days=due_day)
            CommitteeDecision.objects.create(
                committee=committee,
                text="Éclairage",
                owner_label="Mairie",
                due_on=due,
                done_on=done,
            )
            if done is not None and done >= MARCH[0] and held <= MARCH[1]:
                expected.done += 1
            late = due < MARCH[1] and (done is None or done > MARCH[1])
            expected.overdue += late and held <= MARCH[1]
    return expected


def _lines(report: Report, key: str) -> dict[str, Shown]:
    section = next(s for s in report.sections if s.key == key)
    return {line.code: line for line in section.lines}


@pytest.mark.parametrize("seed", [7, 21])
def test_section_6_and_the_hsa_environment_items_match_a_hand_count(
    site: Site, other_site: Site, seed: int
) -> None:
    expected = generate(site, other_site, seed)
    scope = Scope((site.pk,), *MARCH, label=site.name)
    caarud = build_report(Framework.ASA_CAARUD, scope, suppressed=False)
    six = _lines(caarud, "mediation")
    assert "Non collecté" not in next(s.note for s in caarud.sections if s.key == "mediation")
    assert six["pickups_items"].number == sum(expected.items.values())
    by_item = {c.key: c.number for c in six["pickups_by_item"].cells}
    assert by_item == {item: expected.items.get(item, 0) for item in PickupItem.values}
    assert six["mediation_rounds"].number == expected.mediation
    assert six["pickup_rounds"].number == expected.pickup_rounds
    assert six["public_consumption_seen"].number == expected.consumption_seen
    assert six["committees_held"].number == expected.committees == 2
    assert six["decisions_done"].number == expected.done
    assert six["decisions_overdue"].number == expected.overdue
    assert six["neighbourhood_reports"].number == sum(expected.reports.values())
    kinds = {c.key: c.number for c in six["neighbourhood_reports_by_kind"].cells}
    assert kinds == {kind: expected.reports.get(kind, 0) for kind in ReportKind.values}
    median = statistics.median(expected.answer_hours) if expected.answer_hours else None
    assert six["report_answer_hours"].number == median

    hsa_report = build_report(Framework.HSA_ANNUAL, scope, suppressed=False)
    checking = _lines(hsa_report, "drug_checking")
    assert checking["samples_collected"].number == 0  # no sample in this generated activity
    assert checking["alerts_issued"].number == 0
    hsa = _lines(hsa_report, "environment")
    assert hsa["pickups_syringes"].number == expected.items.get(PickupItem.SYRINGE, 0)
    assert hsa["neighbourhood_reports"].number == sum(expected.reports.values())
    plan = build_report(Framework.PLAN_CRACK, scope, suppressed=False)
    assert _lines(plan, "public_space")["pickups_items"].number == sum(expected.items.values())


def test_an_area_counts_what_happened_there_whoever_recorded_it(
    site: Site, other_site: Site
) -> None:
    expected = generate(site, other_site, 3)
    area = Area(float(site.lon or 0), float(site.lat or 0), radius_m=300)
    scope = Scope((site.pk,), *MARCH, area=area)
    assert REGISTRY["pickups_items"].evaluate(scope).value == expected.near_items
    # Rounds stay the site's own, area or not.
    assert REGISTRY["mediation_rounds"].evaluate(scope).value == expected.mediation
    by_iris = Scope((site.pk,), *MARCH, area=Area(0.0, 0.0, iris_codes=("Nowhere 99",)))
    assert REGISTRY["pickups_items"].evaluate(by_iris).value == 0
