"""Query budgets on the registry's lists: a page makes the same number of queries
with two rows as with eight, and stays under its budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.network.models import Site

Login = Callable[[User], HttpClient]

MAP_BUDGET = 18  # session, user, navigation, the sites with their hours, services and states


def counted(assert_max: Callable[..., Any], http: HttpClient, url: str, budget: int) -> int:
    with assert_max(budget) as captured:
        page = http.get(url)
    assert page.status_code == 200
    return len(captured)


def test_the_map_and_its_list_keep_to_their_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    http = login(coordinator)
    url = reverse("www:map")
    for _ in range(2):
        make_site()
    http.get(url)  # the session's first page
    few = counted(django_assert_max_num_queries, http, url, MAP_BUDGET)
    for _ in range(6):
        make_site()
    page = http.get(url)
    assert len(page.context["results"]) == 8
    assert counted(django_assert_max_num_queries, http, url, MAP_BUDGET) == few
