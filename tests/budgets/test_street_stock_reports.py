"""Query budgets of the street's pages, a site's stock and the reports' pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.care.services import stock_receive
from halte.core.timeutils import now
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.outreach.services import (
    gathering_place_create,
    head_count_record,
    round_end,
    round_start,
)
from tests.budgets.helpers import AssertMax, Login, counted, flat_budget
from tests.factories import VisitFactory

HEAD_COUNTS_BUDGET = 20  # session, user, second factor, navigation, the places with their counts


def test_the_head_counts_keep_to_their_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    """One more place counted is no query more (map, chart and table)."""
    team = make_site(kind=SiteKind.OUTREACH_TEAM, booths_injection=0, hours=("00:00", "00:00"))
    worker = User.objects.create_user(username="street")
    Membership.objects.create(user=worker, role=Role.OUTREACH, site=team)
    numbers = iter(range(100))

    def add(n: int) -> None:
        for _ in range(n):
            i = next(numbers)
            place = gathering_place_create(
                actor=None,
                slug=f"place-{i}",
                name=f"Lieu {i}",
                zone="stalingrad",
                lon=2.3690 + i / 1000,
                lat=48.8840,
                source="test",
            )
            for hours in (1, 5):
                moment = now() - dt.timedelta(hours=hours)
                head_count_record(actor=worker, team=team, place=place, count=i, counted_at=moment)

    http = login(coordinator)
    url = reverse("outreach:head_counts")
    flat_budget(django_assert_max_num_queries, http, url, HEAD_COUNTS_BUDGET, add)
    assert len(http.get(url).context["series"]) == 8


STREET_BUDGET = 22  # session, user, second factor, navigation, the teams, their rounds, the places


def test_the_street_home_keeps_to_its_budget(
    login: Login, make_site: Callable[..., Site], django_assert_max_num_queries: AssertMax
) -> None:
    team = make_site(kind=SiteKind.OUTREACH_TEAM, booths_injection=0, hours=("00:00", "00:00"))
    worker = User.objects.create_user(username="street")
    Membership.objects.create(user=worker, role=Role.OUTREACH, site=team)

    def add(n: int) -> None:
        for _ in range(n):
            round_ = round_start(actor=worker, team=team, zone="stalingrad")
            round_end(actor=worker, round_=round_)

    http = login(worker)
    flat_budget(django_assert_max_num_queries, http, reverse("outreach:home"), STREET_BUDGET, add)


STOCK_BUDGET = 30  # session, user, second factor, navigation, the site, levels, lots, catalogue


def test_a_sites_stock_keeps_to_its_budget(
    login: Login, site: Site, manager: User, django_assert_max_num_queries: AssertMax
) -> None:
    """One more item in stock is no query more."""
    items = iter(["syringe_1ml", "syringe_2ml", "needle_21g", "needle_23g", "needle_25g"])
    items = iter([*items, "needle_26g", "needle_30g", "injection_kit", "crack_kit"])

    def add(n: int) -> None:
        stock_receive(actor=manager, site=site, lines=[(next(items), 10) for _ in range(n)])

    http = login(manager)
    url = reverse("care:stock", kwargs={"site_id": site.public_id})
    flat_budget(django_assert_max_num_queries, http, url, STOCK_BUDGET, add)


REPORTS_INDEX_BUDGET = 19  # session, user, second factor, navigation, sites and authorisations


def test_the_reports_index_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            make_site()

    http = login(coordinator)
    url = reverse("reports:index")
    flat_budget(django_assert_max_num_queries, http, url, REPORTS_INDEX_BUDGET, add)


NETWORK_YEAR_BUDGET = 33  # session, user, second factor, navigation, one aggregate per figure


def test_the_networks_year_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    """More sites with visits are no more queries: figures are aggregates."""

    def add(n: int) -> None:
        for _ in range(n):
            other = make_site(hours=("00:00", "00:00"))
            desk = User.objects.create_user(username=f"desk-{other.slug}")
            Membership.objects.create(user=desk, role=Role.RECEPTION, site=other)
            VisitFactory.create(actor=desk, site=other, newcomer=True, care=True)

    http = login(coordinator)
    url = reverse("reports:network_year")
    flat_budget(django_assert_max_num_queries, http, url, NETWORK_YEAR_BUDGET, add)


# Session, user, second factor, navigation, the sites chosen, then each figure per site (with
# its status history, which bounds its days open and its booths in service): the comparison is
# bounded (six sites at most), so its budget is pinned at six.
COMPARE_BUDGET = 90


def test_the_comparison_of_sites_keeps_to_its_budget(
    login: Login,
    make_site: Callable[..., Site],
    coordinator: User,
    django_assert_max_num_queries: AssertMax,
) -> None:
    sites = [make_site() for _ in range(6)]
    http = login(coordinator)
    period = "start=2025-01-01&end=2025-12-31"

    def url(chosen: list[Site]) -> str:
        query = "&".join(f"sites={s.public_id}" for s in chosen)
        return f"{reverse('reports:compare')}?{query}&{period}"

    http.get(url(sites))
    two = counted(django_assert_max_num_queries, http, url(sites[:2]), COMPARE_BUDGET)
    six = counted(django_assert_max_num_queries, http, url(sites), COMPARE_BUDGET)
    assert two < six  # figures per site, as the page shows them side by side
