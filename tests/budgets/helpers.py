"""A page's query budget: it makes the same number of queries with two rows as with eight, and no
more than its budget (the conventions ask one of every list, board and report)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient

from halte.accounts.models import User
from halte.network.models import Site
from halte.planning.enums import PlanningModel
from halte.planning.models import Scenario
from halte.planning.presets import DemandInput
from halte.planning.services import CandidateInput, scenario_create

Login = Callable[[User], HttpClient]
AssertMax = Callable[..., Any]


def counted(assert_max: AssertMax, http: HttpClient, url: str, budget: int) -> int:
    """The queries of one GET of ``url``, which must answer 200 within ``budget``."""
    with assert_max(budget) as captured:
        page = http.get(url)
    assert page.status_code == 200, page.status_code
    return len(captured)


def flat_budget(
    assert_max: AssertMax,
    http: HttpClient,
    url: str,
    budget: int,
    add_rows: Callable[[int], None],
) -> int:
    """The page costs the same with 2 rows as with 8, and no more than its budget; returns the
    count."""
    add_rows(2)
    http.get(url)  # the session's first page
    few = counted(assert_max, http, url, budget)
    add_rows(6)
    assert counted(assert_max, http, url, budget) == few
    return few


def scenario_of(size: int, *, actor: User, make_site: Callable[..., Site]) -> Scenario:
    """A scenario with ``size`` demand points and ``size`` candidate sites, not solved."""
    return scenario_create(
        actor=actor,
        name=f"Scénario à {size}",
        model=PlanningModel.MCLP,
        p=1,
        radius_m=1500,
        demand=[DemandInput(f"Point {i}", 2.36 + i / 1000, 48.88, 10) for i in range(size)],
        candidates=[CandidateInput(site=make_site()) for _ in range(size)],
    )
