"""Carbon sequestration (固碳): uptake of the vegetation an action leaves.

    carbon_tC_per_yr = effect_carbon · rate(resulting cover) · area_km2

The resulting cover is the catalogue's ``result_cover`` (afforestation leaves a plantation,
whatever it was planted on) or, when blank, the parcel's own land cover; rates in
tC/km²/yr per cover (criteria/parameters.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.parameters import CARBON_RATE_TC_PER_KM2


def resulting_cover(options: pd.DataFrame) -> pd.Series:
    """The land cover an action leaves: ``result_cover`` where given, else unchanged."""
    if "result_cover" not in options.columns:
        return options["land_cover"]
    result = options["result_cover"].fillna("").astype(str).str.strip()
    return result.where(result != "", options["land_cover"])


def carbon_tc_per_yr(options: pd.DataFrame) -> NDArray[np.float64]:
    """Carbon uptake of each option at maturity, before survival."""
    rate = resulting_cover(options).map(CARBON_RATE_TC_PER_KM2).fillna(0.0).to_numpy(float)
    return options["effect_carbon"].to_numpy(float) * rate * options["area_km2"].to_numpy(float)
