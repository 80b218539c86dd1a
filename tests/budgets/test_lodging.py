"""Query budgets of the beds' screens: the waiting list, the night board, the list of sites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.lodging.models import Bed, WaitingEntry
from halte.lodging.services import beds_sync, stay_create, waiting_add
from halte.network.models import Site, WeeklyHours
from tests.budgets.helpers import AssertMax, Login, flat_budget
from tests.factories import ClientFactory


@pytest.fixture
def beds(site: Site) -> Site:
    """The Paris site with ten beds, open around the clock."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    site.beds = 10
    site.save(update_fields=["beds"])
    beds_sync(site=site)
    return site


# Session, user, second factor, navigation, the site, tonight's board, the open stays, the waiting
# list with its people's priorities, two weeks of occupancy.
WAITING_BUDGET = 31


def test_the_waiting_list_keeps_to_its_budget(
    login: Login, beds: Site, reception: User, django_assert_max_num_queries: AssertMax
) -> None:
    """One person more on the waiting list is no query more."""

    def add(n: int) -> None:
        for _ in range(n):
            person = ClientFactory.create(actor=reception, site=beds, woman=True)
            waiting_add(actor=reception, site=beds, client=person, priorities=["health_need"])

    http = login(reception)
    url = reverse("lodging:site", kwargs={"site_id": beds.public_id})
    flat_budget(django_assert_max_num_queries, http, url, WAITING_BUDGET, add)
    assert len(http.get(url).context["waiting"]) == WaitingEntry.objects.count() == 8


NIGHT_BUDGET = 26  # session, user, second factor, navigation, the site, the board, the waiting list


def test_the_night_board_keeps_to_its_budget(
    login: Login, beds: Site, reception: User, django_assert_max_num_queries: AssertMax
) -> None:
    free = iter(Bed.objects.filter(site=beds, women_only=False).order_by("number"))

    def add(n: int) -> None:
        for _ in range(n):
            person = ClientFactory.create(actor=reception, site=beds, man=True)
            stay_create(actor=reception, bed=next(free), client=person)
            waiting_add(
                actor=reception,
                site=beds,
                client=ClientFactory.create(actor=reception, site=beds, man=True),
            )

    http = login(reception)
    url = reverse("lodging:night", kwargs={"site_id": beds.public_id})
    flat_budget(django_assert_max_num_queries, http, url, NIGHT_BUDGET, add)
    board = http.get(url).context["view"].board
    assert sum(1 for slot in board if slot.stay is not None) == 8


HOME_BUDGET = 16  # session, user, second factor, navigation, the sites with beds


def test_the_list_of_sites_with_beds_keeps_to_its_budget(
    login: Login, make_site: Callable[..., Site], django_assert_max_num_queries: AssertMax
) -> None:
    night_worker = User.objects.create_user(username="night-worker")

    def add(n: int) -> None:
        for _ in range(n):
            lodging = make_site(beds=4)
            Membership.objects.create(user=night_worker, role=Role.RECEPTION, site=lodging)

    http = login(night_worker)
    url = reverse("lodging:home")
    flat_budget(django_assert_max_num_queries, http, url, HOME_BUDGET, add)
    assert len(http.get(url).context["sites"]) == 8
