"""'Open now' in Paris time: across midnight, across daylight-saving changes, with dated changes
and exceptions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from halte.core.timeutils import PARIS, UTC
from halte.network.hours import Exception_, Span, open_state, weekly_open_hours

SINCE = dt.date(2020, 1, 1)


def paris(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


def every_day(opens: str, closes: str, **kw: object) -> list[Span]:
    return [
        Span(d, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes), SINCE, **kw)  # type: ignore[arg-type]
        for d in range(7)
    ]


def test_day_span_open_and_closed_at_edges() -> None:
    spans = every_day("13:30", "20:30")
    assert not open_state(paris(2026, 11, 27, 13, 29), spans).is_open
    assert open_state(paris(2026, 11, 27, 13, 30), spans).is_open
    assert open_state(paris(2026, 11, 27, 20, 29), spans).is_open
    assert not open_state(paris(2026, 11, 27, 20, 30), spans).is_open


def test_open_state_says_until_when_and_next_opening() -> None:
    spans = every_day("13:30", "20:30")
    state = open_state(paris(2026, 11, 27, 15, 0), spans)
    assert state.until == paris(2026, 11, 27, 20, 30)
    closed = open_state(paris(2026, 11, 27, 21, 0), spans)
    assert closed.next_opening == paris(2026, 11, 28, 13, 30)


def test_span_past_midnight_is_open_after_midnight_of_the_next_day() -> None:
    # Open Fridays only, 22:00 to 06:00: Saturday 03:00 is open, Sunday 03:00 is not.
    spans = [Span(4, dt.time(22), dt.time(6), SINCE)]
    assert open_state(paris(2026, 11, 27, 23, 0), spans).is_open  # Friday night
    assert open_state(paris(2026, 11, 28, 3, 0), spans).is_open  # Saturday early
    assert not open_state(paris(2026, 11, 28, 6, 0), spans).is_open
    assert not open_state(paris(2026, 11, 29, 3, 0), spans).is_open  # Sunday early
    assert not open_state(paris(2026, 11, 26, 23, 0), spans).is_open  # Thursday night


def test_closing_at_midnight_and_24_hours() -> None:
    assert open_state(paris(2026, 11, 27, 23, 59), every_day("20:00", "00:00")).is_open
    assert not open_state(
        paris(2026, 11, 28, 0, 0), [Span(4, dt.time(20), dt.time(0), SINCE)]
    ).is_open
    always = every_day("00:00", "00:00")
    assert open_state(paris(2026, 11, 27, 3, 0), always).is_open
    assert open_state(paris(2026, 11, 27, 23, 59), always).is_open


def test_night_span_across_spring_forward_lasts_one_hour_less() -> None:
    # 29 March 2026: clocks go from 02:00 to 03:00. A 22:00–06:00 night is 7 real hours.
    spans = every_day("22:00", "06:00")
    night_start = paris(2026, 3, 28, 22, 0)
    state = open_state(night_start, spans)
    assert state.is_open
    assert state.until is not None
    assert state.until - night_start.astimezone(UTC) == dt.timedelta(hours=7)
    assert open_state(dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), spans).is_open  # 03:30 CEST
    assert not open_state(dt.datetime(2026, 3, 29, 4, 0, tzinfo=UTC), spans).is_open  # 06:00 CEST


def test_night_span_across_fall_back_lasts_one_hour_more() -> None:
    # 25 October 2026: clocks go from 03:00 back to 02:00. The night is 9 real hours.
    spans = every_day("22:00", "06:00")
    start = paris(2026, 10, 24, 22, 0)
    state = open_state(start, spans)
    assert state.until is not None
    assert state.until - start.astimezone(UTC) == dt.timedelta(hours=9)
    # Both 02:30s of that night are inside the span.
    assert open_state(dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), spans).is_open
    assert open_state(dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), spans).is_open


def test_day_span_on_the_day_of_the_change_uses_local_time() -> None:
    # 13:30 Paris on the first summer day is 11:30 UTC, the day before it was 12:30 UTC.
    spans = every_day("13:30", "20:30")
    assert open_state(dt.datetime(2026, 3, 29, 11, 30, tzinfo=UTC), spans).is_open
    assert not open_state(dt.datetime(2026, 3, 28, 11, 30, tzinfo=UTC), spans).is_open


def test_exception_closes_a_day_and_another_changes_its_hours() -> None:
    spans = every_day("13:30", "20:30")
    closed = [Exception_(dt.date(2026, 12, 25), closed=True)]
    assert not open_state(paris(2026, 12, 25, 15, 0), spans, closed).is_open
    assert open_state(paris(2026, 12, 26, 15, 0), spans, closed).is_open
    late = [Exception_(dt.date(2026, 12, 31), closed=False, opens=dt.time(18), closes=dt.time(2))]
    assert not open_state(paris(2026, 12, 31, 15, 0), spans, late).is_open
    assert open_state(paris(2027, 1, 1, 1, 0), spans, late).is_open


def test_exception_on_the_day_before_does_not_cut_a_night_that_is_not_its_own() -> None:
    spans = every_day("22:00", "06:00")
    # Closed on the 24th: the night starting on the 24th is gone, the one from the 23rd ends at 06:00.
    closed = [Exception_(dt.date(2026, 12, 24), closed=True)]
    assert open_state(paris(2026, 12, 24, 5, 0), spans, closed).is_open
    assert not open_state(paris(2026, 12, 24, 23, 0), spans, closed).is_open
    assert not open_state(paris(2026, 12, 25, 3, 0), spans, closed).is_open


def test_dated_change_of_hours_applies_from_its_date() -> None:
    old = [
        Span(d, dt.time(13, 30), dt.time(20, 30), SINCE, dt.date(2026, 11, 30)) for d in range(7)
    ]
    new = [Span(d, dt.time(10), dt.time(22), dt.date(2026, 12, 1)) for d in range(7)]
    assert not open_state(paris(2026, 11, 30, 11, 0), old + new).is_open
    assert open_state(paris(2026, 12, 1, 11, 0), old + new).is_open


def test_women_only_slot_is_reported() -> None:
    spans = [
        Span(0, dt.time(9), dt.time(12), SINCE, women_only=True),
        Span(0, dt.time(14), dt.time(18), SINCE),
    ]
    assert open_state(paris(2026, 11, 30, 10, 0), spans).women_only_now
    assert not open_state(paris(2026, 11, 30, 15, 0), spans).women_only_now


def test_weekly_open_hours_counts_spans_past_midnight() -> None:
    assert weekly_open_hours(every_day("13:30", "20:30"), dt.date(2026, 11, 27)) == 49
    assert weekly_open_hours(every_day("22:00", "06:00"), dt.date(2026, 11, 27)) == 56


@given(
    instant=st.datetimes(
        min_value=dt.datetime(2021, 1, 1),  # noqa: DTZ001 - naive bounds, as hypothesis asks
        max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001 - naive bounds, as hypothesis asks
        timezones=st.just(UTC),
    ),
    opens=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    hours=st.integers(min_value=1, max_value=23),
)
def test_open_matches_wall_clock_reading(instant: dt.datetime, opens: dt.time, hours: int) -> None:
    """Property: open iff the Paris wall-clock time falls in the span started today or yesterday.
    Instants in the skipped or repeated hour of a change are left out: there, wall clocks lie."""
    start_minutes = opens.hour * 60 + opens.minute
    end_minutes = (start_minutes + hours * 60) % 1440
    closes = dt.time(end_minutes // 60, end_minutes % 60)
    local = instant.astimezone(PARIS)
    offsets = {(local + dt.timedelta(hours=h)).utcoffset() for h in range(-hours - 24, hours + 24)}
    if len(offsets) > 1:
        return  # a daylight-saving change near this instant: covered by the tests above
    minute = local.hour * 60 + local.minute
    if start_minutes < end_minutes:
        expected = start_minutes <= minute < end_minutes
    else:
        expected = minute >= start_minutes or minute < end_minutes
    assert open_state(instant, every_day(opens.isoformat(), closes.isoformat())).is_open == expected


def test_a_site_open_around_the_clock_is_open_until_its_first_real_closing() -> None:
    always = every_day("00:00", "00:00")
    closed = [Exception_(dt.date(2026, 12, 25), closed=True)]
    state = open_state(paris(2026, 12, 20, 10, 0), always, closed)
    assert state.until == paris(2026, 12, 25, 0, 0)
