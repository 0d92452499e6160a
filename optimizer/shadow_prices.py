"""Shadow prices of money and water: what one more 万元 or 万m³ in a year would buy."""

from __future__ import annotations

import numpy as np

from optimizer.compiled import CompiledModel
from optimizer.solvers import solve


def shadow_prices(model: CompiledModel, years: tuple[int, ...],
                  row_duals: np.ndarray | None = None) -> dict[int, dict[str, float]]:
    """Benefit (objective units) one more 万元 or 万m³ would buy in each year: the duals of
    the budget and water rows in the LP relaxation (``row_duals`` when the run solved it
    already, else solved here)."""
    if row_duals is None:
        row_duals = solve(model, "highs", time_limit_s=60.0, lp_relaxation=True).row_duals
    if row_duals is None:
        return {}
    prices: dict[int, dict[str, float]] = {y: {} for y in years}
    for name, key in (("budget", "budget_per_wan"), ("water", "water_per_wan_m3")):
        family = model.family(name)
        for year, dual in zip(years, row_duals[family.start:family.stop], strict=True):
            prices[year][key] = abs(float(dual))
    return prices
