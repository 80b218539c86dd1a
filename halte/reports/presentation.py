"""From indicator results to what a person reads: formatted numbers, "<10" where masked, and
"pas encore disponible" where an app is missing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from halte.reports.indicators import Indicator, Number, Result
from halte.reports.suppression import SUPPRESSED, THRESHOLD, Grid, suppress

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


def present_line(indicator: Indicator, result: Result, *, suppressed: bool) -> Shown:
    """The line as shown; with ``suppressed``, a sensitive figure whose basis is under 10 is
    masked, and a sensitive breakdown goes through primary and secondary suppression."""
    if not result.available:
        return _unavailable(indicator)
    mask_value = (
        suppressed
        and indicator.sensitive
        and result.value is not None
        and (result.basis is None or result.basis < THRESHOLD)
        and (result.basis is not None or float(result.value) < THRESHOLD)
    )
    cells: tuple[ShownCell, ...] = ()
    if result.cells:
        cells, mask_total = _present_cells(indicator, result, suppressed=suppressed)
        mask_value = mask_value or mask_total
    text = (
        _masked_text(indicator) if mask_value else format_number(result.value, indicator.decimals)
    )
    if result.cells and mask_value:
        text = SUPPRESSED
    return Shown(
        indicator.code,
        str(indicator.label),
        str(indicator.definition),
        str(indicator.unit),
        text,
        None if mask_value else result.value,
        cells,
        masked=mask_value,
    )


def _present_cells(
    indicator: Indicator, result: Result, *, suppressed: bool
) -> tuple[tuple[ShownCell, ...], bool]:
    values = [float(c.value or 0) for c in result.cells]
    masked: set[tuple[int, int]] = set()
    if suppressed and indicator.sensitive:
        grid = Grid([[*values, float(result.value or 0)]], row_totals=result.additive)
        masked = suppress(grid)
    shown = tuple(
        ShownCell(
            c.key,
            c.label,
            SUPPRESSED if (0, i) in masked else format_number(c.value, indicator.decimals),
            None if (0, i) in masked else c.value,
            (0, i) in masked,
        )
        for i, c in enumerate(result.cells)
    )
    return shown, (0, len(values)) in masked
