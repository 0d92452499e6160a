"""Explain an infeasible scenario: which limits or rules must give, where, and by how much.

Elastic model: every row of a "soft" family (budget, a county's own money, water, targets,
mandatory options, capacity, county shares) gets a slack column, weighted by
1/max(|bound|, 1) so a shortfall counts relative to its limit; minimising total weighted
slack finds a smallest set of relaxations that makes the scenario feasible. The rows with
slack are the conflict.

When the elastic model is an LP (the relaxation's conflict), its row duals say what else
binds: a soft row without slack whose dual is not 0 is a limit whose rise (or another
requirement whose fall) would lessen the weighted shortfall, e.g. the money of the years up
to a target's year, or another target paid from the same money (:func:`binding_rows`).
Duals of a degenerate LP are not unique: the rows named are those this solution's duals
show, not every row that could bind.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from optimizer.compiled import CompiledModel
from optimizer.solvers import solve

SOFT_FAMILIES = ("budget", "budget_total", "water", "water_city", "water_total", "target",
                 "locked_in", "capacity", "county_share", "budget_county")
UNITS = {"budget": "万元", "budget_total": "万元", "budget_county": "万元", "water": "万m³",
         "water_city": "万m³", "water_total": "万m³", "capacity": "km²"}


def explain_infeasibility(model: CompiledModel, time_limit_s: float = 30.0,
                          relaxed: bool = False) -> list[str]:
    """Lines naming each relaxed row, e.g. 'water[2028]: needs 3,400 万m³, limit 3,000 万m³'.
    ``relaxed``: of the LP relaxation (integrality dropped), when that is infeasible
    already: its rows conflict in every plan, and its elastic model is an LP, solved in a
    moment where the elastic MIP may take the whole time limit. Its figures count works in
    fractions, so its lines say so: whole works need at least as much and reach no more (a
    target said reachable up to 0.9 may be reachable only up to 0.5 by whole works)."""
    soft_rows, signs = [], []
    for family in model.families:
        if family.name not in SOFT_FAMILIES:
            continue
        for row in range(family.start, family.stop):
            if np.isfinite(model.row_upper[row]):
                soft_rows.append(row)
                signs.append(-1.0)  # A x − s ≤ upper
            if np.isfinite(model.row_lower[row]):
                soft_rows.append(row)
                signs.append(1.0)  # A x + s ≥ lower
    if not soft_rows:
        return ["no budget, water or target rule can be relaxed: the structural rules "
                "(one action per parcel, precedence, chains) contradict each other"]
    k = len(soft_rows)
    slack = sp.csr_matrix((signs, (soft_rows, np.arange(k))), shape=(model.n_rows, k))
    bounds = np.where(np.array(signs) < 0, model.row_upper[soft_rows],
                      model.row_lower[soft_rows])
    weight = 1.0 / np.maximum(np.abs(bounds), 1.0)
    elastic = CompiledModel(
        "min", np.concatenate([np.zeros(model.n_cols), weight]),
        sp.hstack([model.A, slack]).tocsr(), model.row_lower, model.row_upper,
        np.concatenate([model.col_lower, np.zeros(k)]),
        np.concatenate([model.col_upper, np.full(k, np.inf)]),
        np.concatenate([model.integrality & (not relaxed), np.zeros(k, bool)]),
        model.families)
    result = solve(elastic, "highs", time_limit_s=time_limit_s, gap=1e-4)
    if result.x is None:
        return [f"could not locate the conflict ({result.status}); relax the budget, water "
                "and targets one at a time to find it"]
    amounts = result.x[model.n_cols:]
    activity = model.A @ result.x[: model.n_cols]
    lines = []
    relaxation = " even with works counted in fractions (the LP relaxation; whole works "
    needs, reaches = ((relaxation + "need at least as much)", relaxation + "reach no more)")
                      if relaxed else ("", ""))
    relaxed_rows = set()
    for row, sign, bound, amount in zip(soft_rows, signs, bounds, amounts, strict=True):
        if amount <= 1e-6 * max(1.0, abs(bound)):
            continue
        relaxed_rows.add(row)
        label = model.row_label(row)
        family = label.split("[")[0]
        unit = UNITS.get(family, "")
        if sign < 0:
            lines.append(f"{label}: the rest of the scenario needs {activity[row]:,.4g} {unit}"
                         f"{needs} but the limit is {bound:,.4g} {unit} (short by "
                         f"{amount:,.4g})")
        else:
            lines.append(f"{label}: at most {activity[row]:,.4g} is reachable with the other "
                         f"limits{reaches}, but "
                         f"{bound:,.4g} is required (short by {amount:,.4g})")
    if not lines:
        return ["the conflict could not be pinned to a budget, water or target row"]
    if relaxed and result.row_duals is not None:
        binding = binding_rows(model, np.asarray(result.row_duals), activity,
                               sorted(set(soft_rows) - relaxed_rows))
        if binding:
            lines.append(f"what binds {'it' if len(relaxed_rows) == 1 else 'them'} in the "
                         "LP relaxation (its non-zero duals: raising "
                         "one of these limits, or lowering one of these other requirements, "
                         f"would lessen the shortfall): {binding}")
    return lines


#: Rows named per family in :func:`binding_rows` before the rest are counted.
ROWS_NAMED = 6


def binding_rows(model: CompiledModel, duals: np.ndarray, activity: np.ndarray,
                 rows: list[int]) -> str:
    """The rows of ``rows`` whose dual is not 0, each with its limit ("budget[2028] ≤ 450
    万元", "target[fence] ≥ 20"), at most :data:`ROWS_NAMED` a family, the rest counted;
    "" when none."""
    named: dict[str, list[str]] = {}
    limits: dict[str, list[float]] = {}  # the ≤ limits of a family, summed when several
    for row in rows:
        if abs(duals[row]) <= 1e-9:
            continue
        label = model.row_label(row)
        family = label.split("[")[0]
        unit = f" {UNITS[family]}" if family in UNITS else ""
        upper, lower = model.row_upper[row], model.row_lower[row]
        at_upper = np.isfinite(upper) and (not np.isfinite(lower)
                                           or abs(activity[row] - upper)
                                           <= abs(activity[row] - lower))
        named.setdefault(family, []).append(
            f"{label} ≤ {upper:,.4g}{unit}" if at_upper else f"{label} ≥ {lower:,.4g}{unit}")
        if at_upper and unit:
            limits.setdefault(family, []).append(float(upper))
    parts = []
    for family, said in named.items():
        parts += said[:ROWS_NAMED]
        if len(said) > ROWS_NAMED:
            parts.append(f"and {len(said) - ROWS_NAMED} more rows of {family}")
        if len(limits.get(family, ())) == len(said) > 1:
            parts[-1] += f" ({sum(limits[family]):,.4g} {UNITS[family]} in all)"
    return "; ".join(parts)
