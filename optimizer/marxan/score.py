"""Marxan's score of a selection: cost + BLM·boundary + connectivity + shortfall penalty.

The shortfall penalty follows Marxan 4 (``CalcPenaltiesOptimise`` and ``ChangePen`` in
marxan.cpp, Marxan-source-code): for each feature k a base penalty P_k is the cost of meeting
its target greedily — starting from the locked-in units (their cost counted), repeatedly
take the cheapest unit that alone meets the remaining target if one exists, else the unit with
the best amount / cost ratio, where a unit's cost is ``c_i + BLM·(fixed_i + Σ_j b_ij)``
(its cost plus all its boundary, Marxan's ``cost()``); locked-out units are never taken.
If the target cannot be met, P_k is scaled by target / amount reached. The score adds::

    Σ_k spf_k · P_k · max(0, t_k − held_k) / t_k

Occurrence targets, separation and clumping (target2) are not modelled.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.marxan.formulation import pair_terms
from optimizer.marxan.problem import MarxanProblem

_DELTA = 1e-14  # Marxan's stand-in for a zero cost


def held(problem: MarxanProblem, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Amount of each feature in the selection."""
    return np.asarray(problem.amounts.T @ x).ravel()


def boundary_length(problem: MarxanProblem, x: NDArray[np.float64]) -> float:
    """Σ_i fixed_i x_i + Σ_{i<j} b_ij |x_i − x_j| (not multiplied by BLM)."""
    return float(problem.fixed_boundary @ x
                 + problem.edge_b @ np.abs(x[problem.edge_i] - x[problem.edge_j]))


def connectivity_penalty(problem: MarxanProblem, x: NDArray[np.float64]) -> float:
    """BLM·Σ c_ij x_i (1 − x_j)."""
    if problem.conn is None:
        return 0.0
    return float(problem.blm * (x @ (problem.conn @ (1 - x))))


def penalty_objective(problem: MarxanProblem, x: NDArray[np.float64]) -> float:
    """The minimum-set objective: cost + BLM·boundary + connectivity (targets aside)."""
    pi, pj, alpha, beta, w, _ = pair_terms(problem)
    unit = problem.cost + problem.blm * problem.fixed_boundary
    return float(unit @ x + alpha @ x[pi] + beta @ x[pj] - w @ (x[pi] * x[pj]))


def feature_penalties(problem: MarxanProblem) -> NDArray[np.float64]:
    """Marxan's base penalty P_k per feature (see the module docstring)."""
    total_boundary = problem.fixed_boundary + np.bincount(
        np.concatenate([problem.edge_i, problem.edge_j]),
        weights=np.concatenate([problem.edge_b, problem.edge_b]), minlength=problem.n_units)
    unit_cost = problem.cost + problem.blm * total_boundary
    unit_cost = np.where(unit_cost == 0, _DELTA, unit_cost)
    amounts = problem.amounts.tocsc()
    targets = problem.targets
    penalties = np.zeros(problem.n_features)
    for k in range(problem.n_features):  # one greedy per feature (59 here), vectorised inside
        rows = amounts.indices[amounts.indptr[k]:amounts.indptr[k + 1]]
        vals = amounts.data[amounts.indptr[k]:amounts.indptr[k + 1]]
        locked = problem.locked_in[rows]
        start_amount = vals[locked].sum()
        start_cost = unit_cost[rows[locked]].sum()
        usable = ~locked & ~problem.locked_out[rows] & (vals > 0)
        a, c = vals[usable], unit_cost[rows[usable]]
        need = targets[k] - start_amount
        if need <= 0:
            penalties[k] = start_cost
            continue
        order = np.argsort(-a / c, kind="stable")
        a, c = a[order], c[order]
        before = np.concatenate([[0.0], np.cumsum(a)])[:-1]  # taken before step s
        remaining = need - before
        suffix_max = np.maximum.accumulate(a[::-1])[::-1]
        finish = np.flatnonzero(suffix_max >= remaining)
        if finish.size:
            s = finish[0]
            closing = c[s:][a[s:] >= remaining[s]].min()
            penalties[k] = start_cost + c[:s].sum() + closing
        else:
            reached = max(start_amount + a.sum(), _DELTA)
            penalties[k] = (start_cost + c.sum()) * targets[k] / reached
    return penalties


def shortfall_penalty(problem: MarxanProblem, x: NDArray[np.float64],
                      penalties: NDArray[np.float64] | None = None) -> float:
    """Σ_k spf_k · P_k · max(0, t_k − held_k) / t_k."""
    penalties = feature_penalties(problem) if penalties is None else penalties
    targets = problem.targets
    frac = np.where(targets > 0, np.maximum(targets - held(problem, x), 0)
                    / np.where(targets > 0, targets, 1), 0.0)
    return float(problem.spf * penalties @ frac)


def marxan_score(problem: MarxanProblem, x: NDArray[np.float64],
                 penalties: NDArray[np.float64] | None = None) -> dict[str, float]:
    """Marxan's score and its parts for selection ``x``."""
    cost = float(problem.cost @ x)
    boundary = boundary_length(problem, x)
    conn = connectivity_penalty(problem, x)
    shortfall = shortfall_penalty(problem, x, penalties)
    return {"score": cost + problem.blm * boundary + conn + shortfall, "cost": cost,
            "boundary": boundary, "connectivity": conn, "shortfall_penalty": shortfall}
