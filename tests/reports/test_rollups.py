"""The reports read people and visits from roll-ups plus the visits recorded since their last
refresh. Whatever the refresh did (never, just now, before more visits, backdated ones included),
every figure must equal the one counted straight from the visits."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db.models import Count, Min

from halte.accounts.models import User
from halte.clients.models import Client
from halte.core.timeutils import PARIS, paris_instant
from halte.network.models import Site
from halte.reports import rollups
from halte.reports.indicators import Scope
from halte.reports.models import RollupState
from halte.reports.router import reading_replica
from halte.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = dt.timedelta(0)


def _people(n: int, site: Site, actor: User) -> list[Client]:
    return [
        Client.objects.create(
            code=f"R{i:011d}",
            birth_year=1960 + i % 30,
            sex_gender=("woman", "man", "other")[i % 3],
            registered_at_site=site,
            registered_by=actor,
        )
        for i in range(n)
    ]


def _visits(
    rng: random.Random,
    sites: list[Site],
    people: list[Client],
    actor: User,
    n: int,
    first: dt.date,
    days: int,
) -> None:
    for _ in range(n):
        day = first + dt.timedelta(days=rng.randrange(days))
        # Late evenings and the small hours: the Paris day of a visit is not its UTC day.
        at = paris_instant(day, dt.time(rng.choice([0, 1, 9, 18, 23]), rng.randrange(60)))
        Visit.objects.create(
            site=rng.choice(sites),
            client=None if rng.random() < 0.15 else rng.choice(people),
            arrived_at=at,
            left_at=at + dt.timedelta(minutes=20),
            purposes=1,
            opened_by=actor,
        )


def _truth(scope: Scope) -> dict[str, object]:
    """Every figure counted straight from the visits, with the ORM."""
    vs = Visit.objects.filter(
        site_id__in=scope.site_ids, arrived_at__gte=scope.t0, arrived_at__lt=scope.t1
    )
    known = vs.exclude(client=None)
    firsts = (
        Visit.objects.filter(site_id__in=scope.site_ids, client__isnull=False)
        .values("client_id")
        .annotate(first=Min("arrived_at"))
        .filter(first__gte=scope.t0, first__lt=scope.t1)
    )
    days: dict[dt.date, int] = {}
    for at in vs.values_list("arrived_at", flat=True):
        day = at.astimezone(PARIS).date()
        days[day] = days.get(day, 0) + 1
    profile = (
        Client.objects.filter(pk__in=known.values("client_id"))
        .values_list("sex_gender", "birth_year")
        .annotate(n=Count("*"))
    )
    return {
        "visits": (vs.count(), vs.filter(client=None).count()),
        "days": days,
        "people": known.values("client_id").distinct().count(),
        "per_site": dict(
            known.values_list("site_id").annotate(n=Count("client_id", distinct=True))
        ),
        "profile": {(sex, year): n for sex, year, n in profile},
        "new": firsts.count(),
    }


def _read(scope: Scope) -> dict[str, object]:
    with reading_replica():
        return {
            "visits": rollups.visit_counts(scope),
            "days": rollups.daily_counts(scope),
            "people": rollups.people_count(scope),
            "per_site": rollups.people_per_site(scope),
            "profile": rollups.people_profile(scope),
            "new": rollups.new_people_count(scope),
        }


def _scopes(site: Site, other_site: Site) -> list[Scope]:
    both = (site.pk, other_site.pk)
    return [
        Scope(both, dt.date(2025, 1, 1), dt.date(2025, 12, 31), network=True),  # a whole year
        Scope(both, dt.date(2024, 12, 20), dt.date(2025, 2, 10)),  # two edges, across years
        Scope((site.pk,), dt.date(2025, 2, 1), dt.date(2025, 2, 28)),  # one site, one month
        Scope((other_site.pk,), dt.date(2025, 3, 30), dt.date(2025, 3, 30)),  # a DST day
        Scope(both, dt.date(2024, 11, 1), dt.date(2025, 3, 31)),  # whole months only
    ]


def _assert_exact(scopes: list[Scope]) -> None:
    for scope in scopes:
        assert _read(scope) == _truth(scope), scope


def test_figures_are_exact_before_after_and_between_refreshes(
    site: Site, other_site: Site, reception: User
) -> None:
    rng = random.Random(7)
    people = _people(30, site, reception)
    sites = [site, other_site]
    scopes = _scopes(site, other_site)
    _visits(rng, sites, people[:20], reception, 250, dt.date(2024, 11, 1), 150)

    _assert_exact(scopes)  # never refreshed: all from the visits
    done = rollups.refresh(settle=NOW)
    assert done.visits == Visit.objects.count()
    _assert_exact(scopes)  # all from the roll-ups

    # More visits after the refresh, some backdated before what was rolled up, and new people
    # whose first visit is backdated: read from the visits on top of the roll-ups.
    _visits(rng, sites, people, reception, 80, dt.date(2024, 11, 1), 150)
    _assert_exact(scopes)
    assert rollups.refresh(settle=NOW).visits == 80
    _assert_exact(scopes)
    assert rollups.refresh(full=True, settle=NOW).visits == Visit.objects.count()
    _assert_exact(scopes)


def test_a_refresh_leaves_the_last_minute_to_the_next_one(
    site: Site, other_site: Site, reception: User
) -> None:
    # A visit being inserted while a refresh runs could get an id below a committed one: visits of
    # the last minute wait for the next refresh, and the figures stay exact meanwhile.
    rng = random.Random(3)
    _visits(rng, [site], _people(5, site, reception), reception, 20, dt.date(2025, 1, 1), 30)
    done = rollups.refresh()
    assert done.visits == 0 and RollupState.objects.get().last_visit_id == 0
    Visit.objects.filter(pk__lte=Visit.objects.order_by("pk")[9].pk).update(
        created_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
    )
    assert rollups.refresh().visits == 10
    _assert_exact(_scopes(site, other_site))


def test_the_command_refreshes_and_says_how_much(
    site: Site, other_site: Site, reception: User, capsys: pytest.CaptureFixture[str]
) -> None:
    _visits(
        random.Random(1),
        [site],
        _people(3, site, reception),
        reception,
        12,
        dt.date(2025, 5, 1),
        10,
    )
    Visit.objects.update(created_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    call_command("refresh_rollups")
    assert "12 visits folded in" in capsys.readouterr().out
    call_command("refresh_rollups", "--full")
    assert "12 visits rebuilt from" in capsys.readouterr().out
    _assert_exact(_scopes(site, other_site))


def test_a_report_reads_each_figure_once(site: Site, other_site: Site, reception: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _visits(
        random.Random(2), [site], _people(3, site, reception), reception, 9, dt.date(2025, 5, 1), 10
    )
    scope = _scopes(site, other_site)[0]

    def read(times: int) -> int:
        with CaptureQueriesContext(connection) as queries, reading_replica():
            for _ in range(times):
                rollups.people_count(scope)
                rollups.visit_counts(scope)
                rollups.daily_counts(scope)
        return len(queries)

    assert read(3) == read(1) <= 4  # the state, people, days from the roll-ups and since
