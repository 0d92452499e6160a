"""Water conservation (水源涵养): water retained by restored vegetation.

InVEST annual water yield with the Fu/Zhang Budyko curve (InVEST user guide; PARAMETERS.md),
with FAO-56 reference evapotranspiration ET0 as the potential evapotranspiration
(criteria/climate.py; not pan evaporation):

    AET/P = 1 + ET0/P − (1 + (ET0/P)^ω)^(1/ω),   ω = Z · AWC / P + 1.25 (≤ 5)
    Y     = P − AET                               (mm/yr)

Retention grows with cover, dR/dc = RETAIN_SLOPE (estimate), and an action raises cover
(criteria/cover.py):

    water_wan_m3_per_yr = 0.1 · Y · RETAIN_SLOPE · (c_after − c) · (0.5 + water_source) · area_km2

(1 mm over 1 km² = 0.1 万m³). On the basin floor (16 mm, ET0 1,500 mm) Y ≈ 0, so basin
enclosure and planting conserve no water: the water a basin action delivers (karez
recharge, Aydingkol replenishment) is in the catalogue's water columns, not here. Highest on
the Tianshan south slope, where precipitation and the water-source role are high.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.climate import et0_mm
from criteria.cover import cover_after
from criteria.parameters import AWC_MM, FU_Z, RETAIN_SLOPE


def water_yield_mm(precip_mm: NDArray, elevation_m: NDArray) -> NDArray[np.float64]:
    """Budyko (Fu) annual water yield, mm/yr."""
    p = np.maximum(precip_mm, 1e-6)
    omega = np.minimum(FU_Z * AWC_MM / p + 1.25, 5.0)
    ratio = et0_mm(elevation_m) / p
    aet_over_p = 1.0 + ratio - (1.0 + ratio**omega) ** (1.0 / omega)
    return np.clip(p * (1.0 - aet_over_p), 0.0, p)


def water_wan_m3_per_yr(options: pd.DataFrame) -> NDArray[np.float64]:
    """Water retained (万m³/yr) by each option at maturity, before survival."""
    before = options["veg_cover"].to_numpy(float)
    after = cover_after(options, options["effect_water"].to_numpy(float))
    source = options["water_source"].to_numpy(float)
    yield_mm = water_yield_mm(options["precip_mm"].to_numpy(float),
                              options["elevation_m"].to_numpy(float))
    retained = 0.1 * yield_mm * RETAIN_SLOPE * (after - before) * (0.5 + source)
    return retained * options["area_km2"].to_numpy(float)
