"""Vegetation cover after an action, the common input of the sand and water models.

    cover_after = cover + effect · max(ceiling − cover, 0)
    ceiling     = potential cover of the land cover, and for an un-irrigated action also
                  ≤ what water allows: max(rain-fed cover, groundwater-fed cover)

``effect`` (0-1, the catalogue's effect factor of the criterion) is the share of the gap the
action closes. Rain-fed cover ≈ RAIN_COVER_PER_MM · P; groundwater-fed cover is
GW_COVER_MAX up to GW_FULL_DEPTH_M to the water table and falls to 0 at GW_ZERO_DEPTH_M
(phreatophytes: Tamarix, Alhagi, Populus; criteria/parameters.py). An action that brings its
own water (catalogue ``water_wan_m3_per_km2_yr`` > 0: drip-irrigated planting, wetland
replenishment) is not capped. A region without a ``groundwater_depth_m`` column keeps the
land-cover potential (no water cap: rain alone would wrongly cap groundwater-fed shrubland).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.parameters import (
    GW_COVER_MAX,
    GW_FULL_DEPTH_M,
    GW_ZERO_DEPTH_M,
    POTENTIAL_COVER,
    RAIN_COVER_PER_MM,
)


def water_limited_cover(precip_mm: NDArray, groundwater_depth_m: NDArray) -> NDArray[np.float64]:
    """The cover rain and groundwater can sustain without irrigation (fraction)."""
    rain = RAIN_COVER_PER_MM * np.asarray(precip_mm, float)
    depth = np.asarray(groundwater_depth_m, float)
    share = np.clip((GW_ZERO_DEPTH_M - depth) / (GW_ZERO_DEPTH_M - GW_FULL_DEPTH_M), 0.0, 1.0)
    return np.maximum(rain, GW_COVER_MAX * share)


def cover_ceiling(options: pd.DataFrame) -> NDArray[np.float64]:
    """Cover an action can reach at most on each option's parcel."""
    ceiling = options["land_cover"].map(POTENTIAL_COVER).to_numpy(dtype=float)
    if "groundwater_depth_m" not in options.columns:
        return ceiling
    irrigated = np.zeros(len(options), bool)
    if "water_wan_m3_per_km2_yr" in options.columns:
        irrigated = pd.to_numeric(options["water_wan_m3_per_km2_yr"], errors="coerce") \
            .fillna(0.0).to_numpy(float) > 0
    water = water_limited_cover(options["precip_mm"].to_numpy(float),
                                options["groundwater_depth_m"].to_numpy(float))
    return np.where(irrigated, ceiling, np.minimum(ceiling, water))


def cover_after(options: pd.DataFrame, effect: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cover at maturity: cover + effect · max(ceiling − cover, 0)."""
    cover = options["veg_cover"].to_numpy(dtype=float)
    return cover + np.asarray(effect, float) * np.maximum(cover_ceiling(options) - cover, 0.0)
