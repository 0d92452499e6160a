"""Apply one sample (factor → multiplier) to a scenario and its prepared option table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.sweep import scaled
from region.scenario import Scenario
from region.schema import CRITERIA


def _multiplier(sample: dict[str, float], kind: str, actions: pd.Series) -> pd.Series:
    """The region-wide multiplier of ``kind``, or the per-action ones."""
    per_action = {name.split(":", 1)[1]: value for name, value in sample.items()
                  if name.startswith(kind + ":")}
    if per_action:
        return actions.map(per_action).fillna(1.0)
    return pd.Series(sample.get(kind, 1.0), index=actions.index)


def perturbed_weights(weights: dict[str, float], sample: dict[str, float]) -> dict[str, float]:
    """Each weight times its multiplier, re-normalised to the original total."""
    raw = {c: w * sample.get(f"weight:{c}", 1.0) for c, w in weights.items()}
    total, new_total = sum(weights.values()), sum(raw.values())
    return {c: w * total / new_total for c, w in raw.items()} if new_total > 0 else weights


@dataclass(frozen=True)
class ParcelNoise:
    """Per-parcel uncertainty (``per = "parcel"``): each parcel's cost and benefit get their
    own multiplier, uniform in [1 − range, 1 + range], drawn from ``seed`` (a run's seed:
    the same run always sees the same draw, on any worker)."""

    cost_range: float
    benefit_range: float
    seed: tuple[int, ...]

    def multipliers(self, parcels: pd.Series) -> tuple[pd.Series, pd.Series]:
        """(cost, benefit) multipliers for the options of the given parcels."""
        ids = np.unique(parcels.to_numpy())
        rng = np.random.default_rng(list(self.seed))
        cost = rng.uniform(1 - self.cost_range, 1 + self.cost_range, len(ids))
        benefit = rng.uniform(1 - self.benefit_range, 1 + self.benefit_range, len(ids))
        where = np.searchsorted(ids, parcels.to_numpy())
        return (pd.Series(cost[where], index=parcels.index),
                pd.Series(benefit[where], index=parcels.index))


def perturb(scenario: Scenario, options: pd.DataFrame, actions: pd.DataFrame,
            weights: dict[str, float], sample: dict[str, float],
            noise: ParcelNoise | None = None
            ) -> tuple[Scenario, pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """(scenario, options, actions, weights) with the sample's multipliers applied: budget
    and water limits scaled, unit costs and benefits (raw and normalised) scaled, water
    demand scaled where an action uses water (savings kept), survival scaled (≤ 1), weights
    re-normalised. The option layout is unchanged, so the base plan stays a warm start."""
    point = scenario
    if sample.get("budget", 1.0) != 1.0:
        point = scaled(point, "budget", sample["budget"])
    if sample.get("water", 1.0) != 1.0:
        point = scaled(point, "water", sample["water"])
    table = options.copy()
    cost = _multiplier(sample, "cost", table["action"])
    benefit = _multiplier(sample, "benefit", table["action"])
    if noise is not None:
        parcel_cost, parcel_benefit = noise.multipliers(table["parcel_id"])
        cost, benefit = cost * parcel_cost, benefit * parcel_benefit
    table["cost_wan"] = table["cost_wan"] * cost
    for c in CRITERIA:
        table[f"benefit_{c}"] = table[f"benefit_{c}"] * benefit
        table[f"norm_{c}"] = table[f"norm_{c}"] * benefit
    water = table["water_wan_m3_per_yr"]
    table["water_wan_m3_per_yr"] = water.where(water <= 0, water * sample.get("water_demand",
                                                                                1.0))
    catalogue = actions.copy()
    catalogue["survival"] = (catalogue["survival"] * sample.get("survival", 1.0)).clip(0, 1)
    return point, table, catalogue, perturbed_weights(weights, sample)
