"""Solve a minimum-set problem: a start from the Lagrangian's cuts, then the exact MIP (small
problems) or large-neighbourhood search (large ones), with an honest bound.

Every solve begins with the greedy start (repaired) and the Lagrangian bound of the targets
(optimizer/marxan/lagrangian.py: one minimum cut per step, the LP bound's value without the
LP); roundings of its last cuts, repaired to meet every target, are the start when one is
better (marxan-cloud-sample, prop 0.3: 4.2-4.3 M against the greedy's 5.9 M). Small
problems (≤ ``exact_max_units`` free units) then go to HiGHS whole (with the dominance rows
of :func:`compile_minset`), warm-started, and the bound is the better of HiGHS's and the
Lagrangian's; with boundary penalties the bound can stay far from the optimum (the LP meets
targets only on average, see docs/marxan.md), so "feasible" with a gap is a normal outcome.
Large ones run LNS from the start for the time left, the gap against the Lagrangian bound.
Either ends with the local search of optimizer/marxan/local_search.py (a tenth of the limit, ≤ 2 s).
Everything runs in a time box of the time limit: every solver call gets the time left, and
a HiGHS call that overruns is stopped (optimizer/solvers/watchdog.py). The ``product``
boundary form is the default: on 500-unit LNS windows and on a 200-unit exact cut HiGHS
solves it faster than the ``abs`` form, and both have the same LP bound (3,164,116 on
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
from optimizer.marxan.lagrangian import LagrangianResult, lagrangian_bound
from optimizer.marxan.lns import lns
from optimizer.marxan.local_search import improve
from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.score import penalty_objective
from optimizer.solvers import prestart, relative_gap, solve, time_box, time_left


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


def solve_minset(problem: MarxanProblem, *, time_limit_s: float = 60.0, gap: float = 1e-3,
                 seed: int = 0, threads: int = 2, exact_max_units: int = 2000,
                 boundary_form: BoundaryForm = "product",
                 model: CompiledModel | None = None) -> MarxanSolution:
    """Best selection meeting every target within ``time_limit_s`` (every solver call inside
    gets the time left; HiGHS is stopped if it overruns).

    ``model`` replaces the compiled full model on the exact path (the portfolio adds no-good
    rows to it).
    """
    start = time.perf_counter()
    problem.check_feasible()
    prestart()
    with time_box(time_limit_s):
        x = repair(problem, greedy(problem))
        n_free = int((~(problem.locked_in | problem.locked_out)).sum())
        exact = n_free <= exact_max_units or model is not None
        share = _lagrangian_share(time_limit_s, exact)
        lag = lagrangian_bound(problem, time_limit_s=share, threads=threads)
        x = _best_repaired_cut(problem, lag, x, time_limit_s=share / 2)
        polish_s = _polish_share(time_limit_s)
        if exact:
            return _solve_exact(problem, x, lag.bound, start, gap=gap, seed=seed,
                                threads=threads, boundary_form=boundary_form, model=model,
                                polish_s=polish_s)
        left = time_limit_s - (time.perf_counter() - start) - polish_s
        found = lns(problem, x, time_limit_s=max(left, 0.0), seed=seed, threads=threads,
                    boundary_form=boundary_form)
        chosen = improve(problem, found.x, time_limit_s=max(time_left(polish_s), 0.0))
    value = penalty_objective(problem, chosen)
    gap_value = relative_gap(value, lag.bound)
    status = "optimal" if gap_value <= gap else "feasible"
    return MarxanSolution(chosen, value, lag.bound, gap_value, status,
                          time.perf_counter() - start, "lagrangian+lns", found.trace)


#: Roundings of the Lagrangian's last cuts tried as starts, in this order (last cuts, share
#: selecting a unit). Near the best multipliers the cuts swing between few units and many,
#: so the roundings come in a few sizes, and which size repairs best depends on the targets
#: (marxan-cloud-sample, 6-s Lagrangian, busy machine: best at 0.9 of the last 10 for prop
#: 0.1, 0.7 of the last 30 for 0.3, 0.7 of the last 10 for 0.45, 0.5 of the last 10 for
#: 0.6). The first two were within 2 % of the best of the twelve tried at all four props.
ROUNDINGS = ((30, 0.5), (30, 0.7), (10, 0.9), (10, 0.5), (10, 0.7), (30, 0.9), (30, 0.4))


def _best_repaired_cut(problem: MarxanProblem, lag: LagrangianResult,
                       start: NDArray[np.float64], time_limit_s: float) -> NDArray[np.float64]:
    """The best of ``start`` and the :data:`ROUNDINGS` of the Lagrangian's last cuts (and
    its best cut) repaired to meet every target: the first two, then as many as
    ``time_limit_s`` allows; none once the enclosing time box has run out (a repair is not
    interruptible: on a machine at load 8 two of them took 4.5 s of a 3-s limit)."""
    began = time.perf_counter()
    best, best_value = start, penalty_objective(problem, start)
    tried: set[bytes] = set()
    for x in (*(lag.majority(last, share) for last, share in ROUNDINGS), lag.cut):
        if time_left(1.0) <= 0:
            break
        key = np.packbits(x > 0.5).tobytes()
        if key in tried:
            continue
        tried.add(key)
        candidate = repair(problem, x, batch=5)
        value = penalty_objective(problem, candidate)
        if value < best_value - 1e-9:
            best, best_value = candidate, value
        if len(tried) >= 2 and time.perf_counter() - began > time_limit_s:
            break
    return best


def _lagrangian_share(time_limit_s: float, exact: bool) -> float:
    """Time for the Lagrangian bound: it stops earlier once it converges (the 653-unit
    problem: ~2 s on a busy machine). On large problems 40 % of the limit (≤ 10 s): its
    roundings are the start LNS improves by only ~1 % in the rest, and 40 % did better than
    20 % at props 0.2, 0.4 and 0.6 of the sample in 15 s (2.98 vs 3.20 M, 5.14 vs 5.25 M,
    7.38 vs 7.78 M, side by side on a busy machine), with tighter bounds. Exact solves get a
    twentieth, as HiGHS's root soon gives a bound of its own (82.6 on the 653-unit problem
    against the Lagrangian's 81.2) and their incumbent comes from HiGHS's search."""
    return min(10.0, (0.05 if exact else 0.4) * time_limit_s)


def _polish_share(time_limit_s: float) -> float:
    """Time kept for the local search after HiGHS or LNS: a tenth of the limit, at most 2 s.
    On the 653 units it ends in 0.04-0.7 s (measured from HiGHS's and annealed selections);
    on the 12,178 units it is still improving at 2 s, and what it saves there is found in
    the clock's last seconds by neither."""
    return min(2.0, 0.1 * time_limit_s)


def _solve_exact(problem: MarxanProblem, x: NDArray[np.float64], bound: float,
                 start: float, *, gap: float, seed: int, threads: int,
                 boundary_form: BoundaryForm, model: CompiledModel | None,
                 polish_s: float) -> MarxanSolution:
    """The whole MIP in HiGHS from the start ``x``, for the time left but ``polish_s``, then
    the local search for what is left; the answer keeps the better of HiGHS's bound and
    ``bound``, and the start when HiGHS returns nothing better."""
    model = (compile_minset(problem, boundary_form=boundary_form, dominance=True)
             if model is None else model)
    ws = warm_start(model, x)
    ws = None if model.violations(ws) else ws  # (a portfolio's no-good rows may cut it off)
    res = solve(model, "highs", time_limit_s=max(time_left(np.inf) - polish_s, 0.0), gap=gap,
                threads=threads, seed=seed, warm_start=ws)
    if res.x is None and ws is None:
        raise RuntimeError(f"HiGHS found no selection: {res.status} ({res.message})")
    chosen = x if res.x is None else selection(model, res.x)
    if ws is not None and penalty_objective(problem, x) < penalty_objective(problem, chosen):
        chosen = x
    proven = res.status == "optimal" and chosen is not x
    if not proven:
        polished = improve(problem, chosen, time_limit_s=max(time_left(polish_s), 0.0))
        if not model.violations(warm_start(model, polished)):  # a portfolio's no-good rows
            chosen = polished
    value = penalty_objective(problem, chosen)
    best_bound = bound if res.bound is None or not np.isfinite(res.bound) else max(
        bound, res.bound)
    gap_value = relative_gap(value, best_bound)
    status = "optimal" if proven or gap_value <= gap else "feasible"
    return MarxanSolution(chosen, value, best_bound, gap_value, status,
                          time.perf_counter() - start, "highs")


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
