"""From indicator results to what a person reads: formatted numbers, rounded to 5 and "<10" where
the audience is masked, "masqué" where a figure is hidden to protect another, and "pas encore
disponible" where an app is missing.

``present_line`` is the one function that decides what a masked audience reads: the report
screens, the dashboards, the API and the CSV and XLSX files all go through it
(docs/reports.md, "Small counts")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from halte.reports.indicators import Indicator, Number, Result
from halte.reports.indicators.base import ratio
from halte.reports.suppression import (
    SUPPRESSED,
    Grid,
    primary,
    published_count,
    round_count,
    suppress,
)


def masked_label() -> str:
    """What a figure hidden to protect another one reads (a cell hidden so that a total does not
    give back a small one, a share of a hidden cell, a rate on a masked count): never "<10", which
    would state a false value."""
    return _("masqué")


@dataclass(frozen=True)
class ShownCell:
    key: str
    label: str
    value: str
    number: Number  # None when masked
    masked: bool = False


@dataclass(frozen=True)
class Shown:
    """One line of a report as shown: the value as text, the number behind it unless masked."""

    code: str
    label: str
    definition: str
    unit: str
    value: str
    number: Number
    cells: tuple[ShownCell, ...] = ()
    masked: bool = False


def format_number(value: Number, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _masked_text(indicator: Indicator) -> str:
    return SUPPRESSED if indicator.count else masked_label()


def present_line(
    indicator: Indicator, result: Result, *, suppressed: bool, fixed_period: bool = True
) -> Shown:
    """The line as shown. With ``suppressed`` (a masked audience), a sensitive figure (people,
    rare events) is published as ``halte.reports.suppression`` says: counts rounded to 5 and
    "<10" under 10, a breakdown through primary and secondary suppression, a rate remade from
    the rounded count it rests on, masked when that count is; over a period that is not fixed
    (``fixed_period`` false: the before/after windows), it is not published at all."""
    if not (suppressed and indicator.sensitive):
        return _line(indicator, result.value, _exact_cells(indicator, result))
    if not fixed_period:
        return _line(indicator, None, (), text=masked_label())
    if result.cells:
        cells, total, total_text = _published_cells(result)
        return _line(indicator, total, cells, text=total_text)
    if result.value is None:
        return _line(indicator, None, ())
    basis = result.basis if result.basis is not None else result.value
    if published_count(float(basis)) is None:
        return _line(indicator, None, (), text=_masked_text(indicator))
    if indicator.count:
        return _line(indicator, published_count(float(result.value)), ())
    if result.whole:
        share = _published_share(result)
        if share is None:
            return _line(indicator, None, (), text=masked_label())
        return _line(indicator, share, ())
    return _line(indicator, _published_rate(result), ())


def _line(
    indicator: Indicator,
    number: Number,
    cells: tuple[ShownCell, ...],
    *,
    text: str | None = None,
) -> Shown:
    return Shown(
        indicator.code,
        str(indicator.label),
        str(indicator.definition),
        str(indicator.unit),
        text if text is not None else format_number(number, indicator.decimals),
        None if text is not None else number,
        cells,
        masked=text is not None,
    )


def _published_rate(result: Result) -> Number:
    """A rate as a masked audience reads it: remade from the rounded value of its sensitive parts,
    so it carries nothing more than they do."""
    part = result.fraction
    if part is None:
        return result.value
    numerator = published_count(part.numerator) if part.sensitive_numerator else part.numerator
    denominator = (
        published_count(part.denominator) if part.sensitive_denominator else part.denominator
    )
    return ratio(numerator, denominator, part.scale)


def _exact_cells(indicator: Indicator, result: Result) -> tuple[ShownCell, ...]:
    return tuple(
        ShownCell(c.key, c.label, format_number(c.value, indicator.decimals), c.value)
        for c in result.cells
    )


@dataclass(frozen=True)
class PublishedBreakdown:
    """A breakdown as a masked audience reads it: the rounded cells and total (the total last),
    the positions shown "<10" (``small``: primary suppression) and those hidden only to protect
    them (``protecting``: secondary suppression, shown "masqué")."""

    values: tuple[int, ...]
    small: frozenset[int]
    protecting: frozenset[int]

    def hidden(self, index: int) -> bool:
        return index in self.small or index in self.protecting


def publish_breakdown(
    values: Sequence[Number], total: Number, *, additive: bool = True
) -> PublishedBreakdown:
    """Round each cell and the total to 5, then mask: the cells under 10, and enough others that
    no masked cell follows from the rest and the total (``halte.reports.suppression``)."""
    rounded = [round_count(float(v or 0)) for v in values]
    rounded_total = round_count(float(total or 0))
    grid = Grid([[*map(float, rounded), float(rounded_total)]], row_totals=additive)
    masked = suppress(grid)
    small = {c for _r, c in primary(grid)}
    return PublishedBreakdown(
        (*rounded, rounded_total),
        frozenset(small),
        frozenset(c for _r, c in masked if c not in small),
    )


def _published_share(result: Result) -> float | None:
    """A share of one category of a breakdown, for a masked audience: masked with the category's
    cell (or the total), otherwise made from the published cell and total, so that it tells
    nothing they do not."""
    keys = [c.key for c in result.whole]
    if result.part not in keys:
        return None
    values = [c.value for c in result.whole]
    published = publish_breakdown(values, sum(float(v or 0) for v in values))
    index, total = keys.index(result.part), len(keys)
    if published.hidden(index) or published.hidden(total):
        return None
    return ratio(published.values[index], published.values[total], 100)


def _published_cells(result: Result) -> tuple[tuple[ShownCell, ...], int | None, str | None]:
    """The cells, the total and the total's text when hidden, of a sensitive breakdown."""
    published = publish_breakdown(
        [c.value for c in result.cells], result.value, additive=result.additive
    )

    def text(index: int) -> str | None:
        if index in published.small:
            return SUPPRESSED
        return masked_label() if index in published.protecting else None

    shown = tuple(
        ShownCell(c.key, c.label, hidden, None, True)
        if (hidden := text(i)) is not None
        else ShownCell(c.key, c.label, format_number(published.values[i], 0), published.values[i])
        for i, c in enumerate(result.cells)
    )
    total_index = len(result.cells)
    total_text = text(total_index)
    return shown, None if total_text else published.values[total_index], total_text
