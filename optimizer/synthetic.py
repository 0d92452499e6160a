"""Random scheduling instances in the project's own formats, for benchmarks at scale."""

from __future__ import annotations

import numpy as np
import pandas as pd

from region.scenario import Scenario
from region.scenario_problems import scenario_from_dict
from region.schema import CRITERIA


def synthetic_region(n_parcels: int, n_actions: int = 3, seed: int = 0,
                     pressure: float = 0.15) -> tuple[pd.DataFrame, pd.DataFrame, Scenario]:
    """An option table, action catalogue and scenario whose yearly budget and water are
    ``pressure`` × (the cost and water of treating every parcel once) / number of years,
    so both bind. Every parcel gets 1..n_actions actions."""
    rng = np.random.default_rng(seed)
    codes = [f"act{k}" for k in range(n_actions)]
    actions = pd.DataFrame({
        "code": codes, "name_zh": [f"措施{k}" for k in range(n_actions)],
        "name_en": [f"action {k}" for k in range(n_actions)],
        "cost_years": rng.integers(1, 3, n_actions),
        "water_years": rng.integers(0, 6, n_actions),
        "lag_years": rng.integers(0, 4, n_actions),
        "maturity_years": rng.integers(3, 12, n_actions),
        "survival": rng.uniform(0.7, 1.0, n_actions), "capacity_km2_per_yr": np.nan,
        "compatible_with": "",
    })
    per_parcel = rng.integers(1, n_actions + 1, n_parcels)
    parcel = np.repeat(np.arange(1, n_parcels + 1), per_parcel)
    action = np.concatenate([rng.choice(n_actions, k, replace=False) for k in per_parcel])
    n = len(parcel)
    area = rng.uniform(2.0, 5.0, n)
    options = pd.DataFrame({
        "parcel_id": parcel, "action": np.array(codes)[action], "area_km2": area,
        "zone": rng.integers(1, 6, n_parcels)[parcel - 1],
        "county": np.array(["c1", "c2", "c3"])[rng.integers(0, 3, n_parcels)][parcel - 1],
        "land_cover": "gobi", "cost_wan": area * rng.uniform(20, 300, n),
        "water_wan_m3_per_yr": area * rng.uniform(-10, 50, n),
    })
    for c in CRITERIA:
        raw = rng.gamma(1.5, 1.0, n) * area
        options[f"benefit_{c}"] = raw
        options[f"norm_{c}"] = raw / raw.sum()
    years = 9
    best_cost = options.groupby("parcel_id")["cost_wan"].min().sum()
    best_water = options.groupby("parcel_id")["water_wan_m3_per_yr"].max().clip(0).sum()
    scenario = scenario_from_dict({
        "name": f"synthetic-{n_parcels}", "seed": seed,
        "budget": {"default": pressure * best_cost / years},
        "water": {"default": pressure * best_water / years * 3},
        "weights": {"sand": 0.3, "water": 0.3, "bio": 0.2, "mine": 0.1, "carbon": 0.1},
        "targets": [{"name": "zone 3 area", "minimum": 0.02 * area.sum(), "by_year": 2030,
                     "zone": 3}],
        "precedence": [{"before": "act0", "after": "act1", "scope": "zone"}],
        "corridors": {"enabled": False},
    })
    return options, actions, scenario
