"""CP-SAT (OR-Tools): the compiled model scaled to integers, with the scaling error bounded.

CP-SAT needs integer variables and coefficients. Continuous columns become integers in units
of 1/CONTINUOUS_UNITS (e.g. 0.01 万元 for carry-over money); each row is multiplied by the
smallest power of ten (≤ 10^MAX_ROW_DIGITS) that makes its coefficients and bounds whole,
and rounded beyond that; the objective is scaled to OBJECTIVE_RESOLUTION integer steps.
The reported ``scaling_error_bound`` is the worst case, over the box of the variables, of
|true objective − scaled objective / scale|: the objective CP-SAT optimises can differ from
ours by at most that much, so its "optimal" is optimal within that bound.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.solvers.common import SolverOptions, relative_gap

CONTINUOUS_UNITS = 100
MAX_ROW_DIGITS = 4
OBJECTIVE_RESOLUTION = 1e7
_BIG = 2**40


def _row_scale(coefs: NDArray, bounds: NDArray) -> float:
    values = np.concatenate([coefs, bounds[np.isfinite(bounds)]])
    for digits in range(MAX_ROW_DIGITS + 1):
        scaled = values * 10**digits
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return float(10**digits)
    return float(10**MAX_ROW_DIGITS)


def solve_cpsat(model: CompiledModel, options: SolverOptions,
                warm_start: NDArray[np.float64] | None = None) -> SolveResult:
    """Solve with CP-SAT; ``message`` states the objective scaling error bound."""
    unit = np.where(model.integrality, 1.0, float(CONTINUOUS_UNITS))
    lower = np.where(np.isfinite(model.col_lower), np.ceil(model.col_lower * unit - 1e-9), -_BIG)
    upper = np.where(np.isfinite(model.col_upper), np.floor(model.col_upper * unit + 1e-9), _BIG)
    cp = cp_model.CpModel()
    y = [cp.NewIntVar(int(lo), int(up), f"y{j}") for j, (lo, up) in enumerate(zip(lower, upper,
                                                                                  strict=True))]
    matrix = model.A.tocsr()
    rounding = 0.0
    for row in range(model.n_rows):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        cols = matrix.indices[lo:hi]
        coefs = matrix.data[lo:hi] / unit[cols]
        bounds = np.array([model.row_lower[row], model.row_upper[row]])
        scale = _row_scale(coefs, bounds)
        int_coefs = np.round(coefs * scale).astype(np.int64)
        rounding = max(rounding, float(np.max(np.abs(int_coefs - coefs * scale), initial=0.0)))
        expr = sum(int(c) * y[j] for c, j in zip(int_coefs, cols, strict=True) if c != 0)
        row_lo = bounds[0] * scale
        row_hi = bounds[1] * scale
        if np.isfinite(row_lo):
            cp.Add(expr >= int(np.ceil(row_lo - 1e-6)))
        if np.isfinite(row_hi):
            cp.Add(expr <= int(np.floor(row_hi + 1e-6)))
    true_obj = model.obj / unit
    obj_scale = OBJECTIVE_RESOLUTION / max(float(np.max(np.abs(true_obj), initial=0.0)), 1e-12)
    int_obj = np.round(true_obj * obj_scale).astype(np.int64)
    span = np.where(np.isfinite(upper) & np.isfinite(lower),
                    np.maximum(np.abs(upper), np.abs(lower)), 0.0)
    error_bound = float(np.sum(np.abs(int_obj / obj_scale - true_obj) * span))
    objective = sum(int(c) * y[j] for j, c in enumerate(int_obj) if c != 0)
    if model.sense == "max":
        cp.Maximize(objective)
    else:
        cp.Minimize(objective)
    if warm_start is not None:
        for j, value in enumerate(np.round(np.asarray(warm_start) * unit).astype(np.int64)):
            cp.AddHint(y[j], int(value))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(options.time_limit_s)
    solver.parameters.relative_gap_limit = float(options.gap)
    solver.parameters.num_workers = int(options.threads)
    solver.parameters.random_seed = int(options.seed)
    solver.parameters.log_search_progress = bool(options.verbose)
    start = time.perf_counter()
    status = solver.Solve(cp)
    elapsed = time.perf_counter() - start
    version = "ortools " + __import__("ortools").__version__
    note = (f"CP-SAT objective scaled ×{obj_scale:.4g}; scaling error bound "
            f"{error_bound:.3g}; largest row rounding {rounding:.3g} (0 = exact)")
    if status == cp_model.INFEASIBLE:
        return SolveResult("infeasible", None, None, None, None, elapsed, "cpsat", version,
                           message=note)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        kind = "time_limit_no_solution" if status == cp_model.UNKNOWN else "error"
        return SolveResult(kind, None, None, None, None, elapsed, "cpsat", version,
                           message=f"{solver.StatusName(status)}; {note}")
    x = np.array([solver.Value(v) for v in y], dtype=float) / unit
    value = model.objective_value(x)
    bound = solver.BestObjectiveBound() / obj_scale + model.obj_offset
    bound = bound + error_bound if model.sense == "max" else bound - error_bound
    gap = relative_gap(value, bound)
    kind = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return SolveResult(kind, x, value, bound, gap, elapsed, "cpsat", version, message=note)
