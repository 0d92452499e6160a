"""Replacement-cost importance of selected units (prioritizr's
``eval_replacement_importance``): re-solve with the unit locked out;
importance = objective without it − objective with it (∞ when the targets then cannot be met).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from optimizer.marxan.minset import MarxanSolution, solve_minset
from optimizer.marxan.problem import LOCKED_OUT, MarxanInfeasibleError, MarxanProblem


def replacement_importance(problem: MarxanProblem, solution: MarxanSolution,
                           units: NDArray[np.int64] | None = None, *, top_k: int = 10,
                           time_limit_s: float = 10.0, seed: int = 0) -> dict[int, float]:
    """Importance per unit index. ``units`` default: the ``top_k`` selected free units with
    the highest cost. Each re-solve has ``time_limit_s``; on large problems the re-solve is
    heuristic, so a small importance can be noise of the search (read it as approximate)."""
    if units is None:
        chosen = np.flatnonzero((solution.x > 0.5) & (problem.status != 2))
        units = chosen[np.argsort(-problem.cost[chosen], kind="stable")[:top_k]]
    out: dict[int, float] = {}
    for unit in units:  # one re-solve per asked unit (top_k of them), not per parcel
        status = problem.status.copy()
        status[unit] = LOCKED_OUT
        try:
            other = solve_minset(replace(problem, status=status), time_limit_s=time_limit_s,
                                 seed=seed)
        except MarxanInfeasibleError:
            out[int(unit)] = float("inf")
            continue
        out[int(unit)] = other.objective - solution.objective
    return out
