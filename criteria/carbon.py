"""Carbon sequestration (固碳): uptake of the restored vegetation.

    carbon_tC_per_yr = effect_carbon · rate(land cover) · area_km2

with rate in tC/km²/yr per land cover (criteria/parameters.py, estimates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.parameters import CARBON_RATE_TC_PER_KM2


def carbon_tc_per_yr(options: pd.DataFrame) -> NDArray[np.float64]:
    """Carbon uptake of each option at maturity, before survival."""
    rate = options["land_cover"].map(CARBON_RATE_TC_PER_KM2).to_numpy(float)
    return options["effect_carbon"].to_numpy(float) * rate * options["area_km2"].to_numpy(float)
