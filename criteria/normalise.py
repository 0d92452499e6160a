"""Bring the criteria to one scale: each option's benefit as a share of the region's potential.

    norm_c(p, a) = benefit_c(p, a) / Σ_p max_a benefit_c(p, a)

The denominator is the most the region could gain on criterion c if every parcel got its
best action for c. So a weight means "share of the region's potential on that criterion":
w_sand = 0.3 says realising 1 % of the sand-control potential is worth 0.3 % of … points, and
the criteria's units cancel. (Dividing by the best single option instead would let one
outlier parcel set the scale of a whole criterion.) A criterion with no potential is 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from region.schema import CRITERIA


def regional_potential(options: pd.DataFrame) -> dict[str, float]:
    """Σ over parcels of the best option's raw benefit, per criterion."""
    columns = [f"benefit_{c}" for c in CRITERIA]
    best = options.groupby("parcel_id")[columns].max()
    return {c: float(best[f"benefit_{c}"].sum()) for c in CRITERIA}


def normalise(options: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``norm_<c>`` columns (share of the regional potential) for every criterion."""
    out = options.copy()
    for criterion, potential in regional_potential(options).items():
        raw = out[f"benefit_{criterion}"].to_numpy(float)
        out[f"norm_{criterion}"] = raw / potential if potential > 0 else np.zeros(len(out))
    return out


def score(options: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Weighted sum of the normalised criteria: the annual mature value of each option."""
    return sum(weights.get(c, 0.0) * options[f"norm_{c}"] for c in CRITERIA)
