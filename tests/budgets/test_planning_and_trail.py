"""Query budgets of a planning scenario's page and of a record's audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from halte.accounts.models import User
from halte.network.models import Site
from halte.network.services import site_update_capacities
from tests.budgets.helpers import AssertMax, Login, counted, scenario_of

SCENARIO_BUDGET = 20  # session, user, second factor, navigation, the scenario, its inputs


def test_a_scenarios_page_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    """More candidate sites and demand points are no more queries."""

    def scenario(n: int) -> str:
        return scenario_of(n, actor=coordinator, make_site=make_site).get_absolute_url()

    http = login(coordinator)
    few, many = scenario(2), scenario(8)
    http.get(few)
    assert counted(django_assert_max_num_queries, http, few, SCENARIO_BUDGET) == counted(
        django_assert_max_num_queries, http, many, SCENARIO_BUDGET
    )


TRAIL_BUDGET = 15  # session, user, second factor, navigation, the events with actor and site


def test_a_records_trail_keeps_to_its_budget(
    login: Login,
    site: Site,
    manager: User,
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    """More events on the record are no more queries (each names its actor and site)."""
    booths = iter(range(2, 40))

    def add(n: int) -> None:
        for _ in range(n):
            site_update_capacities(actor=manager, site=site, booths_injection=next(booths))

    http = login(coordinator)
    url = reverse("www:audit_trail", kwargs={"object_type": "site", "object_id": site.public_id})
    add(2)
    http.get(url)
    few = counted(django_assert_max_num_queries, http, url, TRAIL_BUDGET)
    add(6)
    assert counted(django_assert_max_num_queries, http, url, TRAIL_BUDGET) == few
    assert len(http.get(url).context["events"]) >= 8
