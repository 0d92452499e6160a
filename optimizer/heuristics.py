"""Fast primal heuristics for any compiled model, to hand the MIP a strong warm start.

* **Fix and re-solve**: solve the LP relaxation, fix every integer column the LP put at 0 or
  1 and solve the few fractional ones exactly; if that is infeasible (a target needed the
  fractional columns at 1), fix only the LP's zeros.
* **Support polish** (a RINS-style neighbourhood, Danna, Rothberg & Le Pape 2005): free the
  integer columns that the LP or the incumbent uses, fix all others at 0, and solve that
  small MIP exactly; repeat from the new incumbent while it improves. Then widen the
  neighbourhood, one widening after the other (for schedules: optimizer/neighbourhoods.py),
  and go on. On the Turpan baseline the support alone has under a thousand free columns of
  ~94,000 and solves in seconds; the filler-parcel widening, which starts there instead,
  about 4,900. A node-limited sub-MIP runs without HiGHS's restart: the restart re-runs the
  root's cut loop once presolve has fixed a few more columns, and with one or two nodes the
  root is all the sub-MIP does (Turpan baseline, quiet, third session of 2026-12-02: the
  filler sub-MIP's one node took 23.5 s to 7.39811 with the restart, 17.2 s to 7.39936
  without; benchmarks/results.md).
* **One action's options** (:class:`Exchange`, after the widenings): free every option of
  one action (all parcels, all years), fix every other integer column at the incumbent, and
  solve that sub-MIP once, for each action the caller lists in turn. Capacity rows are
  knapsacks per action and year that the widenings above, built around the support, cannot
  re-pack; on the Turpan baseline re-packing grassland recovery, watershed control and
  enclosure this way gains 0.0046, 0.0019 and 0.0015 (benchmarks/results.md, "where the LP
  bound's 0.38 % comes from").
* The starts the caller has (greedy plans, optimizer/greedy.py; a sweep's previous point)
  compete with both.

Every solution returned is checked against every row of the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.solvers import solve
from optimizer.work import WorkLimits, note_clock_stop

TOL = 1e-6


@dataclass(frozen=True)
class WarmStart:
    """The best heuristic solution and where it came from."""

    x: NDArray[np.float64] | None
    objective: float | None
    source: str  # a start's name, "fix_and_resolve", "support_polish" or "none"
    candidates: dict[str, float | None]  # objective of each heuristic tried
    lp_bound: float | None
    lp_duals: NDArray[np.float64] | None = None  # the LP relaxation's row duals, if solved
    lp_infeasible: bool = False  # the LP relaxation is infeasible: so is every plan


def lp_relaxation(model: CompiledModel, time_limit_s: float = 15.0, threads: int = 2,
                  seed: int = 0) -> NDArray[np.float64] | None:
    """The LP relaxation's optimum, or None when it was not found in time."""
    return solve(model, "highs", time_limit_s=time_limit_s, lp_relaxation=True,
                 threads=threads, seed=seed).x


def _restricted(model: CompiledModel, lower: NDArray, upper: NDArray) -> CompiledModel:
    return replace(model, col_lower=lower, col_upper=upper)


def _feasible(model: CompiledModel, x: NDArray[np.float64] | None) -> bool:
    return x is not None and not model.violations(x)


def fix_and_resolve(model: CompiledModel, time_limit_s: float = 15.0, threads: int = 2,
                    seed: int = 0, lp: NDArray[np.float64] | None = None,
                    node_limit: int | None = None) -> NDArray[np.float64] | None:
    """A feasible solution of ``model`` (checked), or None when none was found in time (or
    within ``node_limit`` branch-and-bound nodes per sub-MIP).

    ``lp`` is the LP relaxation's optimum when the caller has it already."""
    lp = lp if lp is not None else lp_relaxation(model, time_limit_s, threads, seed)
    if lp is None:
        return None
    at_zero = model.integrality & (lp <= TOL)
    at_one = model.integrality & (lp >= 1.0 - TOL) & (model.col_upper == 1.0)
    for fixed_ones in (at_one, np.zeros_like(at_one)):
        lower = np.where(fixed_ones, 1.0, model.col_lower)
        upper = np.where(at_zero, 0.0, model.col_upper)
        result = solve(_restricted(model, lower, upper), "highs", time_limit_s=time_limit_s,
                       gap=1e-4, threads=threads, seed=seed, node_limit=node_limit)
        if _feasible(model, result.x):
            return result.x
    return None


Widen = Callable[[NDArray[np.bool_]], NDArray[np.bool_]]


@dataclass(frozen=True, eq=False)
class Exchange:
    """A polish neighbourhood that frees ``options`` (a mask over the option columns) and
    fixes every other integer column at the incumbent; ``name`` says which (for messages)."""

    name: str
    options: NDArray[np.bool_]


def support_only(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """The polish's first neighbourhood unless the caller has a wider one: the support."""
    return mask


def support_polish(model: CompiledModel, lp: NDArray[np.float64],
                   incumbent: NDArray[np.float64], time_limit_s: float = 15.0,
                   threads: int = 2, seed: int = 0,
                   neighbourhoods: Sequence[Widen | Exchange] = (support_only,),
                   work: WorkLimits | None = None) -> NDArray[np.float64]:
    """The incumbent improved by exact sub-MIPs over each of ``neighbourhoods`` in turn
    (see the module docstring): a widening of the LP's and the incumbent's support while it
    improves, an :class:`Exchange` once. All within ``time_limit_s``; with ``work``, the
    widenings solve at most ``polish_rounds`` sub-MIPs in all, of ``polish_nodes`` nodes
    each, and each exchange one sub-MIP of as many nodes as the same work on its freed
    columns allows (:func:`exchange_nodes`). The incumbent itself when nothing better is
    found."""
    deadline = time.perf_counter() + time_limit_s
    best, used = incumbent, 0
    exchanges_left = sum(isinstance(n, Exchange) for n in neighbourhoods)
    for neighbourhood in neighbourhoods:
        if isinstance(neighbourhood, Exchange):
            best, ended = _exchange(model, best, deadline, exchanges_left, threads, seed,
                                    neighbourhood, work)
            exchanges_left -= 1
        else:
            rounds = None if work is None else work.polish_rounds - used
            if rounds is not None and rounds <= 0:
                continue  # the widenings' work is done; exchanges may follow
            best, done, ended = _polish(model, lp, best, deadline, threads, seed,
                                        neighbourhood, rounds,
                                        None if work is None else work.polish_nodes)
            used += done
        if ended == "clock":
            break
    return best


def exchange_nodes(model: CompiledModel, free: NDArray[np.bool_], work: WorkLimits) -> int:
    """The node budget of an exchange sub-MIP whose free columns are ``free``: the work of
    one polish sub-MIP (``polish_nodes`` × the model's non-zeros) spread over the freed
    columns' non-zeros, as the rest is fixed (and presolved away)."""
    freed = int(np.diff(model.A.tocsc().indptr)[free].sum()) if free.any() else 0
    return max(work.polish_nodes,
               round(work.polish_nodes * max(int(model.A.nnz), 1) / max(freed, 1)))


def _exchange(model: CompiledModel, incumbent: NDArray[np.float64], deadline: float,
              exchanges_left: int, threads: int, seed: int, exchange: Exchange,
              work: WorkLimits | None) -> tuple[NDArray[np.float64], str]:
    """The incumbent after one exchange sub-MIP, and what ended it: "done" or "clock".
    Without ``work`` the exchanges left share the time left equally."""
    left = deadline - time.perf_counter()
    if left <= 0.5:
        note_clock_stop(f"the support polish (before re-packing {exchange.name})")
        return incumbent, "clock"
    free = np.zeros(model.n_cols, bool)
    free[:len(exchange.options)] = exchange.options
    fixed = model.integrality & ~free
    at = np.round(incumbent)
    lower = np.where(fixed, at, model.col_lower)
    upper = np.where(fixed, at, model.col_upper)
    result = solve(_restricted(model, lower, upper), "highs",
                   time_limit_s=left if work is not None else left / exchanges_left,
                   gap=1e-5, threads=threads, seed=seed, warm_start=incumbent,
                   node_limit=None if work is None else exchange_nodes(model, free, work),
                   restart=work is None)
    better = _feasible(model, result.x) and result.objective > model.objective_value(
        incumbent) + 1e-9 * abs(model.objective_value(incumbent))
    if work is not None and deadline - time.perf_counter() <= 0.0 and result.status != \
            "optimal":
        note_clock_stop(f"the support polish (re-packing {exchange.name})")
        return (result.x if better else incumbent), "clock"
    return (result.x if better else incumbent), "done"


def _polish(model: CompiledModel, lp: NDArray[np.float64], incumbent: NDArray[np.float64],
            deadline: float, threads: int, seed: int, neighbourhood: Widen,
            rounds: int | None, node_limit: int | None
            ) -> tuple[NDArray[np.float64], int, str]:
    """The polished plan, the sub-MIPs solved, and what ended the polish: "converged" (no
    better plan in the neighbourhood), "rounds" or "clock"."""
    best, best_value = incumbent, model.objective_value(incumbent)
    done = 0
    while (left := deadline - time.perf_counter()) > 0.5:
        if rounds is not None and done >= rounds:
            return best, done, "rounds"
        support = neighbourhood((lp > TOL) | (best > 0.5))
        closed = model.integrality & ~support & (model.col_lower <= 0.0)
        upper = np.where(closed, 0.0, model.col_upper)
        result = solve(_restricted(model, model.col_lower, upper), "highs", time_limit_s=left,
                       gap=1e-5, threads=threads, seed=seed, warm_start=best,
                       node_limit=node_limit, restart=node_limit is None)
        done += 1
        if not _feasible(model, result.x) or result.objective <= best_value + 1e-9 * abs(
                best_value):
            return best, done, "converged"
        best, best_value = result.x, result.objective
    note_clock_stop(f"the support polish (after {done} sub-MIPs, still improving)" if done
                    else "the support polish (before its first sub-MIP)")
    return best, done, "clock"


def best_start(model: CompiledModel, starts: Mapping[str, NDArray[np.float64] | None],
               lp_bound: float | None = None,
               lp_duals: NDArray[np.float64] | None = None) -> WarmStart:
    """The best feasible one of ``starts`` (named solutions; None or infeasible ones are
    listed among the candidates without a value)."""
    found = {k: x for k, x in starts.items() if _feasible(model, x)}
    values = {k: (model.objective_value(found[k]) if k in found else None) for k in starts}
    if not found:
        return WarmStart(None, None, "none", values, lp_bound, lp_duals)
    source = max(found, key=lambda k: values[k])
    return WarmStart(found[source], values[source], source, values, lp_bound, lp_duals)


def best_warm_start(model: CompiledModel, starts: Mapping[str, NDArray[np.float64] | None],
                    time_limit_s: float = 20.0, threads: int = 2, seed: int = 0,
                    neighbourhoods: Sequence[Widen] = (support_only,),
                    lp_time_limit_s: float | None = None,
                    work: WorkLimits | None = None) -> WarmStart:
    """The best of ``starts`` (greedy plans, the previous point of a sweep …),
    fix-and-re-solve and support polish within ``time_limit_s``, of which the LP relaxation
    may take ``lp_time_limit_s`` (default: all). With ``work`` (a seeded run), each step is
    bounded by its work budget instead, the times being only caps: fix-and-re-solve and the
    polish may then use all the time left."""
    deadline = time.perf_counter() + time_limit_s
    lp_limit = time_limit_s if lp_time_limit_s is None else min(lp_time_limit_s, time_limit_s)
    relaxed = solve(model, "highs", time_limit_s=lp_limit, lp_relaxation=True,
                    threads=threads, seed=seed,
                    iteration_limit=None if work is None else work.lp_iterations)
    lp = relaxed.x if relaxed.bound is not None or work is None else None
    candidates = dict(starts)
    if lp is not None:
        left = max(deadline - time.perf_counter(), 1.0)
        candidates["fix_and_resolve"] = fix_and_resolve(
            model, left / 2 if work is None else left, threads, seed, lp,
            node_limit=None if work is None else work.fix_nodes)
        start = best_start(model, candidates)
        if start.x is not None:
            left = max(deadline - time.perf_counter(), 1.0)
            candidates["support_polish"] = support_polish(model, lp, start.x, left, threads,
                                                            seed, neighbourhoods, work)
    # bound and duals are None unless the LP was solved
    return replace(best_start(model, candidates, relaxed.bound, relaxed.row_duals),
                   lp_infeasible=relaxed.status == "infeasible")
