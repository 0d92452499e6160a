"""Vegetation cover after an action, the common input of the sand and water models."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from criteria.parameters import POTENTIAL_COVER


def cover_after(land_cover: pd.Series, veg_cover: NDArray[np.float64],
                effect: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cover at maturity: cover + effect · max(potential − cover, 0).

    ``effect`` (0-1, from the catalogue's effect factor of the criterion) is the share of the
    gap to the land cover's potential cover that the action closes.
    """
    potential = land_cover.map(POTENTIAL_COVER).to_numpy(dtype=float)
    return veg_cover + effect * np.maximum(potential - veg_cover, 0.0)
