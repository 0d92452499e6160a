"""Precipitation and reference evapotranspiration over the terrain (sources in parameters.py).

``precip_mm`` is the rule data/turpan_criteria_inputs.py uses for the parcels' ``precip_mm``: rain
rises with elevation only on the Tianshan slope; south of the basin, in the range's rain
shadow, the hills stay hyper-arid. ``et0_mm`` is FAO-56 reference evapotranspiration, the
potential evapotranspiration the Budyko curve needs (not pan evaporation).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from criteria.parameters import (
    ET0_BASIN_MM,
    ET0_LAPSE_MM_PER_M,
    ET0_MIN_MM,
    PRECIP_BASIN_MM,
    PRECIP_NORTH_BASE_M,
    PRECIP_NORTH_TOP_M,
    PRECIP_NORTH_TOP_MM,
    PRECIP_SOUTH_GRADIENT_MM_PER_M,
)


def precip_mm(elevation_m: ArrayLike, on_tianshan_slope: ArrayLike) -> NDArray[np.float64]:
    """Annual precipitation, mm: Tianshan slope 16 → 400 mm from 300 to 3,000 m; elsewhere
    16 mm + 1 mm per 100 m above sea level."""
    elevation = np.asarray(elevation_m, dtype=float)
    north = np.asarray(on_tianshan_slope, dtype=bool)
    rise = np.clip((elevation - PRECIP_NORTH_BASE_M) / (PRECIP_NORTH_TOP_M - PRECIP_NORTH_BASE_M),
                   0.0, 1.0)
    slope = PRECIP_BASIN_MM + (PRECIP_NORTH_TOP_MM - PRECIP_BASIN_MM) * rise
    shadow = PRECIP_BASIN_MM + PRECIP_SOUTH_GRADIENT_MM_PER_M * np.maximum(elevation, 0.0)
    return np.where(north, slope, shadow)


def et0_mm(elevation_m: ArrayLike) -> NDArray[np.float64]:
    """FAO-56 reference evapotranspiration, mm/yr, falling with elevation to a floor."""
    elevation = np.maximum(np.asarray(elevation_m, dtype=float), 0.0)
    return np.maximum(ET0_BASIN_MM - ET0_LAPSE_MM_PER_M * elevation, ET0_MIN_MM)
