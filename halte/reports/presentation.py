"""From indicator results to what a person reads: formatted numbers, rounded to 5 and "<10" where
the audience is masked, and "pas encore disponible" where an app is missing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from halte.reports.indicators import Indicator, Number, Result
from halte.reports.indicators.base import ratio
from halte.reports.suppression import SUPPRESSED, Grid, published_count, round_count, suppress

MASKED_RATE = "masqué"


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
    available: bool = True
    masked: bool = False


def format_number(value: Number, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _unavailable(indicator: Indicator) -> Shown:
    return Shown(
        indicator.code,
        str(indicator.label),
        str(indicator.definition),
        str(indicator.unit),
        _("pas encore disponible"),
        None,
        available=False,
    )


def _masked_text(indicator: Indicator) -> str:
    return SUPPRESSED if indicator.count else MASKED_RATE


def present_line(
    indicator: Indicator, result: Result, *, suppressed: bool, fixed_period: bool = True
) -> Shown:
    """The line as shown. With ``suppressed`` (a masked audience), a sensitive figure (people,
    rare events) is published as ``halte.reports.suppression`` says: counts rounded to 5 and
    "<10" under 10, a breakdown through primary and secondary suppression, a rate remade from
    the rounded count it rests on, masked when that count is; over a period that is not fixed
    (``fixed_period`` false: the before/after windows), it is not published at all."""
    if not result.available:
        return _unavailable(indicator)
    if not (suppressed and indicator.sensitive):
        return _line(indicator, result.value, _exact_cells(indicator, result))
    if not fixed_period:
        return _line(indicator, None, (), text=MASKED_RATE)
    if result.cells:
        cells, total = _published_cells(indicator, result)
        return _line(indicator, total, cells, text=None if total is not None else SUPPRESSED)
    if result.value is None:
        return _line(indicator, None, ())
    basis = result.basis if result.basis is not None else result.value
    if published_count(float(basis)) is None:
        return _line(indicator, None, (), text=_masked_text(indicator))
    if indicator.count:
        return _line(indicator, published_count(float(result.value)), ())
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


def _published_cells(
    indicator: Indicator, result: Result
) -> tuple[tuple[ShownCell, ...], int | None]:
    """The cells and the total of a sensitive breakdown, rounded, then masked: the small ones, and
    enough others that no masked cell follows from the rest and the total."""
    values = [float(round_count(float(c.value or 0))) for c in result.cells]
    total = round_count(float(result.value or 0))
    grid = Grid([[*values, float(total)]], row_totals=result.additive)
    masked = suppress(grid)
    shown = tuple(
        ShownCell(c.key, c.label, SUPPRESSED, None, True)
        if (0, i) in masked
        else ShownCell(c.key, c.label, format_number(values[i], 0), int(values[i]))
        for i, c in enumerate(result.cells)
    )
    return shown, None if (0, len(values)) in masked else total
