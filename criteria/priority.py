"""Planners' priority weights that enter the score but not the physical benefits.

The benefit columns ``benefit_<c>`` stay physical quantities (t/yr, 万m³/yr, …). Where the
plan ranks some places above others for the same physical gain, that ranking is a factor
``priority_<c>`` (≥ 1) the score multiplies by (criteria/normalise.py):

- sand: (1 + SHIELD_BONUS · oasis_shield) · (1 + PRIORITY_BONUS · sand_priority): a parcel
  shielding an oasis, or in one of the plan's sand-control priority townships (plan line 73);
- bio: (1 + PROTECTED_BONUS · [protected area]) · (1 + species bonus): reserves, and the
  habitats of the species the plan names (Lop Nur wild camel, lines 22, 81; Aydingkol's
  birds and camel-thorn, lines 13, 14, 99). The places are the plan's, the factors' sizes
  estimates (criteria/parameters.py);
- the other criteria: 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria.parameters import (
    PRIORITY_BONUS,
    PROTECTED_BONUS,
    SHIELD_BONUS,
    SPECIES_HABITAT_BONUS,
)
from region.schema import CRITERIA


def priority_factors(options: pd.DataFrame) -> pd.DataFrame:
    """``priority_<c>`` for every criterion, one row per option (index kept)."""
    out = pd.DataFrame(1.0, index=options.index, columns=[f"priority_{c}" for c in CRITERIA])
    if {"oasis_shield", "sand_priority"} <= set(options.columns):
        out["priority_sand"] = ((1.0 + SHIELD_BONUS * options["oasis_shield"].to_numpy(float))
                                * (1.0 + PRIORITY_BONUS
                                   * options["sand_priority"].astype(float).to_numpy()))
    if "protected_area" in options.columns:
        name = options["protected_area"].fillna("").astype(str)
        species = np.ones(len(options))
        for fragments, bonus in SPECIES_HABITAT_BONUS.items():
            inside = np.logical_or.reduce([name.str.contains(f, regex=False).to_numpy()
                                           for f in fragments])
            species += bonus * inside
        out["priority_bio"] = (1.0 + PROTECTED_BONUS * (name != "").to_numpy(float)) * species
    return out
