"""HiGHS backend: the compiled sparse arrays passed to highspy directly (no per-variable loop),
in a child process that is stopped when a call runs past its time limit
(optimizer/solvers/watchdog.py)."""

from __future__ import annotations

import time
from dataclasses import replace
from importlib.metadata import version

import numpy as np
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.solvers.common import SolverOptions, relative_gap
from optimizer.solvers.watchdog import highs_process, time_left
from optimizer.work import note_clock_stop

_ABS_GAP = 1e-6  # HiGHS's default mip_abs_gap, set explicitly


def model_arrays(model: CompiledModel, relax: bool = False, matrix: bool = True) -> dict:
    """The model as the plain arrays HiGHS reads (column-wise matrix; without it when
    ``matrix`` is false, for a child process that holds it already)."""
    arrays = {"n_cols": model.n_cols, "n_rows": model.n_rows, "sense": model.sense,
              "offset": float(model.obj_offset), "obj": model.obj.astype(float),
              "col_lower": model.col_lower.astype(float),
              "col_upper": model.col_upper.astype(float),
              "row_lower": model.row_lower.astype(float),
              "row_upper": model.row_upper.astype(float),
              "integrality": (None if relax or not model.integrality.any()
                              else model.integrality.astype(bool))}
    if matrix:
        columns = model.A.tocsc()
        arrays |= {"start": columns.indptr.astype(np.int32),
                   "index": columns.indices.astype(np.int32),
                   "value": columns.data.astype(float)}
    return arrays


def solve_highs(model: CompiledModel, options: SolverOptions,
                warm_start: NDArray[np.float64] | None = None,
                lp_relaxation: bool = False) -> SolveResult:
    """Solve with HiGHS within the time left (``options.time_limit_s`` cut to the enclosing
    time box); with ``lp_relaxation`` return the LP optimum and its row duals."""
    limit = time_left(float(options.time_limit_s))
    if limit <= 0:
        note_clock_stop("a HiGHS solve (not started: no time was left)")
        return SolveResult("time_limit_no_solution", None, None, None, None, 0.0, "highs",
                           version("highspy"), message="no time was left for this solve")
    process = highs_process()
    send_matrix = not process.holds(model.A)
    request = {"model": model_arrays(model, relax=lp_relaxation, matrix=send_matrix),
               "warm_start": (np.asarray(warm_start, dtype=float)
                              if warm_start is not None and not lp_relaxation else None),
               "options": {"verbose": options.verbose, "gap": options.gap,
                           "abs_gap": _ABS_GAP, "threads": options.threads,
                           "seed": options.seed, "presolve": options.presolve,
                           "lp_method": options.lp_method, "restart": options.restart,
                           "node_limit": options.node_limit,
                           "iteration_limit": options.iteration_limit}}
    start = time.monotonic()
    request["deadline"] = start + limit
    reply = process.call(request, request["deadline"], limit,
                         matrix=model.A if send_matrix else None)
    if reply is None:
        waited = time.monotonic() - start
        note_clock_stop(f"a HiGHS solve (stopped by the watchdog after {waited:.1f} s)")
        return SolveResult("time_limit_no_solution", None, None, None, None, waited, "highs",
                           version("highspy"),
                           message=f"HiGHS ran past its time limit of {limit:.1f} s and was "
                                   f"stopped after {waited:.1f} s")
    return _result(model, options, reply, lp_relaxation)


def _result(model: CompiledModel, options: SolverOptions, reply: dict,
            lp_relaxation: bool) -> SolveResult:
    result = _interpret(model, options, reply, lp_relaxation)
    return replace(result, work={"nodes": reply.get("nodes", 0),
                                 "iterations": reply.get("iterations", 0)})


def _interpret(model: CompiledModel, options: SolverOptions, reply: dict,
               lp_relaxation: bool) -> SolveResult:
    status, elapsed, solver_version = reply["status"], reply["elapsed"], reply["version"]
    message = f"HiGHS: {reply['status_text']}"
    if status == "kTimeLimit":
        nodes = reply.get("nodes", 0)  # -1 for an LP: no tree
        done = ", ".join(([f"{nodes} nodes"] if nodes >= 0 else [])
                         + [f"{reply.get('iterations', 0)} simplex iterations"])
        note_clock_stop(f"a HiGHS solve (stopped by its time limit after {elapsed:.1f} s: "
                        f"{done})")
    if status == "kInfeasible":
        return SolveResult("infeasible", None, None, None, None, elapsed, "highs",
                           solver_version, message="HiGHS: the model is infeasible")
    if status in ("kUnbounded", "kUnboundedOrInfeasible"):
        name = "unbounded" if status == "kUnbounded" else "infeasible"
        return SolveResult(name, None, None, None, None, elapsed, "highs", solver_version,
                           message=message)
    if reply["x"] is None:
        limits = ("kTimeLimit", "kSolutionLimit", "kIterationLimit")  # time, nodes, iterations
        kind = "time_limit_no_solution" if status in limits else "error"
        return SolveResult(kind, None, None, None, None, elapsed, "highs", solver_version,
                           message=message)
    x = reply["x"]
    objective = model.objective_value(x)
    optimal = status == "kOptimal"
    if lp_relaxation or not model.integrality.any():
        bound = objective if optimal else None
        # HiGHS's sign convention (the objective's change per unit of row activity);
        # optimizer.shadow_prices reports magnitudes for the ≤ limits.
        return SolveResult("optimal" if optimal else "feasible", x, objective, bound,
                           0.0 if bound is not None else None, elapsed, "highs",
                           solver_version, row_duals=reply["row_dual"])
    bound = reply["mip_dual_bound"]
    gap = relative_gap(objective, bound)
    # HiGHS stops at the relative gap asked for or at its absolute gap (mip_abs_gap, 1e-6),
    # whichever comes first: at gap 0 a tree closed to 1e-7 is as optimal as HiGHS gets.
    closed = gap <= options.gap + 1e-9 or abs(bound - objective) <= _ABS_GAP
    proven = optimal and closed
    return SolveResult("optimal" if proven else "feasible", x, objective, bound, gap, elapsed,
                       "highs", solver_version, message=message)
