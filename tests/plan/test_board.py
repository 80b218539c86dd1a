"""Actions and the budget: overdue is a past due date on an action neither done nor abandoned;
a status moves on a date with its history; the budget of a year stands against the funding lines
that carry a plan action number; only the coordination writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import Client

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.plan.models import PlanAction, PlanEdition
from halte.plan.selectors import actions_board, budget_rows
from halte.plan.services import action_create, action_set_status, budget_year_set
from halte.reports.indicators import REGISTRY, Scope
from halte.reports.indicators.plan import spending_by_year
from halte.reports.services import funding_line_create

TODAY = local_today()


def _action(actor: User, edition: PlanEdition, number: int, **fields: object) -> PlanAction:
    values: dict[str, object] = {
        "title": f"Action {number} (inventée)",
        "axis": "care",
        "owner": "ARS Île-de-France",
        "status_since": dt.date(2019, 5, 27),
    }
    values.update(fields)
    return action_create(actor=actor, edition=edition, number=number, **values)  # type: ignore[arg-type]


def test_overdue_is_a_past_due_date_on_an_open_action(
    coordinator: User, edition: PlanEdition
) -> None:
    late = _action(coordinator, edition, 1, due_on=TODAY - dt.timedelta(days=1))
    due_today = _action(coordinator, edition, 2, due_on=TODAY)
    done = _action(coordinator, edition, 3, due_on=TODAY - dt.timedelta(days=30))
    abandoned = _action(coordinator, edition, 4, due_on=TODAY - dt.timedelta(days=30))
    action_set_status(actor=coordinator, action=done, status="done", effective_on=TODAY)
    action_set_status(actor=coordinator, action=abandoned, status="abandoned")
    assert [a.is_overdue for a in (late, due_today)] == [True, False]
    for action in (done, abandoned):
        action.refresh_from_db()
        assert not action.is_overdue
    board = list(actions_board())
    assert board[0] == late
    assert list(actions_board(overdue_only=True)) == [late]


def test_a_status_moves_on_a_date_with_its_history_and_audit(
    coordinator: User, edition: PlanEdition
) -> None:
    action = _action(coordinator, edition, 5)
    action_set_status(
        actor=coordinator,
        action=action,
        status="in_progress",
        effective_on=dt.date(2020, 1, 6),
        note="Espace de repos ouvert",
    )
    with pytest.raises(DomainError):  # before the current status
        action_set_status(
            actor=coordinator, action=action, status="done", effective_on=dt.date(2019, 12, 1)
        )
    with pytest.raises(DomainError):  # in the future
        action_set_status(
            actor=coordinator, action=action, status="done", effective_on=TODAY + dt.timedelta(1)
        )
    with pytest.raises(DomainError):  # the same status
        action_set_status(actor=coordinator, action=action, status="in_progress")
    action.refresh_from_db()
    assert (action.status, action.status_since) == ("in_progress", dt.date(2020, 1, 6))
    assert [h.to_status for h in action.history.order_by("effective_on")] == [
        "planned",
        "in_progress",
    ]
    event = AuditEvent.objects.get(action="plan.action_status_changed")
    assert event.payload == {"from": "planned", "to": "in_progress", "effective_on": "2020-01-06"}


def test_the_indicators_read_the_status_at_the_end_of_the_period(
    coordinator: User, edition: PlanEdition, site: Site
) -> None:
    first = _action(coordinator, edition, 1, due_on=dt.date(2020, 6, 30))
    _action(coordinator, edition, 2, due_on=dt.date(2022, 1, 1))
    action_set_status(
        actor=coordinator, action=first, status="done", effective_on=dt.date(2021, 3, 1)
    )
    end_2020 = Scope((site.pk,), dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    end_2021 = Scope((site.pk,), dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    by_status = {c.key: c.value for c in REGISTRY["plan_actions"].evaluate(end_2020).cells}
    assert by_status["planned"] == 2 and by_status["done"] == 0
    assert REGISTRY["plan_actions_overdue"].evaluate(end_2020).value == 1
    assert REGISTRY["plan_actions_done"].evaluate(end_2020).value == 0
    assert REGISTRY["plan_actions_done"].evaluate(end_2021).value == 1
    assert REGISTRY["plan_actions_overdue"].evaluate(end_2021).value == 0
    before = Scope((site.pk,), dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert REGISTRY["plan_actions"].evaluate(before).value == 0


def test_only_the_coordination_writes_the_plan(
    manager: User, evaluator: User, edition: PlanEdition
) -> None:
    for user in (manager, evaluator):
        with pytest.raises(Http404):
            _action(user, edition, 9)
        with pytest.raises(Http404):
            budget_year_set(actor=user, edition=edition, year=2019, amount=1)
    assert not PlanAction.objects.exists()


def test_an_action_number_is_once_per_plan_and_within_it(
    coordinator: User, edition: PlanEdition
) -> None:
    _action(coordinator, edition, 7)
    with pytest.raises(DomainError):
        _action(coordinator, edition, 7)
    with pytest.raises(DomainError):
        _action(coordinator, edition, 34)
    assert PlanAction.objects.count() == 1


@pytest.fixture
def funded(
    coordinator: User, edition: PlanEdition, site: Site, other_site: Site
) -> Callable[[int, int, int | None], object]:
    def make(year: int, amount: int, action: int | None, where: Site = site) -> object:
        return funding_line_create(
            actor=coordinator,
            site=where,
            funder="city_dases",
            year=year,
            amount=Decimal(amount),
            plan_action=action,
        )

    return make


def test_the_budget_of_a_year_against_the_funding_lines_of_the_plan(
    coordinator: User,
    edition: PlanEdition,
    site: Site,
    other_site: Site,
    funded: Callable[..., object],
) -> None:
    for year in (2019, 2020, 2021):
        budget_year_set(actor=coordinator, edition=edition, year=year, amount=3_000_000)
    with pytest.raises(DomainError):  # the 2019–2021 plan stops in 2021
        budget_year_set(actor=coordinator, edition=edition, year=2022, amount=3_000_000)
    funded(2019, 5_000_000, 2)
    funded(2019, 2_000_000, 3, other_site)
    funded(2019, 900_000, None)  # not a plan line
    funded(2022, 1_000_000, 2)
    rows = {r.year: r for r in budget_rows(spending_by_year(None, [2019, 2020, 2021, 2022]))}
    assert rows[2019].planned == Decimal(3_000_000)
    assert rows[2019].spent == Decimal(7_000_000)
    assert rows[2019].difference == Decimal(4_000_000)
    assert rows[2020].spent == 0 and rows[2020].difference == Decimal(-3_000_000)
    assert rows[2022].planned is None and rows[2022].difference is None
    scope = Scope((site.pk,), dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    cells = {c.key: c.value for c in REGISTRY["plan_budget_by_year"].evaluate(scope).cells}
    assert cells == {"planned_2019": 3_000_000.0, "spent_2019": 5_000_000.0}


def test_a_budget_line_is_corrected_not_doubled(coordinator: User, edition: PlanEdition) -> None:
    budget_year_set(actor=coordinator, edition=edition, year=2020, amount=3_000_000)
    budget_year_set(actor=coordinator, edition=edition, year=2020, amount="2500000.50")
    assert [r.planned for r in budget_rows({}, years=[2020])] == [Decimal("2500000.50")]
    with pytest.raises(DomainError):
        budget_year_set(actor=coordinator, edition=edition, year=2020, amount=-1)


def test_the_budget_screen_shows_planned_spent_and_difference(
    login: Callable[[User], Client],
    coordinator: User,
    manager: User,
    edition: PlanEdition,
    funded: Callable[..., object],
) -> None:
    budget_year_set(actor=coordinator, edition=edition, year=2019, amount=3_000_000)
    funded(2019, 8_000_000, 2)
    page = login(manager).get("/plan/budget/")
    assert page.status_code == 200
    body = page.content.decode()
    row = body[body.index('data-year="2019"') :]
    row = row[: row.index("</tr>")]
    cells = row.replace("\xa0", " ")
    assert "<td data-planned>3 000 000</td>" in cells
    assert "<td data-spent>8 000 000</td>" in cells
    assert "<td data-difference>+5 000 000 (267 %)</td>" in cells
    assert 'name="amount"' not in body  # a manager reads, does not write
    posted = login(manager).post("/plan/budget/", {"edition": str(edition.public_id)})
    assert posted.status_code == 404
    saved = login(coordinator).post(
        "/plan/budget/",
        {"edition": str(edition.public_id), "year": 2020, "amount": "3000000", "source": ""},
    )
    assert saved.status_code == 302
    assert budget_rows({}, years=[2020])[0].planned == Decimal(3_000_000)


def test_the_board_lists_overdue_first_and_the_coordinator_changes_a_status(
    login: Callable[[User], Client], coordinator: User, evaluator: User, edition: PlanEdition
) -> None:
    _action(coordinator, edition, 1, due_on=TODAY + dt.timedelta(days=30))
    late = _action(coordinator, edition, 2, due_on=TODAY - dt.timedelta(days=3))
    body = login(evaluator).get("/plan/").content.decode()
    assert body.index('data-action="2"') < body.index('data-action="1"')
    assert 'data-overdue-count="1"' in body
    url = f"/plan/actions/{late.public_id}/"
    assert login(evaluator).post(url, {"status": "done"}).status_code == 404
    answer = login(coordinator).post(
        url, {"status": "done", "effective_on": TODAY.isoformat(), "note": "Fait"}
    )
    assert answer.status_code == 302
    late.refresh_from_db()
    assert late.status == "done" and not late.is_overdue
    filtered = login(coordinator).get("/plan/?status=done").content.decode()
    assert 'data-action="2"' in filtered and 'data-action="1"' not in filtered
