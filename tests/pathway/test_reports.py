"""The reports count the latest situation of each person in the period, the HCV cascade and the
accompaniments; small counts are masked for masked audiences like every figure about people."""

from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.models import User
from halte.care.services import care_act_record
from halte.clients.models import Client
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.pathway.enums import Asked, Coverage, Housing, Product
from halte.pathway.services import (
    Answers,
    accompaniment_record,
    pathway_open,
    pathway_step_record,
    situation_record,
)
from halte.reports.frameworks import FRAMEWORKS
from halte.reports.indicators import REGISTRY, Scope
from halte.reports.presentation import present_line
from tests.factories import ClientFactory, VisitFactory


def scope(site: Site) -> Scope:
    return Scope((site.pk,), local_today() - dt.timedelta(days=30), local_today())


def people(n: int, desk: Site, reception: User) -> list[Client]:
    return [ClientFactory.create(actor=reception, site=desk) for _ in range(n)]


def test_shares_count_each_persons_latest_answer_and_leave_refusals_out(
    desk: Site, reception: User
) -> None:
    crowd = people(12, desk, reception)
    earlier = local_today() - dt.timedelta(days=10)
    # Everybody was in a squat ten days ago; six have found a home since; two declined today.
    for person in crowd:
        situation_record(
            actor=reception,
            site=desk,
            client=person,
            answers=Answers(housing=Housing.SQUAT, coverage=Coverage.NONE),
            asked_on=earlier,
        )
    for person in crowd[:6]:
        situation_record(
            actor=reception, site=desk, client=person, answers=Answers(housing=Housing.OWN_HOME)
        )
    for person in crowd[6:8]:
        situation_record(
            actor=reception, site=desk, client=person, answers=Answers(housing=Housing.DECLINED)
        )
    # Asked again without the coverage question: the earlier answer still counts.
    housing = {c.key: c.value for c in REGISTRY["situation_housing"].evaluate(scope(desk)).cells}
    assert (housing["own_home"], housing["squat"], housing["declined"]) == (6, 4, 2)
    assert "not_asked" not in housing
    assert REGISTRY["share_without_housing"].evaluate(scope(desk)).value == pytest.approx(40.0)
    assert REGISTRY["share_without_coverage"].evaluate(scope(desk)).value == pytest.approx(100.0)
    assert REGISTRY["situation_people"].evaluate(scope(desk)).value == 12


def test_products_count_people_once_per_product_and_not_additively(
    desk: Site, reception: User
) -> None:
    for person in people(3, desk, reception):
        situation_record(
            actor=reception,
            site=desk,
            client=person,
            answers=Answers(
                products_asked=Asked.ANSWERED, products=(Product.CRACK, Product.ALCOHOL)
            ),
        )
    result = REGISTRY["situation_products"].evaluate(scope(desk))
    cells = {c.key: c.value for c in result.cells}
    assert (cells["crack"], cells["alcohol"], cells["heroin"]) == (3, 3, 0)
    assert not result.additive


def test_small_counts_of_people_are_masked_for_a_masked_audience(
    desk: Site, reception: User
) -> None:
    for person in people(3, desk, reception):
        situation_record(
            actor=reception, site=desk, client=person, answers=Answers(housing=Housing.STREET)
        )
    indicator = REGISTRY["situation_people"]
    shown = present_line(indicator, indicator.evaluate(scope(desk)), suppressed=True)
    assert shown.masked and shown.number is None
    exact = present_line(indicator, indicator.evaluate(scope(desk)), suppressed=False)
    assert exact.number == 3


def test_the_hcv_cascade_follows_the_pathways_opened_in_the_period(
    desk: Site, reception: User, nurse: User
) -> None:
    crowd = people(4, desk, reception)
    for i, person in enumerate(crowd):
        visit = VisitFactory.create(actor=reception, site=desk, client=person, care=True)
        act = care_act_record(actor=nurse, visit=visit, kind="trod_hcv", result="positive")
        pathway = pathway_open(
            actor=nurse, site=desk, client=person, infection="hcv", screening=act
        )
        steps = [
            {
                "stage": "confirmed",
                "method": "pcr",
                "outcome": "negative" if i == 3 else "positive",
            },
            {"stage": "treatment_started"},
            {"stage": "treatment_ended"},
            {"stage": "cure_checked", "method": "pcr", "outcome": "negative"},
        ][: 4 - i]
        for step in steps:
            pathway_step_record(actor=nurse, pathway=pathway, place="hospital", **step)
    cells = {c.key: c.value for c in REGISTRY["hcv_cascade"].evaluate(scope(desk)).cells}
    assert cells == {
        "tested": 4,
        "confirmed": 3,
        "assessed": 0,
        "treatment_started": 3,
        "treatment_ended": 2,
        "cured": 1,
    }


def test_accompaniments_and_their_hours(desk: Site, reception: User, nurse: User) -> None:
    person = people(1, desk, reception)[0]
    for place, minutes in (("hospital", 90), ("prefecture", 150), ("hospital", 60)):
        accompaniment_record(
            actor=nurse, site=desk, client=person, place=place, minutes=minutes, outcome="done"
        )
    cells = {c.key: c.value for c in REGISTRY["accompaniments"].evaluate(scope(desk)).cells}
    assert (cells["hospital"], cells["prefecture"], cells["court"]) == (2, 1, 0)
    assert REGISTRY["accompaniment_hours"].evaluate(scope(desk)).value == 5.0


def test_every_framework_code_is_a_registered_indicator() -> None:
    for sections in FRAMEWORKS.values():
        for section in sections:
            for code in section.codes:
                assert code in REGISTRY, code
