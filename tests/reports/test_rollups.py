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
from halte.care.models import CatalogueItem, Distribution, DistributionLine
from halte.clients.models import Client
from halte.core.timeutils import paris_date, paris_instant
from halte.network.models import Site
from halte.reports import rollups
from halte.reports.indicators import Scope
from halte.reports.models import DailyMaterial, RollupState, SyringePresence
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
            # A handful of combinations, so that a site-day holds several.
            purposes=rng.choice([0, 1, 3, 6, 17, 130, 255]),
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
        day = paris_date(at)
        days[day] = days.get(day, 0) + 1
    masks: dict[int, int] = {}
    for mask in vs.values_list("purposes", flat=True):
        masks[mask] = masks.get(mask, 0) + 1
    profile = (
        Client.objects.filter(pk__in=known.values("client_id"))
        .values_list("sex_gender", "birth_year")
        .annotate(n=Count("*"))
    )
    return {
        "visits": (vs.count(), vs.filter(client=None).count()),
        "days": days,
        "purposes": masks,
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
            "purposes": rollups.purpose_counts(scope),
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
    assert "12 visits and 0 distributions folded in" in capsys.readouterr().out
    call_command("refresh_rollups", "--full")
    assert "12 visits and 0 distributions rebuilt from" in capsys.readouterr().out
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


# ------------------------------------------------------------------------------ material given


def _catalogue() -> list[CatalogueItem]:
    """The seeded catalogue's versions in service, plus an older version of a kit that counted
    one syringe fewer (past lines keep the version they gave) and a brought-back item."""
    items = list(CatalogueItem.objects.filter(is_active=True))
    kit = next(i for i in items if i.syringe_equivalents > 1)
    items.append(
        CatalogueItem.objects.create(
            code=kit.code,
            version=kit.version + 50,
            label=kit.label,
            category=kit.category,
            is_kit=True,
            syringe_equivalents=kit.syringe_equivalents - 1,
            is_active=False,
        )
    )
    assert any(i.collected for i in items) and any(not i.collected for i in items)
    return items


def _distributions(
    rng: random.Random,
    sites: list[Site],
    people: list[Client],
    actor: User,
    catalogue: list[CatalogueItem],
    n: int,
    first: dt.date,
    days: int,
) -> None:
    """Material given at the desk on visits (identified or anonymous) and in bulk (no visit),
    at hours whose Paris day is not their UTC day."""
    for _ in range(n):
        day = first + dt.timedelta(days=rng.randrange(days))
        at = paris_instant(day, dt.time(rng.choice([0, 1, 10, 23]), rng.randrange(60)))
        site = rng.choice(sites)
        visit = None
        if rng.random() < 0.8:
            visit = Visit.objects.create(
                site=site,
                client=None if rng.random() < 0.2 else rng.choice(people),
                arrived_at=at,
                left_at=at + dt.timedelta(minutes=10),
                purposes=1,
                opened_by=actor,
            )
        given = Distribution.objects.create(site=site, visit=visit, given_at=at, recorded_by=actor)
        for item in rng.sample(catalogue, rng.randint(1, 3)):
            if any(line.item == item.code for line in given.lines.all()):
                continue
            quantity = rng.randint(1, 6)
            DistributionLine.objects.create(
                distribution=given,
                item=item.code,
                catalogue_item=item,
                quantity=quantity,
                syringe_equivalents=quantity * item.syringe_equivalents,
            )


def _material_truth(scope: Scope) -> tuple[dict[tuple[str, bool], rollups.Given], int]:
    """The material figures summed line by line in Python, and the people given syringes."""
    figures: dict[tuple[str, bool], rollups.Given] = {}
    takers: set[int] = set()
    lines = DistributionLine.objects.filter(
        distribution__site_id__in=scope.site_ids,
        distribution__given_at__gte=scope.t0,
        distribution__given_at__lt=scope.t1,
    ).select_related("distribution__visit", "catalogue_item")
    for line in lines:
        collected = bool(line.catalogue_item and line.catalogue_item.collected)
        visit = line.distribution.visit
        known = visit is not None and visit.client_id is not None
        before = figures.get((line.item, collected), rollups.Given(0, 0, 0))
        figures[(line.item, collected)] = rollups.Given(
            before.units + line.quantity,
            before.syringes + line.syringe_equivalents,
            before.known_syringes + (line.syringe_equivalents if known else 0),
        )
        if known and not collected and line.syringe_equivalents > 0:
            assert visit is not None
            takers.add(int(visit.client_id))
    return figures, len(takers)


def _assert_material_exact(scopes: list[Scope]) -> None:
    for scope in scopes:
        with reading_replica():
            read = (rollups.material_given(scope), rollups.syringe_people_count(scope))
        assert read == _material_truth(scope), scope


def test_material_figures_are_exact_before_after_and_between_refreshes(
    site: Site, other_site: Site, reception: User
) -> None:
    rng = random.Random(11)
    people = _people(25, site, reception)
    catalogue = _catalogue()
    sites = [site, other_site]
    scopes = _scopes(site, other_site)
    _distributions(rng, sites, people[:15], reception, catalogue, 120, dt.date(2024, 11, 1), 150)

    _assert_material_exact(scopes)  # never refreshed: all from the lines
    done = rollups.refresh(settle=NOW)
    assert done.distributions == Distribution.objects.count() > 0
    assert DailyMaterial.objects.exists() and SyringePresence.objects.exists()
    _assert_material_exact(scopes)  # all from the roll-ups

    # More after the refresh, some backdated into months already rolled up, to new people.
    _distributions(rng, sites, people, reception, catalogue, 50, dt.date(2024, 11, 1), 150)
    _assert_material_exact(scopes)
    assert rollups.refresh(settle=NOW).distributions == 50
    _assert_material_exact(scopes)
    assert rollups.refresh(full=True, settle=NOW).distributions == Distribution.objects.count()
    _assert_material_exact(scopes)


def test_material_of_the_last_minute_waits_for_the_next_refresh(
    site: Site, other_site: Site, reception: User
) -> None:
    rng = random.Random(5)
    people = _people(4, site, reception)
    _distributions(rng, [site], people, reception, _catalogue(), 12, dt.date(2025, 2, 1), 20)
    assert rollups.refresh().distributions == 0
    assert RollupState.objects.get().last_distribution_id == 0
    _assert_material_exact(_scopes(site, other_site))
