"""Query budgets of the room's door and of a site's own pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.consumption.room import refusal_record, wait_start
from halte.network.models import Site, WeeklyHours
from halte.network.services import site_add_hours_exception
from tests.budgets.helpers import AssertMax, Login, flat_budget
from tests.factories import VisitFactory


@pytest.fixture
def open_site(site: Site) -> Site:
    """The Paris site, open around the clock."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    return site


# Session, user, second factor, navigation, the site and its hours, the queue, the people present
# with their sessions, the rest area, today's refusals and waits hour by hour.
DOOR_BUDGET = 29


def test_the_door_keeps_to_its_budget(
    login: Login, open_site: Site, reception: User, django_assert_max_num_queries: AssertMax
) -> None:
    """One more person waiting, one more present, one more refusal: no query more."""

    def add(n: int) -> None:
        for _ in range(n):
            waiting = VisitFactory.create(actor=reception, site=open_site, newcomer=True)
            wait_start(actor=reception, visit=waiting, route="injection")
            VisitFactory.create(actor=reception, site=open_site, newcomer=True, consumption=True)
            refusal_record(actor=reception, site=open_site, reason="full")

    http = login(reception)
    url = reverse("www:door", kwargs={"site_id": open_site.public_id})
    flat_budget(django_assert_max_num_queries, http, url, DOOR_BUDGET, add)
    page = http.get(url).context
    assert len(page["waits"]) == len(page["candidates"]) == 8


SITE_BUDGET = 25  # session, user, second factor, navigation, the site, its hours and history


def test_a_sites_page_keeps_to_its_budget(
    login: Login, site: Site, manager: User, django_assert_max_num_queries: AssertMax
) -> None:
    """More exceptions to the hours are no more queries."""
    day = iter(dt.date(2031, 1, 1) + dt.timedelta(days=i) for i in range(20))

    def add(n: int) -> None:
        for _ in range(n):
            site_add_hours_exception(actor=manager, site=site, date=next(day), closed=True)

    http = login(manager)
    url = reverse("www:site_detail", kwargs={"site_id": site.public_id})
    flat_budget(django_assert_max_num_queries, http, url, SITE_BUDGET, add)


STAFF_BUDGET = 21  # session, user, second factor, navigation, the account, its roles and sites


def test_an_accounts_page_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    admin_user: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    account = User.objects.create_user(username="float-nurse")

    def add(n: int) -> None:
        for _ in range(n):
            Membership.objects.create(user=account, role=Role.NURSE, site=make_site())

    http = login(admin_user)
    url = reverse("staff:detail", kwargs={"user_id": account.public_id})
    flat_budget(django_assert_max_num_queries, http, url, STAFF_BUDGET, add)
