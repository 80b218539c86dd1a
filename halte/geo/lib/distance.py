"""Great-circle and approximate walking distances (WGS84 lon/lat in degrees).

Walking distance is estimated as great-circle distance times a *circuity
factor* because no street network is bundled (none small enough was available
offline, see docs/data-sources.md).  DEFAULT_CIRCUITY = 1.3 is an assumption,
not a Paris calibration.  Order of magnitude: network/straight-line ratios of
about 1.2 are classic for urban road networks (Newell 1980; O'Sullivan 1996
reports 1.21-1.23 around transit stations), and Boeing 2019 ("The Morphology
and Circuity of Walkable and Drivable Street Networks", 40 US cities, OSMnx)
finds average *walking* circuity around 1.2 in many cities.  Short trips and
barriers (Seine, canal Saint-Martin, rail yards of Gare du Nord/Est, the
périphérique) push the ratio up, so 1.3 is deliberately on the conservative
side.  Replace with a routed distance when a pedestrian graph is available.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

# IUGG mean Earth radius (R1).  The spherical model is off by at most ~0.5 %
# against the ellipsoid, negligible next to the circuity assumption.
EARTH_RADIUS_M = 6_371_008.8
DEFAULT_CIRCUITY = 1.3


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two lon/lat points (degrees)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    # min() guards against h drifting above 1 by rounding for antipodal points.
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def haversine_matrix_m(
    lons1: ArrayLike, lats1: ArrayLike, lons2: ArrayLike, lats2: ArrayLike
) -> NDArray[np.float64]:
    """Pairwise great-circle distances in metres, shape (len(lons1), len(lons2)).

    Typical use: rows are demand points, columns are candidate sites.  Memory
    is O(n*m) float64 (e.g. 10,000 x 500 -> 40 MB), so chunk the rows for
    larger problems.
    """
    lon1 = np.radians(np.asarray(lons1, dtype=np.float64))[:, None]
    lat1 = np.radians(np.asarray(lats1, dtype=np.float64))[:, None]
    lon2 = np.radians(np.asarray(lons2, dtype=np.float64))[None, :]
    lat2 = np.radians(np.asarray(lats2, dtype=np.float64))[None, :]
    if lon1.shape != lat1.shape or lon2.shape != lat2.shape:
        raise ValueError("longitude and latitude arrays must have the same length")
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distances: NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distances


def walking_m(
    lon1: float, lat1: float, lon2: float, lat2: float, circuity: float = DEFAULT_CIRCUITY
) -> float:
    """Approximate walking distance in metres: great-circle distance x circuity.

    See the module docstring: the default factor is an uncalibrated assumption.
    """
    if circuity < 1.0:
        raise ValueError(
            "circuity factor must be >= 1 (a walk is never shorter than the straight line)"
        )
    return haversine_m(lon1, lat1, lon2, lat2) * circuity


def walking_matrix_m(
    lons1: ArrayLike,
    lats1: ArrayLike,
    lons2: ArrayLike,
    lats2: ArrayLike,
    circuity: float = DEFAULT_CIRCUITY,
) -> NDArray[np.float64]:
    """Vectorised :func:`walking_m`, shape (len(lons1), len(lons2))."""
    if circuity < 1.0:
        raise ValueError(
            "circuity factor must be >= 1 (a walk is never shorter than the straight line)"
        )
    return haversine_matrix_m(lons1, lats1, lons2, lats2) * circuity
