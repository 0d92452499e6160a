"""Factors and sample designs: one-at-a-time, Morris, Sobol (SALib) and Monte Carlo.

A factor is a multiplier on one input: a criterion weight (re-normalised afterwards), the
budget, the water limit, unit costs, benefit estimates, survival rates or water demand.
Costs and benefits have one factor for the region or one per action (scenario setting
``per``); with ``per = "parcel"`` the region's factor is further multiplied by a seeded draw
per parcel in :mod:`sensitivity.perturb`.
A sample is a dict factor → multiplier; 1.0 everywhere is the base plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from region.scenario_run_settings import SensitivitySettings


@dataclass(frozen=True)
class Factor:
    """A multiplier on one input, sampled in [low, high]."""

    name: str  # weight:sand, budget, water, cost, cost:enclosure, benefit, survival, …
    low: float
    high: float


def factors(settings: SensitivitySettings, weights: dict[str, float],
            actions: list[str]) -> list[Factor]:
    """The factors of an analysis; weights that are zero are left out (nothing to scale)."""
    s = settings
    out = [Factor(f"weight:{c}", 1 - s.weight_range, 1 + s.weight_range)
           for c, w in weights.items() if w > 0]
    out += [Factor("budget", 1 - s.budget_range, 1 + s.budget_range),
            Factor("water", 1 - s.water_range, 1 + s.water_range)]
    scopes = [f":{a}" for a in actions] if s.per == "action" else [""]
    for kind, half in (("cost", s.cost_range), ("benefit", s.benefit_range)):
        out += [Factor(kind + scope, 1 - half, 1 + half) for scope in scopes]
    out += [Factor("survival", 1 - s.survival_range, 1 + s.survival_range),
            Factor("water_demand", 1 - s.water_demand_range, 1 + s.water_demand_range)]
    return [f for f in out if f.high > f.low]


def salib_problem(design: list[Factor]) -> dict:
    """The SALib problem definition of a list of factors."""
    return {"num_vars": len(design), "names": [f.name for f in design],
            "bounds": [[f.low, f.high] for f in design]}


def morris_samples(design: list[Factor], trajectories: int, seed: int,
                   levels: int = 4) -> np.ndarray:
    """Morris elementary-effect trajectories (SALib): (trajectories × (k+1)) × k."""
    return morris_sample.sample(salib_problem(design), trajectories, num_levels=levels,
                                seed=seed)


def sobol_samples(design: list[Factor], base: int, seed: int) -> np.ndarray:
    """Saltelli samples for first and total Sobol indices: base × (k+2) rows (no second order)."""
    return sobol_sample.sample(salib_problem(design), base, calc_second_order=False,
                               seed=seed)


def oat_samples(design: list[Factor], steps: tuple[float, ...] = (0.4, 1.0)) -> np.ndarray:
    """One at a time: each factor moved to ± step × its half-range, the others at 1.0
    (for weights with the scenario's ±25 %: ±10 % and ±25 %)."""
    rows = []
    for k, factor in enumerate(design):
        half = (factor.high - factor.low) / 2
        for step in steps:
            for sign in (-1.0, 1.0):
                row = np.ones(len(design))
                row[k] = 1.0 + sign * step * half
                rows.append(row)
    return np.array(rows)


def dirichlet_weights(weights: dict[str, float], draws: int, concentration: float,
                      seed: int) -> list[dict[str, float]]:
    """Weight vectors drawn from a Dirichlet centred on the scenario's weights."""
    names = [c for c, w in weights.items() if w > 0]
    centre = np.array([weights[c] for c in names]) / sum(weights[c] for c in names)
    rng = np.random.default_rng(seed)
    return [dict(zip(names, row, strict=True))
            for row in rng.dirichlet(centre * concentration, size=draws)]


def montecarlo_samples(design: list[Factor], weights: dict[str, float], draws: int,
                       settings: SensitivitySettings, seed: int) -> np.ndarray:
    """Weights from the Dirichlet (expressed as multipliers of the scenario's), the other
    factors uniform in their ranges."""
    rng = np.random.default_rng(seed)
    rows = rng.uniform([f.low for f in design], [f.high for f in design],
                       size=(draws, len(design)))
    drawn = dirichlet_weights(weights, draws, settings.dirichlet_concentration, seed + 1)
    total = sum(w for w in weights.values() if w > 0)
    for k, factor in enumerate(design):
        if factor.name.startswith("weight:"):
            c = factor.name.split(":", 1)[1]
            rows[:, k] = [d[c] * total / weights[c] for d in drawn]
    return rows
