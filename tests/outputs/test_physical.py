"""Columns with a unit carry the physical quantity: no benefit column differs from its
physical model's value by a weighting factor (the oasis-shield, priority-township,
protected-area and species multipliers live in the score only)."""

import numpy as np
import pandas as pd
import pytest

from criteria.options import MODELS, feasible_pairs
from outputs.priority_lists import priority_lists
from region.schema import CRITERIA

#: The parcel fields a weighting factor reads, and their neutral values (no factor).
WEIGHTING_INPUTS = {"oasis_shield": 0.0, "sand_priority": False, "protected_area": ""}


def physical(region, lists: pd.DataFrame, neutral: bool) -> pd.DataFrame:
    """Each listed option's model benefit per criterion (at maturity, before survival),
    recomputed from the parcels and the catalogue; with the weighting inputs neutralised
    when ``neutral``."""
    parcels = pd.DataFrame(region.parcels.drop(columns="geometry"))
    parcels = parcels[parcels["parcel_id"].isin(lists["parcel_id"])]
    if neutral:
        parcels = parcels.assign(**WEIGHTING_INPUTS)
    pairs = feasible_pairs(parcels, region.actions)
    pairs = pairs.loc[pairs["area_km2"] > 0].reset_index(drop=True)
    out = pairs[["parcel_id", "action"]].copy()
    for c, model in MODELS.items():
        out[c] = model(pairs)
    return lists[["parcel_id", "action"]].merge(out, on=["parcel_id", "action"], how="left")


def test_no_benefit_column_differs_from_its_physical_model_by_a_weighting_factor(
        small_run, small_region) -> None:
    region = small_region[0]
    lists = priority_lists(small_run.plan, region)
    shielded = region.parcels.set_index("parcel_id").loc[lists["parcel_id"], "oasis_shield"]
    assert (shielded > 0.1).any()  # the check has weighted parcels to bite on
    plain, neutral = physical(region, lists, False), physical(region, lists, True)
    for c in CRITERIA:
        shown = lists[f"expected_{c}"].to_numpy() / lists["survival"].to_numpy()
        assert shown == pytest.approx(plain[c].to_numpy(), rel=1e-9, abs=1e-9), c
        assert shown == pytest.approx(neutral[c].to_numpy(), rel=1e-9, abs=1e-9), c
        assert np.isfinite(shown).all()
