"""Suppression of small counts, for evaluators and for exports that leave the network.

The rule (docs/reports.md), for counts of people and of rare clinical events:

0. **Rounding**: every such count is published rounded to the nearest multiple of 5, so that the
   difference of two published figures (two nested periods, a total and its parts) is known only
   to within ±4: it never pins a small count. Rates made from such a count are computed from its
   rounded value (``halte.reports.presentation``).
1. **Primary**: a count whose rounded value is under 10 (fewer than 8) is shown as "<10". Zero is
   masked too: showing 0 next to a masked cell would narrow it.
2. **Secondary**: a table is a grid of cells whose rows and columns may add up to published totals.
   Every masked cell must stay impossible to work out from the published cells by adding and
   subtracting along those totals. While one can (for example the only masked cell of a line whose
   total is shown), the smallest visible cell of one of its lines is masked as well. The check is
   exact linear algebra: a masked cell is recoverable when its unit vector lies in the row space of
   the totals' equations restricted to the masked cells.

Ranges remain visible by design ("<10" says 0 to 7, "15" says 13 to 17): what is prevented is an
exact count. Rounding holds only if a masked audience cannot ask for many overlapping periods: it
asks for whole months, quarters or years that are over (``halte.reports.periods``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 10
SUPPRESSED = "<10"
ROUNDING_BASE = 5

Position = tuple[int, int]


@dataclass(frozen=True)
class Grid:
    """A table with its margins: ``values[r][c]``; when ``row_totals``, the last column holds each
    row's total; when ``col_totals``, the last row holds each column's total."""

    values: Sequence[Sequence[float]]
    row_totals: bool = False
    col_totals: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0

    def lines(self) -> list[list[Position]]:
        """Each additive line as its cells, the total last."""
        rows, cols = self.shape
        lines: list[list[Position]] = []
        if self.row_totals:
            lines += [[(r, c) for c in range(cols)] for r in range(rows)]
        if self.col_totals:
            lines += [[(r, c) for r in range(rows)] for c in range(cols)]
        return lines


def round_count(value: float) -> int:
    """``value`` to the nearest multiple of ``ROUNDING_BASE``, halves up: 0–2 → 0, 3–7 → 5, 8–12 →
    10, 136 → 135, 138 → 140. Deterministic, so asking again gives the same figure, not a new
    draw to average."""
    return math.floor(value / ROUNDING_BASE + 0.5) * ROUNDING_BASE


def published_count(value: float) -> int | None:
    """A count as a masked audience reads it: rounded, or None ("<10") when that is under 10."""
    rounded = round_count(value)
    return None if rounded < THRESHOLD else rounded


def primary(grid: Grid, threshold: int = THRESHOLD) -> set[Position]:
    rows, cols = grid.shape
    return {
        (r, c)
        for r in range(rows)
        for c in range(cols)
        if grid.values[r][c] is not None and grid.values[r][c] < threshold
    }


def recoverable(grid: Grid, masked: set[Position]) -> list[Position]:
    """Masked cells whose exact value follows from the visible cells and the totals."""
    if not masked:
        return []
    order = sorted(masked)
    index = {pos: i for i, pos in enumerate(order)}
    equations = []
    for line in grid.lines():
        if not any(pos in masked for pos in line):
            continue
        row = np.zeros(len(order))
        for pos in line[:-1]:
            if pos in masked:
                row[index[pos]] += 1.0
        if line[-1] in masked:
            row[index[line[-1]]] -= 1.0
        equations.append(row)
    if not equations:
        return []
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for pos in order:
        unit = np.zeros(len(order))
        unit[index[pos]] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(pos)
    return found


def _complement(grid: Grid, cell: Position, masked: set[Position]) -> Position | None:
    """The smallest visible cell sharing a line with ``cell`` (inner cells before totals)."""
    rows, cols = grid.shape
    candidates = [
        pos
        for line in grid.lines()
        if cell in line
        for pos in line
        if pos not in masked and grid.values[pos[0]][pos[1]] is not None
    ]
    if not candidates:
        return None

    def is_total(pos: Position) -> bool:
        return (grid.row_totals and pos[1] == cols - 1) or (grid.col_totals and pos[0] == rows - 1)

    return min(candidates, key=lambda p: (is_total(p), grid.values[p[0]][p[1]], p))


def suppress(grid: Grid, threshold: int = THRESHOLD) -> set[Position]:
    """The cells to mask: the small ones, and enough others that none can be recovered."""
    masked = primary(grid, threshold)
    while True:
        exposed = recoverable(grid, masked)
        if not exposed:
            return masked
        added = False
        for cell in exposed:
            other = _complement(grid, cell, masked)
            if other is not None:
                masked.add(other)
                added = True
                break
        if not added:
            return masked
