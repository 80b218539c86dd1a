"""One report, read as a whole by a masked audience (issue 23, point 5): the breakdown by sex, its
total, the file active and the share of women are published together. No masked cell may be
worked out from what else the report publishes, a cell hidden only to protect another reads
"masqué" (never a false "<10"), and a published share tells nothing the published cells do not.

The attacker is exact linear algebra over the published figures (as in ``test_suppression``):
the line's cells add up to its total, and a published share of women ``s`` adds the equation
``100 × women − s × total = 0``. A masked cell is protected while some change of the masked
figures keeps every equation true and moves it (the null space, by SVD)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.reports.indicators import REGISTRY
from halte.reports.indicators.people import sex_breakdown, women_share
from halte.reports.presentation import Shown, masked_label, present_line, publish_breakdown
from halte.reports.suppression import SUPPRESSED, round_count

SEXES = ("man", "woman", "other")


def published_report(counts: dict[str, int]) -> dict[str, Shown]:
    """The three lines as a masked audience reads them, through the one function screens, API
    and files use."""
    by_sex = sex_breakdown(counts)
    total = sum(counts.values())
    file_active = type(by_sex)(value=total, basis=total)
    return {
        "people_by_sex": present_line(REGISTRY["people_by_sex"], by_sex, suppressed=True),
        "file_active": present_line(REGISTRY["file_active"], file_active, suppressed=True),
        "share_women": present_line(REGISTRY["share_women"], women_share(counts), suppressed=True),
    }


def pinned_cells(shown: dict[str, Shown]) -> list[str]:
    """The masked figures (categories, or "total") that the published ones determine exactly."""
    line = shown["people_by_sex"]
    unknowns = [c.key for c in line.cells if c.masked]
    total = line.number if line.number is not None else shown["file_active"].number
    if total is None:
        unknowns.append("total")
    if not unknowns:
        return []
    index = {key: i for i, key in enumerate(unknowns)}
    equations: list[list[float]] = []
    row = [0.0] * len(unknowns)
    for c in line.cells:
        if c.masked:
            row[index[c.key]] += 1.0
    if "total" in index:
        row[index["total"]] -= 1.0
    equations.append(row)
    share = shown["share_women"].number
    if share is not None:
        # 100 × women − share × total = 0, over the unknowns among the two.
        row = [0.0] * len(unknowns)
        if "woman" in index:
            row[index["woman"]] += 100.0
        if "total" in index:
            row[index["total"]] -= float(share)
        equations.append(row)
    matrix = np.array(equations)
    _u, s, vt = np.linalg.svd(matrix)
    free = vt[int((s > 1e-9).sum()) :]
    return [key for key, i in index.items() if not free.size or np.abs(free[:, i]).max() < 1e-9]


counts_strategy = st.fixed_dictionaries({sex: st.integers(0, 600) for sex in SEXES})


@settings(max_examples=400, deadline=None)
@given(counts_strategy)
def test_no_masked_cell_follows_from_the_cells_shares_and_totals(counts: dict[str, int]) -> None:
    shown = published_report(counts)
    assert pinned_cells(shown) == [], (counts, shown)


@settings(max_examples=300, deadline=None)
@given(counts_strategy)
def test_a_hidden_cell_says_why_and_a_share_repeats_the_cells(counts: dict[str, int]) -> None:
    shown = published_report(counts)
    line = shown["people_by_sex"]
    for cell in line.cells:
        rounded = round_count(counts[cell.key])
        if cell.value == SUPPRESSED:
            assert rounded < 10  # "<10" is never a false statement
        elif cell.masked:
            assert cell.value == masked_label() and rounded >= 10
        else:
            assert cell.number == rounded
    # The breakdown's total and the file active are one figure, published once.
    assert line.value == shown["file_active"].value
    share = shown["share_women"]
    women = next(c for c in line.cells if c.key == "woman")
    if women.masked:
        assert share.number is None
    if share.number is not None:
        assert women.number is not None and line.number is not None
        assert share.number == 100 * women.number / line.number


def test_the_issue_s_figures_read_masque_and_give_nothing_back() -> None:
    """451 men, 87 women, 5 of another gender: the women's cell protects the small one."""
    shown = published_report({"man": 451, "woman": 87, "other": 5})
    values = {c.key: c.value for c in shown["people_by_sex"].cells}
    assert values == {"man": "450", "woman": "masqué", "other": "<10"}
    assert shown["people_by_sex"].value == "545" == shown["file_active"].value
    assert shown["share_women"].value == "masqué"


def test_publish_breakdown_tells_small_from_protecting() -> None:
    published = publish_breakdown([451, 87, 5], 543)
    assert published.values == (450, 85, 5, 545)
    assert published.small == frozenset({2}) and published.protecting == frozenset({1})
