"""Distance helpers: checked against closed-form and published distances."""

import math

import numpy as np
import pytest

from halte.geo.lib.distance import (
    DEFAULT_CIRCUITY,
    EARTH_RADIUS_M,
    haversine_m,
    haversine_matrix_m,
    walking_m,
    walking_matrix_m,
)


def test_one_degree_on_equator_is_an_arc_of_the_sphere():
    expected = 2 * math.pi * EARTH_RADIUS_M / 360  # ~111,195 m
    assert haversine_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(expected, rel=1e-9)
    assert haversine_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(expected, rel=1e-9)


def test_pole_to_equator_is_a_quarter_meridian():
    assert haversine_m(2.35, 0.0, 2.35, 90.0) == pytest.approx(
        math.pi * EARTH_RADIUS_M / 2, rel=1e-9
    )


def test_paris_london_known_distance():
    # Notre-Dame area to Charing Cross: ~343.5 km great-circle (published
    # city-to-city figures are 343-344 km).
    d = haversine_m(2.3522, 48.8566, -0.1276, 51.5072)
    assert 342_000 < d < 345_000


def test_symmetry_and_zero():
    assert haversine_m(2.35, 48.88, 2.40, 48.87) == pytest.approx(
        haversine_m(2.40, 48.87, 2.35, 48.88)
    )
    assert haversine_m(2.35, 48.88, 2.35, 48.88) == 0.0


def test_short_distance_in_paris_matches_local_flat_approximation():
    # 0.01 degree of latitude ~ 1,112 m anywhere; 0.01 degree of longitude at
    # 48.87N ~ 1,112 m * cos(48.87) ~ 731 m.
    assert haversine_m(2.35, 48.87, 2.35, 48.88) == pytest.approx(1111.95, abs=0.5)
    assert haversine_m(2.35, 48.87, 2.36, 48.87) == pytest.approx(
        1111.95 * math.cos(math.radians(48.87)), rel=1e-4
    )


def test_matrix_matches_scalar_version():
    demand = [(2.35339, 48.881946), (2.398023, 48.873772), (2.363424, 48.869713)]
    sites = [(2.3553, 48.8809), (2.3828, 48.8809)]
    matrix = haversine_matrix_m(
        [p[0] for p in demand], [p[1] for p in demand], [s[0] for s in sites], [s[1] for s in sites]
    )
    assert matrix.shape == (3, 2)
    for i, (lo1, la1) in enumerate(demand):
        for j, (lo2, la2) in enumerate(sites):
            assert matrix[i, j] == pytest.approx(haversine_m(lo1, la1, lo2, la2), rel=1e-12)


def test_matrix_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        haversine_matrix_m([2.3, 2.4], [48.8], [2.3], [48.8])


def test_walking_is_great_circle_times_circuity():
    base = haversine_m(2.35, 48.87, 2.36, 48.88)
    assert walking_m(2.35, 48.87, 2.36, 48.88) == pytest.approx(base * DEFAULT_CIRCUITY)
    assert walking_m(2.35, 48.87, 2.36, 48.88, circuity=1.0) == pytest.approx(base)
    matrix = walking_matrix_m([2.35], [48.87], [2.36], [48.88], circuity=1.5)
    assert matrix[0, 0] == pytest.approx(base * 1.5)
    assert isinstance(matrix, np.ndarray)


def test_walking_rejects_circuity_below_one():
    with pytest.raises(ValueError):
        walking_m(2.35, 48.87, 2.36, 48.88, circuity=0.9)
