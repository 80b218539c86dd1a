"""The shared cast: one operational site with its staff, another site, an outreach team, a project,
and one user per role, so every test speaks of the same people and places."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.network.enums import OperatorKind, SiteKind, SiteStatus
from halte.network.models import Operator, Site, StatusChange, WeeklyHours
from tests.browser import _close_pages, axe_source, browser, shot  # noqa: F401 - the browser fixtures, once for every directory

PASSWORD = "a-test-password-1234"
# pytest-xdist modes that hand out whole files or scopes: there schemathesis's API fuzz
# (tests/trust/test_api_fuzz.py) passes as one item without running any operation.
_GROUPING_DIST = {"loadfile", "loadscope", "loadgroup"}


def pytest_configure(config: pytest.Config) -> None:
    """Refuse a parallel mode in which a test would pass without running (see ``_GROUPING_DIST``);
    ``make test`` uses ``--dist load``, one test at a time."""
    dist = getattr(config.option, "dist", "no")
    if dist in _GROUPING_DIST:
        raise pytest.UsageError(
            f"--dist {dist} would let the API fuzz pass without running its operations: "
            "use --dist load (make test does)."
        )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the public pages' per-address counts (every test
    client asks from 127.0.0.1) would otherwise carry from one test to the next."""
    cache.clear()


@pytest.fixture
def operator(db: None) -> Operator:
    return Operator.objects.create(name="Gaïa-Paris", kind=OperatorKind.ASSOCIATION)


@pytest.fixture
def other_operator(db: None) -> Operator:
    return Operator.objects.create(name="Ithaque", kind=OperatorKind.ASSOCIATION)


@pytest.fixture
def make_site(db: None, operator: Operator) -> Callable[..., Site]:
    counter = {"n": 0}

    def make(*, hours: tuple[str, str] | None = ("13:30", "20:30"), **fields: Any) -> Site:
        counter["n"] += 1
        values: dict[str, Any] = {
            "slug": f"site-{counter['n']}",
            "name": f"Site {counter['n']}",
            "operator": operator,
            "kind": SiteKind.HSA,
            "status": SiteStatus.OPERATIONAL,
            "address": "4 Rue Ambroise Paré",
            "postcode": "75010",
            "code_insee": "75110",
            "area_name": "Paris 10e",
            "lon": 2.35339,
            "lat": 48.881946,
            "booths_injection": 12,
        }
        values.update(fields)
        site = Site.objects.create(**values)
        StatusChange.objects.create(
            site=site, from_status="", to_status=site.status, effective_on=dt.date(2016, 10, 17)
        )
        if hours:
            opens, closes = (dt.time.fromisoformat(h) for h in hours)
            WeeklyHours.objects.bulk_create(
                WeeklyHours(
                    site=site, weekday=d, opens=opens, closes=closes, valid_from=dt.date(2016, 1, 1)
                )
                for d in range(7)
            )
        return site

    return make


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    return make_site(name="HSA Paris")


@pytest.fixture
def other_site(make_site: Callable[..., Site], other_operator: Operator) -> Site:
    return make_site(
        name="HSA Strasbourg",
        operator=other_operator,
        city="Strasbourg",
        code_insee="67482",
        area_name="Strasbourg",
        lon=7.7475,
        lat=48.5775,
        booths_inhalation=4,
    )


@pytest.fixture
def project_site(make_site: Callable[..., Site], other_operator: Operator) -> Site:
    return make_site(
        name="172 rue Pelleport (projet)",
        operator=other_operator,
        kind=SiteKind.DAY_NIGHT_RECEPTION,
        status=SiteStatus.PROPOSED,
        code_insee="75120",
        area_name="Paris 20e",
        lon=2.398023,
        lat=48.873772,
        booths_injection=0,
        hours=None,
    )


def member(username: str, role: str | None, **scope: Any) -> User:
    """A user with the test password and, unless ``role`` is None, that role (at ``site=`` for a
    site's staff)."""
    user = User.objects.create_user(username=username, password=PASSWORD)
    if role is not None:
        Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def reception(site: Site) -> User:
    return member("reception", Role.RECEPTION, site=site)


@pytest.fixture
def nurse(site: Site) -> User:
    return member("nurse", Role.NURSE, site=site)


@pytest.fixture
def other_nurse(other_site: Site) -> User:
    return member("other-nurse", Role.NURSE, site=other_site)


@pytest.fixture
def manager(site: Site) -> User:
    return member("manager", Role.MANAGER, site=site)


@pytest.fixture
def other_manager(other_site: Site) -> User:
    return member("other-manager", Role.MANAGER, site=other_site)


@pytest.fixture
def team(make_site: Callable[..., Site]) -> Site:
    """The north-east outreach team: a maraude of the evening, around Stalingrad (Paris 19e)."""
    return make_site(
        name="Maraude nord-est",
        kind=SiteKind.OUTREACH_TEAM,
        booths_injection=0,
        hours=("18:00", "23:30"),
        code_insee="75119",
        area_name="Paris 19e",
        lon=2.3690,
        lat=48.8840,
    )


@pytest.fixture
def outreach_worker(team: Site) -> User:
    return member("outreach", Role.OUTREACH, site=team)


@pytest.fixture
def coordinator(db: None) -> User:
    return member("coordinator", Role.COORDINATOR)


@pytest.fixture
def evaluator(db: None) -> User:
    return member("evaluator", Role.EVALUATOR)


@pytest.fixture
def admin_user(db: None) -> User:
    user = member("admin", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return member("outsider", None)


@pytest.fixture
def login() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def worker(transactional_db: None, tmp_path: Any) -> Any:
    """A running background worker on the test database (tests/worker.py); stopped afterwards."""
    from tests.worker import Worker

    running = Worker(tmp_path / "worker.log")
    running.start()
    yield running
    running.stop()
