"""Small counts: every cell under 10 is masked, and no masked cell can be worked out from the
published cells and totals (checked by an independent computation of the table's freedom)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.reports.indicators import REGISTRY, Cell, Result
from halte.reports.presentation import present_line
from halte.reports.suppression import Grid, suppress


def with_margins(inner: list[list[int]]) -> list[list[float]]:
    rows = [[*map(float, row), float(sum(row))] for row in inner]
    totals = [float(sum(col)) for col in zip(*rows, strict=True)]
    return [*rows, totals]


def free_directions(grid: Grid, masked: set[tuple[int, int]]) -> np.ndarray:
    """A basis of the changes to masked cells that keep every published total true (the null
    space of the totals' equations, by SVD)."""
    order = sorted(masked)
    rows = []
    for line in grid.lines():
        row = [0.0] * len(order)
        for pos in line[:-1]:
            if pos in masked:
                row[order.index(pos)] += 1
        if line[-1] in masked:
            row[order.index(line[-1])] -= 1
        rows.append(row)
    matrix = np.array(rows or [[0.0] * len(order)])
    _u, s, vt = np.linalg.svd(matrix)
    rank = int((s > 1e-9).sum())
    return vt[rank:]


def assert_protected(grid: Grid, masked: set[tuple[int, int]]) -> None:
    order = sorted(masked)
    directions = free_directions(grid, masked)
    for i, pos in enumerate(order):
        # A masked cell that no admissible change can move is known exactly.
        assert directions.size and np.abs(directions[:, i]).max() > 1e-9, pos


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 60), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_two_way_tables_with_totals_hide_every_small_cell(inner: list[list[int]]) -> None:
    grid = Grid(with_margins(inner), row_totals=True, col_totals=True)
    masked = suppress(grid)
    values = grid.values
    small = {(r, c) for r, row in enumerate(values) for c, v in enumerate(row) if v < 10}
    assert small <= masked
    assert_protected(grid, masked)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=8))
def test_a_breakdown_and_its_total_never_reveal_the_masked_cell(values: list[int]) -> None:
    grid = Grid([[*map(float, values), float(sum(values))]], row_totals=True)
    masked = suppress(grid)
    assert {(0, i) for i, v in enumerate(values) if v < 10} <= masked
    assert_protected(grid, masked)
    # Cells of 10 or more are only masked to protect a smaller one.
    if all(v >= 10 for v in values):
        assert masked == set()


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    grid = Grid([[4.0, 300.0, 25.0, 329.0]], row_totals=True)
    assert suppress(grid) == {(0, 0), (0, 2)}


def test_a_report_line_shows_less_than_ten_and_keeps_the_total_useless() -> None:
    indicator = REGISTRY["people_by_sex"]
    cells = (Cell("man", "Homme", 120), Cell("woman", "Femme", 30), Cell("other", "Autre", 3))
    shown = present_line(indicator, Result(value=153, cells=cells), suppressed=True)
    by_key = {c.key: c.value for c in shown.cells}
    assert by_key["other"] == "<10"
    # The secondary cell (155 - 120 would give 33–37 otherwise) says it is hidden, not small.
    assert by_key["woman"] == "masqué"
    assert by_key["man"] == "120" and shown.value == "155"  # published rounded to 5
    exact = present_line(indicator, Result(value=153, cells=cells), suppressed=False)
    assert [c.value for c in exact.cells] == ["120", "30", "3"]


def test_a_small_share_is_masked_not_shown_as_a_percentage() -> None:
    shown = present_line(REGISTRY["share_women"], Result(value=4.0, basis=4), suppressed=True)
    assert shown.value == "masqué" and shown.number is None
