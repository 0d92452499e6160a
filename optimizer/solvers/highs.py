"""HiGHS backend: the compiled sparse arrays passed to highspy directly (no per-variable loop)."""

from __future__ import annotations

import os
import sys
import time

import highspy
import numpy as np
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.solvers.common import SolverOptions, relative_gap

_INF = highspy.kHighsInf
_ABS_GAP = 1e-6  # HiGHS's default mip_abs_gap, set explicitly below


def _swallow_banner() -> None:
    """HiGHS prints a banner on stdout at the first Highs() of a process; swallow it once so
    that ``--json`` output stays machine-readable and the CLI stays quiet."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


_swallow_banner()

#: HiGHS sizes one thread pool per process at its first run; a later run asking for another
#: thread count fails ("Not Set") unless the pool is rebuilt. Remember the size in use.
_pool_threads: int | None = None


def _set_threads(h: highspy.Highs, threads: int) -> None:
    """Use ``threads`` threads, rebuilding the process's pool when the count changes."""
    global _pool_threads
    if _pool_threads is not None and _pool_threads != threads:
        h.resetGlobalScheduler(True)
    _pool_threads = threads
    h.setOptionValue("threads", threads)


def _lp(model: CompiledModel, relax: bool) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_ = model.n_cols
    lp.num_row_ = model.n_rows
    lp.sense_ = highspy.ObjSense.kMaximize if model.sense == "max" else highspy.ObjSense.kMinimize
    lp.offset_ = model.obj_offset
    lp.col_cost_ = model.obj.astype(float)
    lp.col_lower_ = np.where(np.isfinite(model.col_lower), model.col_lower, -_INF)
    lp.col_upper_ = np.where(np.isfinite(model.col_upper), model.col_upper, _INF)
    lp.row_lower_ = np.where(np.isfinite(model.row_lower), model.row_lower, -_INF)
    lp.row_upper_ = np.where(np.isfinite(model.row_upper), model.row_upper, _INF)
    matrix = model.A.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    lp.a_matrix_.num_col_ = model.n_cols
    lp.a_matrix_.num_row_ = model.n_rows
    if not relax and model.integrality.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else
                           highspy.HighsVarType.kContinuous for i in model.integrality]
    return lp


def solve_highs(model: CompiledModel, options: SolverOptions,
                warm_start: NDArray[np.float64] | None = None,
                lp_relaxation: bool = False) -> SolveResult:
    """Solve with HiGHS; with ``lp_relaxation`` return the LP optimum and its row duals."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", options.verbose)
    h.setOptionValue("time_limit", float(options.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(options.gap))
    h.setOptionValue("mip_abs_gap", _ABS_GAP)
    _set_threads(h, int(options.threads))
    h.setOptionValue("random_seed", int(options.seed))
    if not options.presolve:
        h.setOptionValue("presolve", "off")
    if options.lp_method == "ipm":
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
    h.passModel(_lp(model, relax=lp_relaxation))
    if warm_start is not None and not lp_relaxation:
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(warm_start, dtype=float)
        solution.value_valid = True
        h.setSolution(solution)
    start = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - start
    status = h.getModelStatus()
    info = h.getInfo()
    version = f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    kinds = highspy.HighsModelStatus
    if status == kinds.kInfeasible:
        return SolveResult("infeasible", None, None, None, None, elapsed, "highs", version,
                           message="HiGHS: the model is infeasible")
    if status in (kinds.kUnbounded, kinds.kUnboundedOrInfeasible):
        name = "unbounded" if status == kinds.kUnbounded else "infeasible"
        return SolveResult(name, None, None, None, None, elapsed, "highs", version,
                           message=f"HiGHS: {h.modelStatusToString(status)}")
    if not has_solution:
        kind = "time_limit_no_solution" if status == kinds.kTimeLimit else "error"
        return SolveResult(kind, None, None, None, None, elapsed, "highs", version,
                           message=f"HiGHS: {h.modelStatusToString(status)}")
    x = np.asarray(h.getSolution().col_value, dtype=float)
    objective = model.objective_value(x)
    if lp_relaxation or not model.integrality.any():
        bound = objective if status == kinds.kOptimal else None
        duals = np.asarray(h.getSolution().row_dual, dtype=float)
        # HiGHS's sign convention (the objective's change per unit of row activity);
        # optimizer.shadow_prices reports magnitudes for the ≤ limits.
        return SolveResult("optimal" if status == kinds.kOptimal else "feasible", x, objective,
                           bound, 0.0 if bound is not None else None, elapsed, "highs",
                           version, row_duals=duals)
    bound = float(info.mip_dual_bound)
    gap = relative_gap(objective, bound)
    # HiGHS stops at the relative gap asked for or at its absolute gap (mip_abs_gap, 1e-6),
    # whichever comes first: at gap 0 a tree closed to 1e-7 is as optimal as HiGHS gets.
    closed = gap <= options.gap + 1e-9 or abs(bound - objective) <= _ABS_GAP
    proven = status == kinds.kOptimal and closed
    return SolveResult("optimal" if proven else "feasible", x, objective, bound, gap, elapsed,
                       "highs", version, message=f"HiGHS: {h.modelStatusToString(status)}")
