"""Large-neighbourhood search: free a spatial window around the incumbent's edge, fix every
other unit, solve the window exactly with HiGHS, keep improvements.

A window is the first ``window`` units of a breadth-first search over the boundary graph
from a random unit on the incumbent's edge (a selected unit with an unselected neighbour or
the reverse), so the sub-MIP can move a stretch of the reserve's outline. Outside units enter
the window's model as constants and linear terms (:func:`compile_minset` with ``free``), so
each sub-MIP is small and its targets are the global targets minus what is held outside.
Every accepted window keeps all targets met, so the incumbent is feasible at every moment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import breadth_first_order

from optimizer.marxan.formulation import BoundaryForm, compile_minset, selection, warm_start
from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.score import penalty_objective
from optimizer.solvers import solve


@dataclass
class LnsResult:
    """The improved selection and its trace ``(seconds, objective)`` per improvement."""

    x: NDArray[np.float64]
    objective: float
    windows: int = 0
    improved: int = 0
    trace: list[tuple[float, float]] = field(default_factory=list)


def _adjacency(problem: MarxanProblem) -> sp.csr_matrix:
    graph = problem.boundary_matrix()
    if problem.conn is not None:
        graph = graph + problem.conn + problem.conn.T
    graph = graph.tocsr()
    graph.data[:] = 1.0
    return graph


def lns(problem: MarxanProblem, x0: NDArray[np.float64], *, time_limit_s: float = 30.0,
        window: int = 400, window_time_s: float = 3.0, boundary_form: BoundaryForm = "product",
        seed: int = 0, threads: int = 2) -> LnsResult:
    """Improve the feasible selection ``x0`` for ``time_limit_s`` seconds.

    ``threads`` must match every other HiGHS call of the process: HiGHS fixes its thread pool
    at the first solve and a later solve asking for another count fails ("Not Set").
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    graph = _adjacency(problem)
    degree = np.asarray(graph.sum(axis=1)).ravel()
    free_units = ~(problem.locked_in | problem.locked_out)
    x = np.asarray(x0, float).copy()
    best = penalty_objective(problem, x)
    result = LnsResult(x, best, trace=[(0.0, best)])
    size = window
    while (left := time_limit_s - (time.perf_counter() - start)) > 0.2:
        selected_neighbours = graph @ x
        edge = np.flatnonzero(free_units & (((x == 1) & (selected_neighbours < degree))
                                            | ((x == 0) & (selected_neighbours > 0))))
        pool = edge if edge.size else np.flatnonzero(free_units)
        root = int(rng.choice(pool))
        order = breadth_first_order(graph, root, directed=False, return_predecessors=False)
        mask = np.zeros(problem.n_units, bool)
        mask[order[:size]] = True
        model = compile_minset(problem, free=mask, base=x, boundary_form=boundary_form,
                               dominance=True)
        res = solve(model, "highs", time_limit_s=min(window_time_s, left), gap=1e-6,
                    threads=threads, seed=int(rng.integers(1 << 30)),
                    warm_start=warm_start(model, x))
        result.windows += 1
        if res.status == "error":
            raise RuntimeError(f"HiGHS failed on an LNS window: {res.message}")
        if res.x is not None and res.objective is not None and res.objective < best - 1e-6:
            candidate = selection(model, res.x)
            value = penalty_objective(problem, candidate)
            if value < best - 1e-6:
                x, best = candidate, value
                result.improved += 1
                result.trace.append((time.perf_counter() - start, best))
        # Grow windows that solve to optimality fast, shrink those that time out.
        if res.status == "optimal" and res.time_s < window_time_s / 3:
            size = min(int(size * 1.25), problem.n_units)
        elif res.status != "optimal":
            size = max(int(size / 1.25), 50)
    result.x, result.objective = x, best
    return result
