"""Figures for the public transparency pages: a site's activity month by month, for anyone.

The public is the most masked audience there is. Its figures go through the reports' own
presentation (``halte.reports.presentation.present_line``) as for an evaluator, over whole months
that are over (``halte.reports.periods``), with one thing stricter: every count is treated as
sensitive, so that no cell under the threshold ever reaches a public page, whatever it counts
(a handful of visits in a month is as telling as a handful of people)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from halte.core.timeutils import local_today
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.reports.indicators import REGISTRY, Area, Indicator, Scope
from halte.reports.periods import last_closed_month, month_end
from halte.reports.presentation import Shown, present_line
from halte.reports.router import reading_replica

# What a site's public page shows of its activity (documented in docs/reports.md).
ACTIVITY = ("visits", "file_active", "material_given")
CONSUMPTION = ("sessions",)
# What the public page shows of the site's surroundings.
SURROUNDINGS = ("pickups_items", "neighbourhood_reports", "public_consumption_seen")
PUBLIC_MONTHS = 6
PUBLIC_CACHE_SECONDS = 3600
# Which sites are public is the network's rule (``halte.network.publication.published_sites``).


@dataclass(frozen=True)
class PublicMonth:
    month: dt.date
    figures: tuple[Shown, ...]


@dataclass(frozen=True)
class PublicTable:
    """Months as rows (latest first), indicators as columns."""

    columns: tuple[str, ...]
    units: tuple[str, ...]
    months: tuple[PublicMonth, ...]


def public_indicator(indicator: Indicator) -> Indicator:
    """The indicator as the public reads it: a count is masked under the threshold and rounded,
    whatever it counts."""
    return dataclasses.replace(indicator, sensitive=True) if indicator.count else indicator


def closed_months(count: int, *, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last ``count`` months that are over, latest first."""
    cursor = last_closed_month(today or local_today())
    months = []
    for _i in range(count):
        months.append(cursor)
        cursor = last_closed_month(cursor)
    return months


def site_codes(site: Site) -> tuple[str, ...]:
    """The activity figures that mean something for this site."""
    with_room = site.kind == SiteKind.HSA or bool(site.allowed_routes())
    return ACTIVITY + (CONSUMPTION if with_room else ())


def monthly_table(
    site_ids: tuple[int, ...],
    codes: Sequence[str],
    *,
    months: int = PUBLIC_MONTHS,
    label: str = "",
    today: dt.date | None = None,
    area: Area | None = None,
    public: bool = True,
    suppressed: bool = True,
) -> PublicTable:
    """Each of ``codes`` over each of the last ``months`` closed months, as the public reads them
    (``public``), or as a member of staff does (masked or not, as ``suppressed`` says)."""
    indicators = [public_indicator(REGISTRY[c]) if public else REGISTRY[c] for c in codes]
    masked = suppressed or public
    rows = []
    with reading_replica():
        for first in closed_months(months, today=today):
            scope = Scope(site_ids, first, month_end(first), label=label, area=area)
            rows.append(
                PublicMonth(
                    first,
                    tuple(
                        present_line(i, i.evaluate(scope), suppressed=masked, fixed_period=True)
                        for i in indicators
                    ),
                )
            )
    return PublicTable(
        tuple(str(i.label) for i in indicators), tuple(str(i.unit) for i in indicators), tuple(rows)
    )


def _cached(key: str, today: dt.date, build: Callable[[], PublicTable]) -> PublicTable:
    """A public table kept for an hour: the months shown are over, and a public page is read by
    anyone, so it is not recomputed for every reader (a late entry shows within the hour)."""
    full_key = f"halte:public:{key}:{get_language()}:{today.isoformat()}"
    found = cache.get(full_key)
    if isinstance(found, PublicTable):
        return found
    table = build()
    cache.set(full_key, table, PUBLIC_CACHE_SECONDS)
    return table


def site_activity(site: Site, *, today: dt.date | None = None) -> PublicTable:
    day = today or local_today()
    return _cached(
        f"activity:{site.pk}",
        day,
        lambda: monthly_table((site.pk,), site_codes(site), label=site.name, today=day),
    )


def surroundings_activity(site: Site, area: Area, *, today: dt.date | None = None) -> PublicTable:
    """The site's surroundings month by month, as the public reads them."""
    day = today or local_today()
    area_key = f"{area.lon:.6f},{area.lat:.6f},{area.radius_m},{','.join(area.iris_codes)}"
    return _cached(
        f"surroundings:{site.pk}:{hashlib.sha256(area_key.encode()).hexdigest()[:16]}",
        day,
        lambda: monthly_table(
            (site.pk,), SURROUNDINGS, label=site.name, today=day, area=area, public=True
        ),
    )
