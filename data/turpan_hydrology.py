"""Modelled water layers of the shipped Turpan region: depth to groundwater, karez, rivers.

Rules and figures below are estimates unless a source is named; data/README.md lists them.
A bureau with well records or a karez survey replaces the fields (same columns).
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

#: Aydingkol lake surface, m (PLAN line 66: −154.31 m), the basin's discharge point.
LAKE_LEVEL_M = -154.31
#: Depth to the water table at the lake shore, m (estimate: a salt-crusted shore with a
#: water table near the surface).
SHORE_DEPTH_M = 1.5
#: Depth gained per metre of ground above the lake on the basin floor (< 300 m) and on the
#: alluvial fans and hills above it (estimates: groundwater flows from the fans to Aydingkol
#: under a flatter slope than the ground, so depth grows with height, and fast on the fans).
FLOOR_DEPTH_PER_M = 0.06
FAN_DEPTH_PER_M = 0.15
FAN_FOOT_M = 300.0
#: Deepest modelled water table, m (beyond any plant root or karez; an estimate).
MAX_DEPTH_M = 150.0
#: Drawdown from over-pumping at the oasis, m, fading with distance from it (scale km).
#: PARAMETERS.md "Water": water-table decline since the early 1980s 10-40 m, 20-30 typical.
OASIS_DRAWDOWN_M = 20.0
DRAWDOWN_SCALE_KM = 5.0

#: Karez in the city (PARAMETERS.md "Water": 997 in all, 214 still flowing; China News
#: Service 2023), spread over the karez belt and the oasis farmland in proportion to area.
KAREZ_TOTAL = 997


def groundwater_depth_m(elevation_m: NDArray, dist_oasis_km: NDArray) -> NDArray[np.float64]:
    """Depth to the water table (m): rises with height above the lake, plus oasis drawdown.

    depth = SHORE + FLOOR · (min(z, FOOT) − LAKE) + FAN · max(z − FOOT, 0)
            + DRAWDOWN · exp(−d_oasis / SCALE),   capped at MAX_DEPTH
    """
    z = np.asarray(elevation_m, dtype=float)
    floor = FLOOR_DEPTH_PER_M * (np.minimum(z, FAN_FOOT_M) - LAKE_LEVEL_M)
    fan = FAN_DEPTH_PER_M * np.maximum(z - FAN_FOOT_M, 0.0)
    drawdown = OASIS_DRAWDOWN_M * np.exp(-np.asarray(dist_oasis_km, float) / DRAWDOWN_SCALE_KM)
    return np.clip(SHORE_DEPTH_M + floor + fan + drawdown, SHORE_DEPTH_M, MAX_DEPTH_M)


def karez_counts(weight_km2: NDArray, rng: np.random.Generator,
                 total: int = KAREZ_TOTAL) -> NDArray[np.int64]:
    """Spread ``total`` karez over parcels by a seeded multinomial draw ∝ ``weight_km2``."""
    weight = np.asarray(weight_km2, dtype=float)
    return rng.multinomial(total, weight / weight.sum()).astype(np.int64)


def distance_to_lines_km(points_ea: NDArray, lines_ea: list[shapely.LineString]) -> NDArray:
    """Distance (km) from each point (x, y in metres, equal-area CRS) to the nearest line."""
    union = shapely.union_all(lines_ea)
    pts = shapely.points(points_ea)
    return shapely.distance(pts, union) / 1000.0


def karez_belt(in_oasis: NDArray, north: NDArray, d_oasis_km: NDArray,
               lat: NDArray) -> NDArray[np.bool_]:
    """The karez belt (estimates, data/README.md): off the oases, within 15 km of them north
    of the railway (``north``), or within 6 km of them north of 42.8° N. Its water source
    is the karez's, and karez are spread over it."""
    return ~in_oasis & north & (d_oasis_km < 15) | (~in_oasis & (d_oasis_km < 6) & (lat > 42.8))
