"""Query budgets on the registry's lists: a page makes the same number of queries
with two rows as with eight, and stays under its budget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.care.enums import DestinationKind
from halte.care.services import referral_create
from halte.lodging.models import Bed, Stay
from halte.lodging.services import beds_sync, stay_create
from halte.network.enums import SiteKind
from halte.network.models import Site, WeeklyHours
from halte.outreach.services import contact_record, round_start
from halte.planning.enums import PlanningModel
from halte.planning.presets import DemandInput
from halte.planning.services import CandidateInput, scenario_create
from tests.budgets.helpers import counted, flat_budget
from tests.factories import ClientFactory, VisitFactory

Login = Callable[[User], HttpClient]

MAP_BUDGET = 18  # session, user, navigation, the sites with their hours, services and states


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


# Session, user, second factor, navigation, the reader's scope, the accounts, their roles; a site
# manager's scope is read by each check on the way (navigation, permission, selector).
ADMIN_ACCOUNTS_BUDGET = 15
MANAGER_ACCOUNTS_BUDGET = 23


def _accounts(site: Site) -> Callable[[int], None]:
    def add(n: int) -> None:
        for _ in range(n):
            account = User.objects.create_user(username=f"staff-{User.objects.count()}")
            Membership.objects.create(user=account, role=Role.RECEPTION, site=site)

    return add


def test_the_accounts_list_keeps_to_its_budget_for_the_administrator(
    login: Login, admin_user: User, site: Site, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    http = login(admin_user)
    url = reverse("staff:list")
    flat_budget(django_assert_max_num_queries, http, url, ADMIN_ACCOUNTS_BUDGET, _accounts(site))
    assert len(http.get(url).context["accounts"]) == 9  # the eight and the administrator


def test_the_accounts_list_keeps_to_its_budget_for_a_site_manager(
    login: Login, manager: User, site: Site, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    http = login(manager)
    url = reverse("staff:list")
    budget = MANAGER_ACCOUNTS_BUDGET
    flat_budget(django_assert_max_num_queries, http, url, budget, _accounts(site))
    accounts = http.get(url).context["accounts"]
    assert len(accounts) == 9 and all(len(roles) == 1 for _account, roles in accounts)


# Session, user, second factor, navigation, the site, tonight's board, the open stays, the waiting
# list's head (the night's) and whole (to give beds and withdraw), two weeks of occupancy.
LODGING_BUDGET = 27


def test_the_beds_board_keeps_to_its_budget(
    login: Login, site: Site, reception: User, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """Tonight's board, the open stays and the waiting list: one stay more is no query more."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    site.beds = 10
    site.save(update_fields=["beds"])
    beds_sync(site=site)
    beds = iter(Bed.objects.filter(site=site, women_only=False).order_by("number"))

    def add(n: int) -> None:
        for _ in range(n):
            person = ClientFactory.create(actor=reception, site=site, man=True)
            stay_create(actor=reception, bed=next(beds), client=person)

    http = login(reception)
    url = reverse("lodging:site", kwargs={"site_id": site.public_id})
    flat_budget(django_assert_max_num_queries, http, url, LODGING_BUDGET, add)
    assert Stay.objects.filter(bed__site=site, exit_date__isnull=True).count() == 8


PLANNING_BUDGET = 18  # session, user, second factor, navigation, the scenarios, their results


def test_the_scenario_list_keeps_to_its_budget(
    login: Login,
    coordinator: User,
    site: Site,
    project_site: Site,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            scenario_create(
                actor=coordinator,
                name=f"Scénario {i}",
                model=PlanningModel.MCLP,
                p=1,
                radius_m=1500,
                demand=[DemandInput("Stalingrad", 2.3695, 48.8833, 50)],
                candidates=[CandidateInput(site=site), CandidateInput(site=project_site)],
            )

    http = login(coordinator)
    url = reverse("planning:list")
    flat_budget(django_assert_max_num_queries, http, url, PLANNING_BUDGET, add)
    assert len(http.get(url).context["scenarios"]) == 8


ROUND_BUDGET = 19  # session, user, second factor, navigation, the alerts not yet read, the round,
# its team, its contacts


def test_a_round_and_its_contacts_keep_to_their_budget(
    login: Login,
    make_site: Callable[..., Site],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    team = make_site(kind=SiteKind.OUTREACH_TEAM, booths_injection=0, hours=("00:00", "00:00"))
    worker = User.objects.create_user(username="outreach")
    Membership.objects.create(user=worker, role=Role.OUTREACH, site=team)
    round_ = round_start(actor=worker, team=team, zone="stalingrad")

    def add(n: int) -> None:
        for _ in range(n):
            person = ClientFactory.create(actor=worker, site=team)
            contact_record(actor=worker, round_=round_, client=person, purposes=["material"])

    http = login(worker)
    url = reverse("outreach:round", kwargs={"round_id": round_.public_id})
    flat_budget(django_assert_max_num_queries, http, url, ROUND_BUDGET, add)
    assert round_.contacts.count() == 8


REFERRALS_BUDGET = 24  # session, user, second factor, navigation, the site, the open referrals


def test_the_open_referrals_keep_to_their_budget(
    login: Login,
    site: Site,
    other_site: Site,
    nurse: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    def add(n: int) -> None:
        for visit in VisitFactory.create_batch(n, actor=nurse, site=site, newcomer=True, care=True):
            referral_create(
                actor=nurse,
                site=site,
                visit=visit,
                client=visit.client,
                destination_kind=DestinationKind.NETWORK_SITE,
                destination_site=other_site,
            )

    http = login(nurse)
    url = reverse("care:referrals", kwargs={"site_id": site.public_id})
    flat_budget(django_assert_max_num_queries, http, url, REFERRALS_BUDGET, add)


# Session, user, second factor, navigation, the site, its status history (the days it operated),
# one aggregate per figure.
REPORT_BUDGET = 34


def test_a_sites_month_report_keeps_to_its_budget(
    login: Login,
    site: Site,
    reception: User,
    manager: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    """Figures are aggregates: more visits in the month are no more queries."""

    def add(n: int) -> None:
        VisitFactory.create_batch(n, actor=reception, site=site, newcomer=True, care=True)

    http = login(manager)
    url = reverse("reports:site_month", kwargs={"site_id": site.public_id})
    flat_budget(django_assert_max_num_queries, http, url, REPORT_BUDGET, add)
