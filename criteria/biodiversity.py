"""Biodiversity (生物多样性维护): habitat-quality gain, InVEST-consistent.

InVEST habitat quality is Q = H · (1 − D^z / (D^z + k^z)): suitability H times a threat
factor. Restoration raises H (the land cover recovers from its degradation); it does not
remove the threats D (farmland, settlements, mines nearby). So the gain keeps the parcel's
threat factor Q_now / H_now:

    H_now            = H(land cover) · (1 − 0.15 · degradation)   (as region/modelled_inputs.py)
    H_after          = H(land cover)                              (degradation removed)
    habitat_gain_km2 = effect_bio · (H_after − H_now) · (Q_now / H_now) · area_km2

with Q_now / H_now clipped to [0, 1] (1 where H_now = 0: no threat known). H per land cover
follows Turpan's own habitat index (region/modelled_inputs.py), the same table the modelled
parcel inputs' Q is built with, so Q_now / H_now is the parcel's threat factor exactly.
Units: quality-weighted km² (1 = one km² raised from no habitat to perfect habitat).
Protected areas and named species' habitats are weights of the score (criteria/priority.py),
not part of the gain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from region.modelled_inputs import HABITAT_LOSS_PER_DEGRADATION, HABITAT_SUITABILITY


def suitability_now(options: pd.DataFrame) -> NDArray[np.float64]:
    """H of the parcel as it is (its land cover's H lowered by its degradation)."""
    h = options["land_cover"].map(HABITAT_SUITABILITY).to_numpy(float)
    degradation = options["degradation"].to_numpy(float)
    return h * np.clip(1.0 - HABITAT_LOSS_PER_DEGRADATION * degradation, 0.0, 1.0)


def habitat_gain_km2(options: pd.DataFrame) -> NDArray[np.float64]:
    """Habitat-quality gain of each option at maturity, before survival."""
    h_after = options["land_cover"].map(HABITAT_SUITABILITY).to_numpy(float)
    h_now = suitability_now(options)
    quality = options["habitat_quality"].to_numpy(float)
    threat_factor = np.clip(np.divide(quality, h_now, out=np.ones(len(options)),
                                      where=h_now > 0), 0.0, 1.0)
    return (options["effect_bio"].to_numpy(float) * np.maximum(h_after - h_now, 0.0)
            * threat_factor * options["area_km2"].to_numpy(float))
