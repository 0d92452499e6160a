"""Water conservation (水源涵养): water retained by restored vegetation, plus groundwater-fed
yield protected in the basin.

InVEST annual water yield with the Fu/Zhang Budyko curve (InVEST user guide; PARAMETERS.md):

    AET/P = 1 + PET/P − (1 + (PET/P)^ω)^(1/ω),   ω = Z · AWC / P + 1.25 (≤ 5)
    Y     = P − AET                               (mm/yr)

Retention grows with cover, dR/dc = RETAIN_SLOPE (estimate), and an action
raises cover (criteria/cover.py). In the basin, where Y ≈ 0, the action instead protects the
groundwater-fed yield the karez, Aydingkol and the oasis depend on:

    water_wan_m3_per_yr = [0.1 · Y · RETAIN_SLOPE · (c_after − c) · (0.5 + water_source)
                           + PROTECTED_GROUNDWATER · effect_water · water_source] · area_km2

(1 mm over 1 km² = 0.1 万m³). Highest on the Tianshan south slope, where precipitation and
the water-source role are high.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.cover import cover_after
from criteria.parameters import (
    AWC_MM,
    FU_Z,
    PET_BASIN_MM,
    PET_LAPSE_MM_PER_M,
    PET_MIN_MM,
    PROTECTED_GROUNDWATER_WAN_M3_PER_KM2,
    RETAIN_SLOPE,
)


def water_yield_mm(precip_mm: NDArray, elevation_m: NDArray) -> NDArray[np.float64]:
    """Budyko (Fu) annual water yield, mm/yr."""
    p = np.maximum(precip_mm, 1e-6)
    pet = np.maximum(PET_BASIN_MM - PET_LAPSE_MM_PER_M * np.maximum(elevation_m, 0.0),
                     PET_MIN_MM)
    omega = np.minimum(FU_Z * AWC_MM / p + 1.25, 5.0)
    ratio = pet / p
    aet_over_p = 1.0 + ratio - (1.0 + ratio**omega) ** (1.0 / omega)
    return np.clip(p * (1.0 - aet_over_p), 0.0, p)


def water_wan_m3_per_yr(options: pd.DataFrame) -> NDArray[np.float64]:
    """Water retained or protected (万m³/yr) by each option at maturity, before survival."""
    effect = options["effect_water"].to_numpy(float)
    before = options["veg_cover"].to_numpy(float)
    after = cover_after(options["land_cover"], before, effect)
    source = options["water_source"].to_numpy(float)
    yield_mm = water_yield_mm(options["precip_mm"].to_numpy(float),
                              options["elevation_m"].to_numpy(float))
    retained = 0.1 * yield_mm * RETAIN_SLOPE * (after - before) * (0.5 + source)
    protected = PROTECTED_GROUNDWATER_WAN_M3_PER_KM2 * effect * source
    return (retained + protected) * options["area_km2"].to_numpy(float)
