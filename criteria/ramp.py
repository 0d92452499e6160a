"""How much of an action's mature benefit shows k years after it starts.

The fraction is 0 during the lag, rises linearly to 1 at maturity, and is scaled by the
action's survival (the share of the treated area that takes):

    f(k) = survival * clip((k - lag + 1) / (maturity - lag + 1), 0, 1)   for k >= lag
    f(k) = 0                                                              for k <  lag

with k = 0 in the start year, and f(k) = 0 from the action's lifetime on (k ≥ lifetime): a
straw checkerboard stops working after about five years unless planting follows it (the
follow-up's own benefit then carries on; data/README.md). Linear ramps are the usual
simplification of the growth curves reported for enclosure (visible change ≈3 yr, plateau
17-20 yr) and shelterbelts (shrubs 3-5 yr, poplar 8-15 yr); see data/README.md for the
sources of each action's lag and maturity. The optimizer uses it to value an early start
over a late one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def benefit_fraction(
    years_since_start: ArrayLike,
    lag_years: ArrayLike,
    maturity_years: ArrayLike,
    survival: ArrayLike = 1.0,
    lifetime_years: ArrayLike = np.inf,
) -> NDArray[np.float64]:
    """Fraction of the mature benefit delivered ``years_since_start`` years after the start.

    All arguments broadcast against each other (vectorised over options and years); a NaN
    lifetime means no end.
    """
    k = np.asarray(years_since_start, dtype=float)
    lag = np.asarray(lag_years, dtype=float)
    maturity = np.maximum(np.asarray(maturity_years, dtype=float), lag)
    lifetime = np.nan_to_num(np.asarray(lifetime_years, dtype=float), nan=np.inf)
    ramp = np.clip((k - lag + 1.0) / (maturity - lag + 1.0), 0.0, 1.0)
    alive = (k >= lag) & (k < lifetime)
    return np.where(alive, ramp, 0.0) * np.asarray(survival, dtype=float)


def cumulative_benefit(
    start_year: ArrayLike,
    evaluation_year: int,
    lag_years: ArrayLike,
    maturity_years: ArrayLike,
    survival: ArrayLike = 1.0,
    discount_rate: float = 0.0,
    base_year: int | None = None,
    lifetime_years: ArrayLike = np.inf,
) -> NDArray[np.float64]:
    """Sum over calendar years y = start .. evaluation_year of f(y - start), discounted.

    The discount factor is (1 + r) ** -(y - base_year), base_year defaulting to the earliest
    start year given. This is the multiplier of an option's mature annual benefit in the
    objective.
    """
    start = np.asarray(start_year, dtype=float)
    base = float(np.min(start)) if base_year is None else float(base_year)
    years = np.arange(base, evaluation_year + 1, dtype=float)
    shape = np.broadcast(start, np.asarray(lag_years), np.asarray(maturity_years),
                         np.asarray(survival), np.asarray(lifetime_years)).shape
    k = years.reshape((-1,) + (1,) * len(shape)) - start
    frac = benefit_fraction(k, lag_years, maturity_years, survival, lifetime_years)
    discount = (1.0 + discount_rate) ** -(years - base)
    return np.tensordot(discount, np.where(k >= 0, frac, 0.0), axes=(0, 0))
