"""Rounding survives differencing: the rules behind the masked figures, without the database.

A masked audience reads counts of people and rare events rounded to 5 ("<10" when the rounded value
is under 10), over whole months, quarters or years that are over. Whatever two nested periods it
subtracts, and whatever sum of months it sets against their quarter, a small count stays a range."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.core.errors import DomainError
from halte.reports.indicators import REGISTRY, Fraction, Result
from halte.reports.periods import calendar_unit, check_masked_period
from halte.reports.presentation import present_line
from halte.reports.suppression import ROUNDING_BASE, published_count, round_count

TODAY = dt.date(2026, 5, 14)


def could_be(published: int | None) -> range:
    """Every true count a published figure may stand for."""
    if published is None:  # "<10": rounds under 10
        return range(0, 8)
    return range(published - 2, published + 3)


def test_counts_round_to_five_and_under_ten_are_masked() -> None:
    assert [round_count(n) for n in (0, 2, 3, 7, 8, 12, 13, 136, 138)] == [
        0,
        0,
        5,
        5,
        10,
        10,
        15,
        135,
        140,
    ]
    assert [published_count(n) for n in (0, 7, 8, 12, 138)] == [None, None, 10, 10, 140]
    assert all(n in could_be(published_count(n)) for n in range(500))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 4))
def test_the_difference_of_nested_periods_is_never_pinned(month: int, only_earlier: int) -> None:
    """People of a quarter = people of its last month + people seen only earlier in it: the
    published pair leaves at least five possible differences, the true one among them."""
    quarter = month + only_earlier
    p_month, p_quarter = published_count(month), published_count(quarter)
    for p in (p_month, p_quarter):
        assert p is None or p % ROUNDING_BASE == 0
    candidates = {
        q - m for m in could_be(p_month) for q in could_be(p_quarter) if q >= m
    }  # a quarter has at least the people of its month
    assert only_earlier in candidates and len(candidates) >= 5


def test_a_quarter_and_its_months_never_pin_a_masked_month() -> None:
    """Events add up: overdoses of a quarter = those of its three months. For month counts up to
    39, the four published figures leave every masked month at least two possible values.
    (With "<10" meaning "under 10 exactly" and rounding above, 9 could be pinned: 43–47 less
    10–12 less 18–22 leaves only 9.)"""
    top = 40
    seen: dict[tuple[int | None, ...], list[tuple[int, ...]]] = {}
    for months in itertools.product(range(top), repeat=3):
        published = (*map(published_count, months), published_count(sum(months)))
        seen.setdefault(published, []).append(months)
    for published, consistent in seen.items():
        if any(p is not None and p + 2 >= top for p in published[:3]):
            continue  # a month the enumeration cuts short: its true range is wider
        for i in range(3):
            values = {months[i] for months in consistent}
            if published[i] is None:
                assert len(values) >= 2, (published, i, values)


def test_fixed_periods_are_whole_months_quarters_and_years() -> None:
    d = dt.date
    assert calendar_unit(d(2025, 2, 1), d(2025, 2, 28)) == "month"
    assert calendar_unit(d(2024, 2, 1), d(2024, 2, 29)) == "month"
    assert calendar_unit(d(2025, 4, 1), d(2025, 6, 30)) == "quarter"
    assert calendar_unit(d(2025, 1, 1), d(2025, 12, 31)) == "year"
    for start, end in [
        (d(2025, 3, 1), d(2025, 3, 15)),  # half a month
        (d(2025, 3, 2), d(2025, 3, 31)),
        (d(2025, 2, 1), d(2025, 4, 30)),  # three months, not a quarter
        (d(2025, 1, 1), d(2025, 6, 30)),  # a half-year
        (d(2025, 7, 1), d(2026, 6, 30)),  # twelve months, not a calendar year
    ]:
        assert calendar_unit(start, end) is None
        with pytest.raises(DomainError, match="un mois, un trimestre ou une année"):
            check_masked_period(start, end, today=TODAY)


def test_a_fixed_period_must_be_over() -> None:
    check_masked_period(dt.date(2026, 4, 1), dt.date(2026, 4, 30), today=TODAY)
    with pytest.raises(DomainError, match="terminée") as refused:
        check_masked_period(dt.date(2026, 5, 1), dt.date(2026, 5, 31), today=TODAY)
    assert refused.value.field == "end"
    with pytest.raises(DomainError, match="terminée"):
        check_masked_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), today=TODAY)


@settings(max_examples=200, deadline=None)
@given(st.integers(10, 400), st.integers(200, 50_000))
def test_a_rate_tells_no_more_than_the_rounded_count(overdoses: int, sessions: int) -> None:
    """Overdoses per 1,000 sessions, times the published sessions, would give the overdoses back:
    a masked audience gets the rate of the rounded count."""
    result = Result(
        value=overdoses * 1000 / sessions,
        basis=overdoses,
        fraction=Fraction(overdoses, sessions, 1000, sensitive_numerator=True),
    )
    # Overdoses are published exactly (a safety event); the rule is checked on the same rate as
    # if it rested on a masked count, which is how every sensitive rate is made.
    masked_rate = replace(REGISTRY["overdoses_per_1000"], sensitive=True)
    shown = present_line(masked_rate, result, suppressed=True)
    assert shown.number is not None
    recovered = float(shown.number) * sessions / 1000
    assert recovered == pytest.approx(round_count(overdoses))
    exact = present_line(REGISTRY["overdoses_per_1000"], result, suppressed=False)
    assert exact.number == pytest.approx(overdoses * 1000 / sessions)


def test_a_share_is_made_of_rounded_counts_and_masked_below_ten() -> None:
    indicator = REGISTRY["share_women"]
    fraction = Fraction(12, 138, 100, sensitive_numerator=True, sensitive_denominator=True)
    shown = present_line(
        indicator, Result(value=100 * 12 / 138, basis=12, fraction=fraction), suppressed=True
    )
    assert shown.number == pytest.approx(100 * 10 / 140)  # not 8.7 %, which gives 12 back
    few = Fraction(7, 138, 100, sensitive_numerator=True, sensitive_denominator=True)
    masked = present_line(
        indicator, Result(value=100 * 7 / 138, basis=7, fraction=few), suppressed=True
    )
    assert masked.value == "masqué" and masked.number is None
