"""The indicator registry: each indicator is defined once (a code, a label, a definition a person can
read, the models it needs, and its query) and every report reuses it.

An indicator's query takes a :class:`Scope` (a set of sites and a period) and returns a
:class:`Result`: one number, or a breakdown into categories. Queries are aggregates computed by the
database (``COUNT``, ``SUM``, ``GROUP BY``); Python only combines the handful of rows they return.

Each result says how small a group of people it could reveal (``basis``), which the suppression of
small counts uses (``halte.reports.suppression``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from halte.core.timeutils import paris_instant

Number = int | float | None


@dataclass(frozen=True)
class Area:
    """A piece of the city around a site: a radius around a point, or a list of IRIS (labels of
    the bundled layer). Only the neighbourhood's indicators read it (what happens in the streets
    is counted where it happened, not by who recorded it)."""

    lon: float
    lat: float
    radius_m: int = 300
    iris_codes: tuple[str, ...] = ()

    @property
    def by_iris(self) -> bool:
        return bool(self.iris_codes)


@dataclass(frozen=True)
class Scope:
    """Sites and a period (both ends included, Paris dates). ``network`` marks the whole network,
    where people are counted once whatever the number of sites they went to. ``area``, when set,
    makes the neighbourhood's indicators count what happened in that area rather than what the
    sites' teams recorded."""

    site_ids: tuple[int, ...]
    start: dt.date
    end: dt.date
    network: bool = False
    label: str = ""
    area: Area | None = None

    @property
    def t0(self) -> dt.datetime:
        return paris_instant(self.start, dt.time(0, 0))

    @property
    def t1(self) -> dt.datetime:
        return paris_instant(self.end + dt.timedelta(days=1), dt.time(0, 0))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def year_share(self, year: int) -> float:
        """The share of ``year`` the period covers (funding of a year is spread over its days)."""
        first = max(self.start, dt.date(year, 1, 1))
        last = min(self.end, dt.date(year, 12, 31))
        length = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        return max((last - first).days + 1, 0) / length


@dataclass(frozen=True)
class Cell:
    """One category of a breakdown."""

    key: str
    label: str
    value: Number
    basis: int | None = None


@dataclass(frozen=True)
class Fraction:
    """How a rate is made: ``numerator × scale / denominator``. A part marked sensitive counts
    people or rare events: for a masked audience the rate is remade from that part as published
    (rounded), so that it tells nothing the rounded count does not (with the exact part,
    overdoses per 1,000 sessions times the published sessions would give the overdoses)."""

    numerator: float
    denominator: float
    scale: float = 1.0
    sensitive_numerator: bool = False
    sensitive_denominator: bool = False


@dataclass(frozen=True)
class Result:
    """A number (``value``) or a breakdown (``cells``, whose values add up to ``value`` when
    ``additive``). ``basis`` is the smallest count of people the figure could reveal (the count
    itself for a count of people; the smaller side for a share); None when it reveals none.
    ``fraction`` says how a rate built on such a count is made. A share of one category of a
    breakdown carries that breakdown (``whole``) and the category (``part``): for a masked
    audience it is published only when the category's cell is, and from the published cells,
    so that the share never gives back a cell the breakdown hides."""

    value: Number = None
    cells: tuple[Cell, ...] = ()
    basis: int | None = None
    additive: bool = True
    fraction: Fraction | None = None
    whole: tuple[Cell, ...] = ()
    part: str = ""

    @property
    def is_breakdown(self) -> bool:
        return bool(self.cells)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    definition: str | Promise
    group: str
    unit: str | Promise
    compute: Callable[[Scope], Result]
    requires: tuple[str, ...] = ()
    # Counts people or rare clinical events: under 10, the figure is masked for those who only see
    # suppressed reports.
    sensitive: bool = False
    breakdown: bool = False
    decimals: int = 0
    # A count shows "<10" when masked; a share, mean or median shows "masqué".
    count: bool = True

    @property
    def app(self) -> str:
        return self.requires[0].split(".")[0] if self.requires else "network"

    def evaluate(self, scope: Scope) -> Result:
        return self.compute(scope)


REGISTRY: dict[str, Indicator] = {}


def register(indicators: Iterable[Indicator]) -> None:
    for indicator in indicators:
        if indicator.code in REGISTRY:
            raise ValueError(f"indicator {indicator.code} defined twice")
        REGISTRY[indicator.code] = indicator


def as_number(value: object) -> Number:
    """Database aggregates come back as int, float, Decimal or None: keep int and float."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    raise TypeError(f"not a number: {value!r}")


def ratio(numerator: Number, denominator: Number, scale: float = 1.0) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) * scale / float(denominator)


def cells_from(
    rows: Iterable[tuple[str, Number]],
    labels: Mapping[str, object],
    *,
    sensitive_basis: bool = False,
    keep_zero: bool = True,
) -> tuple[Cell, ...]:
    """Cells in the order of ``labels`` (every category shown, zeros included)."""
    found = dict(rows)
    keys = list(labels) + [k for k in found if k not in labels]
    return tuple(
        Cell(
            key=key,
            label=str(labels.get(key, key)),
            value=found.get(key, 0),
            basis=int(found.get(key, 0) or 0) if sensitive_basis else None,
        )
        for key in keys
        if keep_zero or found.get(key)
    )


def breakdown(cells: tuple[Cell, ...], *, additive: bool = True) -> Result:
    total = float(sum(float(c.value or 0) for c in cells))
    value: Number = int(total) if total.is_integer() else total
    return Result(value=value, cells=cells, additive=additive)
