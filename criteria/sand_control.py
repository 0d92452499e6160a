"""Sand control (防风固沙): reduction of wind erosion, RWEQ-style.

Revised Wind Erosion Equation (Fryrear et al. 1998; the form used in Chinese wind-erosion
service studies, see PARAMETERS.md), per parcel with x = WF · EF·SCF · K' · C:

    Q_max = 109.8 x                       (kg/m, maximum transport)
    s     = 150.71 x^(-0.3711)            (m, critical field length)
    SL    = (2 z / s²) · Q_max · exp(−(z/s)²)   (kg/m² per year), z = 50 m
    C     = exp(a · SC), SC = vegetation cover in %, a per land cover

WF = RWEQ_WF_MAX · wind_exposure, EF·SCF = erodibility. The benefit of an action is the fall
in soil loss when its vegetation cover rises (criteria/cover.py), over the treated area:

    sand_t_per_yr = (SL(cover) − SL(cover_after)) · 1000 · area_km2
                    · (1 + SHIELD_BONUS · oasis_shield) · (1 + PRIORITY_BONUS · sand_priority)

(1 kg/m² = 1,000 t/km²). High where wind, erodibility and bare ground meet, and more where
the parcel shields an oasis: the oasis periphery, because its inputs say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.cover import cover_after
from criteria.parameters import (
    PRIORITY_BONUS,
    RWEQ_A,
    RWEQ_K,
    RWEQ_WF_MAX_KG_PER_M,
    RWEQ_Z_M,
    SHIELD_BONUS,
)


def rweq_soil_loss_kg_per_m2(wind_exposure: NDArray, erodibility: NDArray,
                             land_cover: pd.Series, cover: NDArray) -> NDArray[np.float64]:
    """RWEQ soil loss SL (kg/m²/yr) at the given vegetation cover (fraction)."""
    a = land_cover.map(RWEQ_A).to_numpy(dtype=float)
    x = RWEQ_WF_MAX_KG_PER_M * wind_exposure * erodibility * RWEQ_K * np.exp(a * 100.0 * cover)
    x = np.maximum(x, 1e-12)
    q_max = 109.8 * x
    s = 150.71 * x ** -0.3711
    return 2.0 * RWEQ_Z_M / s**2 * q_max * np.exp(-((RWEQ_Z_M / s) ** 2))


def sand_t_per_yr(options: pd.DataFrame) -> NDArray[np.float64]:
    """Wind-erosion reduction (t/yr) of each option at maturity, before survival."""
    before = options["veg_cover"].to_numpy(dtype=float)
    after = cover_after(options["land_cover"], before, options["effect_sand"].to_numpy(float))
    args = (options["wind_exposure"].to_numpy(float), options["erodibility"].to_numpy(float),
            options["land_cover"])
    reduction = rweq_soil_loss_kg_per_m2(*args, before) - rweq_soil_loss_kg_per_m2(*args, after)
    shield = 1.0 + SHIELD_BONUS * options["oasis_shield"].to_numpy(float)
    priority = 1.0 + PRIORITY_BONUS * options["sand_priority"].to_numpy(float)
    return np.maximum(reduction, 0.0) * 1000.0 * options["area_km2"].to_numpy(float) \
        * shield * priority
