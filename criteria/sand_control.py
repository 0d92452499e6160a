"""Sand control (防风固沙): reduction of wind erosion, RWEQ.

Revised Wind Erosion Equation (Fryrear et al. 1998; the form of Chinese wind-erosion
service studies, PARAMETERS.md), evaluated per half-month period k and summed over the year:

    x_k   = WF_k · EF·SCF · K' · C           C = exp(a · SC), SC = vegetation cover in %
    Q_max = 109.8 x_k                        (kg/m, maximum transport)
    s     = 150.71 x_k^(-0.3711)             (m, critical field length)
    SL_k  = (2 z / s²) · Q_max · exp(−(z/s)²)  (kg/m²), z = 50 m;  SL = Σ_k SL_k

SL(x) peaks at x = (1.7422 / (0.7422 · (z/150.71)²))^(1/0.7422) ≈ 61.8: beyond it more
vegetation would *raise* the loss. Per-period WF keeps every parcel's x far below it
(``x_peak``, tested on the shipped region). WF_k = annual WF × season share / periods per
season × wind_exposure / reference exposure; EF·SCF = the parcel's erodibility.

An action lowers soil loss in two ways: by vegetation (its cover at maturity, criteria/cover.py)
and, for sand barriers, by surface roughness — K' while it stands (catalogue ``roughness_k``;
a straw checkerboard cuts transport Q_max by 1 − K'). The benefit is physical:

    sand_t_per_yr = (SL(before) − SL(after)) · 1000 · area_km2      (1 kg/m² = 1,000 t/km²)

The oasis-shield and priority-township weights enter the score only (criteria/priority.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.cover import cover_after
from criteria.parameters import (
    RWEQ_A,
    RWEQ_K,
    RWEQ_PERIODS_PER_YEAR,
    RWEQ_REFERENCE_EXPOSURE,
    RWEQ_WF_ANNUAL_KG_PER_M,
    RWEQ_WF_SEASON_MONTHLY,
    RWEQ_Z_M,
)

#: x at which SL(x) peaks (d ln SL / dx = 0).
X_PEAK = (1.7422 / (0.7422 * (RWEQ_Z_M / 150.71) ** 2)) ** (1.0 / 0.7422)


def period_wind_factor() -> NDArray[np.float64]:
    """WF of each period (kg/m) at the reference exposure; sums to the annual WF."""
    per_season = RWEQ_PERIODS_PER_YEAR // 4
    monthly = np.repeat(list(RWEQ_WF_SEASON_MONTHLY.values()), per_season)
    return RWEQ_WF_ANNUAL_KG_PER_M * monthly / monthly.sum()


def rweq_x(wind_exposure: NDArray, erodibility: NDArray, land_cover: pd.Series,
           cover: NDArray, roughness_k: NDArray | float = RWEQ_K) -> NDArray[np.float64]:
    """x = WF_k·EF·SCF·K'·C per period (rows) and parcel (columns)."""
    a = land_cover.map(RWEQ_A).to_numpy(dtype=float)
    per_parcel = (np.asarray(wind_exposure, float) / RWEQ_REFERENCE_EXPOSURE
                  * np.asarray(erodibility, float) * np.asarray(roughness_k, float)
                  * np.exp(a * 100.0 * np.asarray(cover, float)))
    return period_wind_factor()[:, None] * per_parcel[None, :]


def soil_loss_of_x(x: NDArray) -> NDArray[np.float64]:
    """RWEQ SL (kg/m²) of one period's x."""
    x = np.maximum(np.asarray(x, float), 1e-12)
    q_max = 109.8 * x
    s = 150.71 * x ** -0.3711
    return 2.0 * RWEQ_Z_M / s**2 * q_max * np.exp(-((RWEQ_Z_M / s) ** 2))


def rweq_soil_loss_kg_per_m2(wind_exposure: NDArray, erodibility: NDArray,
                             land_cover: pd.Series, cover: NDArray,
                             roughness_k: NDArray | float = RWEQ_K) -> NDArray[np.float64]:
    """Annual RWEQ soil loss SL (kg/m²/yr): the sum over the periods."""
    x = rweq_x(wind_exposure, erodibility, land_cover, cover, roughness_k)
    return soil_loss_of_x(x).sum(axis=0)


def action_roughness(options: pd.DataFrame) -> NDArray[np.float64]:
    """K' while the action stands (catalogue ``roughness_k``; missing or blank = 1)."""
    if "roughness_k" not in options.columns:
        return np.ones(len(options))
    k = pd.to_numeric(options["roughness_k"], errors="coerce").to_numpy(float)
    return np.where(np.isnan(k), 1.0, k) * RWEQ_K


def sand_t_per_yr(options: pd.DataFrame) -> NDArray[np.float64]:
    """Wind-erosion reduction (t/yr) of each option at maturity, before survival."""
    before = options["veg_cover"].to_numpy(dtype=float)
    after = cover_after(options, options["effect_sand"].to_numpy(float))
    args = (options["wind_exposure"].to_numpy(float), options["erodibility"].to_numpy(float),
            options["land_cover"])
    loss_now = rweq_soil_loss_kg_per_m2(*args, before)
    loss_after = rweq_soil_loss_kg_per_m2(*args, after, action_roughness(options))
    return np.maximum(loss_now - loss_after, 0.0) * 1000.0 * options["area_km2"].to_numpy(float)
