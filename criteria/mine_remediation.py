"""Mine remediation (矿山修复): remediated area weighted by the site's hazard.

    mine_hazard_km2 = effect_mine · area_km2 · mine_hazard   on pending mines, else 0

``area_km2`` is the treated area (the disturbed mine area for actions whose area basis is
``mine``); ``mine_hazard`` (0-1) combines geohazard, water-source and protected-area
proximity (data/README.md). Sites remediated in 2021-2025 (``done``) earn nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray


def mine_hazard_km2(options: pd.DataFrame) -> NDArray[np.float64]:
    """Hazard-weighted remediated area of each option at maturity, before survival."""
    pending = (options["mine_status"].fillna("").astype(str) == "pending").to_numpy(float)
    return (options["effect_mine"].to_numpy(float) * options["area_km2"].to_numpy(float)
            * options["mine_hazard"].to_numpy(float) * pending)
