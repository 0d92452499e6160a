"""CBC, and any solver PuLP drives (Gurobi, CPLEX, SCIP, GLPK …), from the compiled model."""

from __future__ import annotations

import time

import numpy as np
import pulp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.solvers.common import SolverOptions, SolverUnavailableError

#: Our short names → PuLP solver classes, tried in order (the first available one is used).
PULP_SOLVERS = {
    "cbc": ["PULP_CBC_CMD"],
    "gurobi": ["GUROBI", "GUROBI_CMD"],
    "cplex": ["CPLEX_PY", "CPLEX_CMD"],
    "scip": ["SCIP_PY", "SCIP_CMD"],
    "glpk": ["GLPK_CMD"],
    "xpress": ["XPRESS_PY", "XPRESS"],
    "mosek": ["MOSEK"],
    "copt": ["COPT", "COPT_CMD"],
}


def to_pulp(model: CompiledModel) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """The compiled model as a PuLP problem (rows named after their family labels)."""
    sense = pulp.LpMaximize if model.sense == "max" else pulp.LpMinimize
    problem = pulp.LpProblem("restoration", sense)
    names = model.col_names or tuple(f"x{j}" for j in range(model.n_cols))
    variables = [
        pulp.LpVariable(_safe(name), lowBound=None if not np.isfinite(lo) else float(lo),
                        upBound=None if not np.isfinite(up) else float(up),
                        cat=pulp.LpInteger if integer else pulp.LpContinuous)
        for name, lo, up, integer in zip(names, model.col_lower, model.col_upper,
                                         model.integrality, strict=True)
    ]
    nonzero = np.flatnonzero(model.obj)
    problem += pulp.LpAffineExpression([(variables[j], float(model.obj[j])) for j in nonzero]) \
        + model.obj_offset
    matrix = model.A.tocsr()
    for row in range(model.n_rows):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        expr = pulp.LpAffineExpression([(variables[j], float(v)) for j, v in
                                        zip(matrix.indices[lo:hi], matrix.data[lo:hi],
                                            strict=True)])
        label = _safe(model.row_label(row))
        lower, upper = model.row_lower[row], model.row_upper[row]
        if np.isfinite(lower) and np.isfinite(upper) and lower == upper:
            problem += (expr == float(upper), f"{label}_eq_{row}")
            continue
        if np.isfinite(upper):
            problem += (expr <= float(upper), f"{label}_le_{row}")
        if np.isfinite(lower):
            problem += (expr >= float(lower), f"{label}_ge_{row}")
    return problem, variables


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def pulp_solver(name: str, options: SolverOptions, warm: bool) -> pulp.LpSolver:
    """An available PuLP solver for our short name, or SolverUnavailableError saying what is."""
    available = set(pulp.listSolvers(onlyAvailable=True))
    for class_name in PULP_SOLVERS.get(name, [name.upper()]):
        if class_name in available:
            kwargs = {"msg": options.verbose, "timeLimit": options.time_limit_s,
                      "gapRel": options.gap, "warmStart": warm}
            if class_name == "PULP_CBC_CMD":
                kwargs["threads"] = options.threads
            return pulp.getSolver(class_name, **kwargs)
    raise SolverUnavailableError(
        f"solver '{name}' is not available here. Available: highs, cpsat, "
        f"{', '.join(sorted(k for k, v in PULP_SOLVERS.items() if set(v) & available))}. "
        f"Install the solver and its Python interface (e.g. gurobipy, cplex) or put its "
        f"command-line binary on PATH; PuLP then finds it.")


def solve_pulp(model: CompiledModel, name: str, options: SolverOptions,
               warm_start: NDArray[np.float64] | None = None) -> SolveResult:
    """Solve through PuLP. CBC reports no dual bound through PuLP: bound and gap are None
    unless it stopped proven within the requested gap g; then the bound is the guarantee
    that implies, objective ± g·|objective|, and the gap is g (exact when g = 0)."""
    solver = pulp_solver(name, options, warm=warm_start is not None)
    problem, variables = to_pulp(model)
    if warm_start is not None:
        for var, value in zip(variables, warm_start, strict=True):
            var.setInitialValue(float(value))
    start = time.perf_counter()
    problem.solve(solver)
    elapsed = time.perf_counter() - start
    version = f"pulp {pulp.__version__} / {type(solver).__name__}"
    status = pulp.LpStatus[problem.status]
    sol_status = getattr(problem, "sol_status", None)
    if status == "Infeasible":
        return SolveResult("infeasible", None, None, None, None, elapsed, name, version,
                           message=f"{name}: infeasible")
    if status == "Unbounded":
        return SolveResult("unbounded", None, None, None, None, elapsed, name, version)
    values = np.array([v.varValue if v.varValue is not None else np.nan for v in variables])
    if status != "Optimal" or np.isnan(values).any():
        kind = "time_limit_no_solution" if status == "Not Solved" else "error"
        return SolveResult(kind, None, None, None, None, elapsed, name, version,
                           message=f"{name}: {status}")
    objective = model.objective_value(values)
    if sol_status == pulp.LpSolutionOptimal:
        slack = options.gap * abs(objective)
        bound = objective + slack if model.sense == "max" else objective - slack
        return SolveResult("optimal", values, objective, bound, options.gap, elapsed, name,
                           version, message=f"{name}: proven within gap {options.gap:g} "
                                            "(bound implied by the stopping rule)")
    return SolveResult("feasible", values, objective, None, None, elapsed, name, version,
                       message=f"{name}: stopped with a feasible solution (no bound via PuLP)")
