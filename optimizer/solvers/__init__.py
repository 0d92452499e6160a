"""Solver backends for the compiled model: HiGHS (default), CP-SAT, and CBC or any other
solver through PuLP. Each only translates :class:`~optimizer.compiled.CompiledModel`."""

from __future__ import annotations

import numpy as np
import pulp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.solvers.common import SolverOptions, SolverUnavailableError, relative_gap
from optimizer.solvers.cpsat import solve_cpsat
from optimizer.solvers.highs import solve_highs
from optimizer.solvers.pulp_backend import PULP_SOLVERS, solve_pulp
from optimizer.solvers.watchdog import prestart, time_box, time_left

__all__ = ["SolverOptions", "SolverUnavailableError", "available_solvers", "prestart",
           "relative_gap", "solve", "solver_key", "time_box", "time_left",
           "unknown_solver_message"]

#: Other names of the solvers :func:`solve` runs itself.
ALIASES = {"cp-sat": "cpsat", "ortools": "cpsat"}


def solver_key(name: str) -> str:
    """The name a solve result carries for a solver as the user wrote it (``HiGHS`` →
    ``highs``, ``cp-sat`` → ``cpsat``)."""
    return ALIASES.get(name.lower(), name.lower())


def available_solvers() -> list[str]:
    """The solver names :func:`solve` can use here: HiGHS, CP-SAT, and every solver PuLP
    finds installed (by our short name, e.g. cbc, gurobi)."""
    installed = set(pulp.listSolvers(onlyAvailable=True))
    return ["highs", "cpsat", *sorted(name for name, classes in PULP_SOLVERS.items()
                                      if set(classes) & installed)]


def unknown_solver_message(name: str) -> str | None:
    """Why ``name`` cannot be used here (None when it can)."""
    key = solver_key(name)
    available = available_solvers()
    if key in available or key.upper() in set(pulp.listSolvers(onlyAvailable=True)):
        return None
    installable = " (known, but not installed here: install it and its Python interface, or " \
                  "put its command-line binary on PATH)" if key in PULP_SOLVERS else ""
    return f"unknown solver '{name}'{installable}: available here: {', '.join(available)}"


def solve(model: CompiledModel, solver: str = "highs", time_limit_s: float = 60.0,
          gap: float = 1e-3, threads: int = 2, seed: int = 0,
          warm_start: NDArray[np.float64] | None = None, lp_relaxation: bool = False,
          verbose: bool = False, lp_method: str = "simplex",
          presolve: bool = True, node_limit: int | None = None,
          iteration_limit: int | None = None, restart: bool = True) -> SolveResult:
    """Solve ``model`` with the named solver ("highs", "cpsat", "cbc", "gurobi", "cplex" …).

    ``lp_relaxation`` (HiGHS only) solves the LP relaxation and returns its row duals;
    ``lp_method="ipm"`` solves LPs by interior point without crossover (HiGHS only), which is
    much faster than simplex on large degenerate relaxations. ``presolve=False`` skips HiGHS's
    presolve (HiGHS only): many short warm-started solves of one model reach their root bound
    several times sooner without it (sensitivity samples on Turpan: 4 s instead of 18 s).
    ``restart=False`` keeps HiGHS from restarting a MIP's root after presolving it again
    (HiGHS only; for node-limited sub-MIPs, whose root would otherwise run twice).
    ``node_limit`` (branch-and-bound nodes) and ``iteration_limit`` (simplex iterations)
    bound a HiGHS solve by work, so that it ends at the same point however busy the machine
    (optimizer/work.py); other solvers are bounded by time only. Inside a :func:`time_box`
    the time limit is cut to what is left of the box, and a solve with none left is not
    started (``time_limit_no_solution`` after 0 s); HiGHS runs in a child process that is
    stopped when it overruns (optimizer/solvers/watchdog.py).
    Raises :class:`SolverUnavailableError` when the solver is not installed.
    """
    name = solver_key(solver)
    if name != "highs":  # HiGHS cuts its own limit, and a watchdog holds it to it
        time_limit_s = time_left(time_limit_s)
        if time_limit_s <= 0:  # not started, as HiGHS (solve_stage.no_plan_found says so)
            return SolveResult("time_limit_no_solution", None, None, None, None, 0.0, name,
                               "", message="no time was left for this solve")
    options = SolverOptions(time_limit_s, gap, threads, seed, verbose, lp_method, presolve,
                            node_limit=node_limit, iteration_limit=iteration_limit,
                            restart=restart)
    if lp_relaxation and name != "highs":
        raise SolverUnavailableError("the LP relaxation with duals is computed with HiGHS only")
    if name == "highs":
        return solve_highs(model, options, warm_start, lp_relaxation)
    if name == "cpsat":
        return solve_cpsat(model, options, warm_start)
    return solve_pulp(model, name, options, warm_start)
