"""Biodiversity (生物多样性维护): habitat-quality gain, InVEST habitat-quality logic.

The parcel's current quality Q (``habitat_quality``, InVEST Q = H(1 − D^z/(D^z + k^z)),
data/README.md) can rise towards the suitability H of its restored land cover; the action
closes a share ``effect_bio`` of that gap:

    habitat_gain_km2 = effect_bio · max(H_restored − Q, 0) · area_km2
                       · (1 + PROTECTED_BONUS · [in a protected area])
                       · (1 + species bonus)   (Lop Nur wild camel, Aydingkol wetland birds)

Units: quality-weighted km² (1 = one km² raised from no habitat to perfect habitat).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.parameters import HABITAT_SUITABILITY, PROTECTED_BONUS, SPECIES_HABITAT_BONUS


def habitat_gain_km2(options: pd.DataFrame) -> NDArray[np.float64]:
    """Habitat-quality gain of each option at maturity, before survival."""
    suitability = options["land_cover"].map(HABITAT_SUITABILITY).to_numpy(float)
    gap = np.maximum(suitability - options["habitat_quality"].to_numpy(float), 0.0)
    area_name = options["protected_area"].fillna("").astype(str)
    protected = 1.0 + PROTECTED_BONUS * (area_name != "").to_numpy(float)
    species = np.ones(len(options))
    for key, bonus in SPECIES_HABITAT_BONUS.items():
        species += bonus * area_name.str.contains(key, regex=False).to_numpy(float)
    return (options["effect_bio"].to_numpy(float) * gap * options["area_km2"].to_numpy(float)
            * protected * species)
