"""Query budgets of a visit's care page, "where can this person go?" and the scenarios'
comparison."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse

from halte.accounts.models import User
from halte.care.services import care_act_record
from halte.network.models import Site, WeeklyHours
from tests.budgets.helpers import AssertMax, Login, counted, flat_budget, scenario_of
from tests.factories import VisitFactory

VISIT_BUDGET = 25  # session, user, second factor, navigation, the visit, its acts, its forms


def test_a_visits_care_page_keeps_to_its_budget(
    login: Login, site: Site, nurse: User, django_assert_max_num_queries: AssertMax
) -> None:
    """More acts on the visit are no more queries."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    visit = VisitFactory.create(actor=nurse, site=site, newcomer=True, care=True)

    def add(n: int) -> None:
        for _ in range(n):
            care_act_record(actor=nurse, visit=visit, kind="nursing")

    http = login(nurse)
    url = reverse("care:visit", kwargs={"visit_id": visit.public_id})
    flat_budget(django_assert_max_num_queries, http, url, VISIT_BUDGET, add)


WHERE_BUDGET = 28  # session, user, second factor, navigation, the places, their visits and booths


def test_where_to_go_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    reception: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    """More places within reach are no more queries."""
    spots = iter(range(20))

    def add(n: int) -> None:
        for _ in range(n):
            i = next(spots)
            make_site(hours=("00:00", "00:00"), lon=2.3690 + i / 2000, lat=48.8840, rest_places=4)

    http = login(reception)
    url = reverse("outreach:where") + "?lat=48.8833&lon=2.3695&need=rest"
    flat_budget(django_assert_max_num_queries, http, url, WHERE_BUDGET, add)


COMPARE_BUDGET = 29  # session, user, second factor, navigation, each scenario with its inputs


def test_the_scenarios_comparison_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    """Three scenarios at most, side by side: pinned at three, each costs the same."""

    def scenario(n: int) -> str:
        return str(scenario_of(n, actor=coordinator, make_site=make_site).public_id)

    small, large, other = scenario(2), scenario(8), scenario(8)
    http = login(coordinator)

    def url(*ids: str) -> str:
        return reverse("planning:compare") + "?" + "&".join(f"s={i}" for i in ids)

    http.get(url(small, large))
    pair = counted(django_assert_max_num_queries, http, url(small, large), COMPARE_BUDGET)
    assert counted(django_assert_max_num_queries, http, url(large, other), COMPARE_BUDGET) == pair
    trio = counted(django_assert_max_num_queries, http, url(small, large, other), COMPARE_BUDGET)
    assert trio > pair  # each scenario read on its own, three at most
