"""Solve a minimum-set problem: heuristic start, then the exact MIP (small problems) or
large-neighbourhood search (large ones), with an honest bound.

Small problems (≤ ``exact_max_units`` free units) go to HiGHS whole (with the dominance rows
of :func:`compile_minset`), warm-started from the heuristic, so the answer carries HiGHS's
proven bound; with boundary penalties that bound can stay far from the optimum (the LP meets
targets only on average, see docs/marxan.md), so "feasible" with a gap is a normal outcome.
Large ones run LNS on the heuristic's solution for the time left, and the bound is the full
model's LP relaxation solved by interior point; the gap reported is against that bound. The
``product`` boundary form is the default: on 500-unit LNS windows and on a 200-unit exact cut
HiGHS solves it faster than the ``abs`` form, and both have the same LP bound (3,164,116 on
marxan-cloud-sample, measured).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.marxan.formulation import (
    BoundaryForm,
    compile_max_coverage,
    compile_minset,
    selection,
    warm_start,
)
from optimizer.marxan.heuristics import greedy, repair
from optimizer.marxan.lns import lns
from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.score import penalty_objective
from optimizer.solvers import relative_gap, solve


@dataclass
class MarxanSolution:
    """One selection and how good it is known to be."""

    x: NDArray[np.float64]
    objective: float
    bound: float | None
    gap: float | None
    status: str  # "optimal" (within the asked gap), "feasible"
    time_s: float
    method: str
    trace: list[tuple[float, float]] = field(default_factory=list)


def lp_bound(problem: MarxanProblem, time_limit_s: float = 10.0, threads: int = 2) -> float | None:
    """The full minimum-set model's LP relaxation optimum (a valid lower bound), or None.

    Solved by interior point without crossover: dual simplex on this degenerate LP stalls for
    minutes on 12k units where IPM takes seconds. The value is optimal to IPM's tolerance
    (1e-8 relative).
    """
    relaxed = solve(compile_minset(problem), "highs", time_limit_s=time_limit_s,
                    threads=threads, lp_relaxation=True, lp_method="ipm")
    return relaxed.objective if relaxed.status == "optimal" else None


def solve_minset(problem: MarxanProblem, *, time_limit_s: float = 60.0, gap: float = 1e-3,
                 seed: int = 0, threads: int = 2, exact_max_units: int = 2000,
                 boundary_form: BoundaryForm = "product",
                 model: CompiledModel | None = None) -> MarxanSolution:
    """Best selection meeting every target within ``time_limit_s``.

    ``model`` replaces the compiled full model on the exact path (the portfolio adds no-good
    rows to it).
    """
    start = time.perf_counter()
    problem.check_feasible()
    x = repair(problem, greedy(problem))
    n_free = int((~(problem.locked_in | problem.locked_out)).sum())
    if n_free <= exact_max_units or model is not None:
        model = (compile_minset(problem, boundary_form=boundary_form, dominance=True)
                 if model is None else model)
        left = max(time_limit_s - (time.perf_counter() - start), 0.5)
        ws = warm_start(model, x)
        ws = None if model.violations(ws) else ws
        res = solve(model, "highs", time_limit_s=left, gap=gap, threads=threads, seed=seed,
                    warm_start=ws)
        if res.x is None:
            raise RuntimeError(f"HiGHS found no selection: {res.status} ({res.message})")
        chosen = selection(model, res.x)
        return MarxanSolution(chosen, penalty_objective(problem, chosen), res.bound, res.gap,
                              res.status, time.perf_counter() - start, "highs")
    # IPM takes ~9 s on 12k units here; the cap leaves room for a busy machine (at 10 s, a
    # shared machine once returned no bound) and only costs LNS time when IPM is slow.
    bound = lp_bound(problem, time_limit_s=min(20.0, 0.3 * time_limit_s), threads=threads)
    left = time_limit_s - (time.perf_counter() - start) - 0.5
    found = lns(problem, x, time_limit_s=max(left, 0.0), seed=seed, threads=threads,
                boundary_form=boundary_form)
    value = found.objective
    gap_value = relative_gap(value, bound) if bound is not None else None
    status = "optimal" if gap_value is not None and gap_value <= gap else "feasible"
    return MarxanSolution(found.x, value, bound, gap_value, status,
                          time.perf_counter() - start, "greedy+lns", found.trace)


def solve_max_coverage(problem: MarxanProblem, budget: float, *, time_limit_s: float = 60.0,
                       gap: float = 1e-3, seed: int = 0, threads: int = 2) -> MarxanSolution:
    """Most features meeting their target for a total cost ≤ ``budget``."""
    start = time.perf_counter()
    model = compile_max_coverage(problem, budget)
    res = solve(model, "highs", time_limit_s=time_limit_s, gap=gap, threads=threads, seed=seed)
    if res.x is None or res.objective is None:
        raise RuntimeError(f"max coverage: {res.status} ({res.message}); is the budget "
                           f"{budget} below the cost of the locked-in units?")
    return MarxanSolution(selection(model, res.x), res.objective, res.bound, res.gap,
                          res.status, time.perf_counter() - start, "highs")
