"""The walking-time rule of "where can this person go now?" (issue 23.2), on generated positions
and sites: never a site beyond the limit unless it is the one fallback, offered only when nothing
is within reach and only in the seeker's own city area; always quickest first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from halte.network.hours import OpenState
from halte.network.models import Site
from halte.outreach.orientation import (
    GREATER_PARIS,
    PlaceOption,
    city_area,
    walking,
    within_reach,
)

# Around Paris and the Greater Paris, and a few far cities (Strasbourg, Lyon, Lille).
PARIS = st.tuples(st.floats(2.20, 2.50), st.floats(48.80, 48.92))
FAR = st.sampled_from([(7.7475, 48.5775), (4.8357, 45.764), (3.0573, 50.6292)])
POINT = st.one_of(PARIS, PARIS, FAR)
OPEN = OpenState(is_open=True, until=None, next_opening=None, women_only_now=False)


def _option(name: str, frm: tuple[float, float], to: tuple[float, float]) -> PlaceOption:
    metres, minutes = walking(frm[0], frm[1], to[0], to[1])
    return PlaceOption(
        site=Site(name=name, lon=to[0], lat=to[1]),
        distance_m=metres,
        minutes=minutes,
        state=OPEN,
        opens_at=None,
        free_places=None,
        beds_free=None,
        area=city_area(to[0], to[1]),
    )


@settings(max_examples=60, deadline=None)
@given(
    seeker=POINT,
    sites=st.lists(POINT, max_size=8),
    max_minutes=st.sampled_from([10, 20, 30, 45, 60]),
)
def test_never_beyond_reach_unless_the_same_area_fallback(
    seeker: tuple[float, float], sites: list[tuple[float, float]], max_minutes: int
) -> None:
    options = [_option(f"Site {i}", seeker, point) for i, point in enumerate(sites)]
    area = city_area(*seeker)
    reach = within_reach(options, max_minutes=max_minutes, seeker_area=area)
    assert all(o.minutes <= max_minutes for o in reach.options)
    keys = [(o.minutes, o.distance_m) for o in reach.options]
    assert keys == sorted(keys)
    assert len(reach.options) == sum(1 for o in options if o.minutes <= max_minutes)
    flat = reach.as_list()
    assert [o for o, fallback in flat if not fallback] == reach.options
    if reach.fallback is None:
        assert reach.options or area is None or all(o.area != area for o in options)
        return
    assert not reach.options and [f for _o, f in flat] == [True]
    assert area == GREATER_PARIS and reach.fallback.area == area
    assert reach.fallback.minutes > max_minutes
    same_area = [o.distance_m for o in options if o.area == area]
    assert reach.fallback.distance_m == min(same_area)


def test_strasbourg_is_never_a_fallback_from_stalingrad() -> None:
    stalingrad = (2.369479, 48.883317)
    strasbourg = _option("Argos", stalingrad, (7.7475, 48.5775))
    reach = within_reach([strasbourg], max_minutes=30, seeker_area=city_area(*stalingrad))
    assert reach.options == [] and reach.fallback is None
    saint_denis = _option("Saint-Denis", stalingrad, (2.3580, 48.9360))
    reach = within_reach(
        [strasbourg, saint_denis], max_minutes=30, seeker_area=city_area(*stalingrad)
    )
    assert reach.fallback is saint_denis and reach.fallback.minutes > 30
    assert city_area(*stalingrad) == GREATER_PARIS and strasbourg.area is None
