"""The box-step cutting-plane method (Marsten, Hogan & Blankenship 1975) that minimises a
convex piecewise-linear function known only by its values and subgradients: both Lagrangian
bounds use it (optimizer/lagrangian.py for Turpan, optimizer/marxan/lagrangian.py for Marxan,
which maximises a concave one by minimising its negative).

Each step solves the master LP ``min θ s.t. θ ≥ f_k + g_k·(μ − μ_k)`` over the cuts found so
far, with μ ≥ 0 inside a box around the best μ; the box grows after a good step (the value
falls by at least a tenth of what the model promised) and shrinks after a bad one. When the
model proves the best value within ``tolerance`` of its minimum over the box, the box grows
fourfold, and the method stops once that happens with a box beyond any sensible multiplier.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.solvers import solve

#: What an evaluation gives besides its value and subgradient (e.g. the inner maximiser).
Payload = TypeVar("Payload")
Evaluate = Callable[[NDArray[np.float64]], tuple[float, NDArray[np.float64], Payload]]

#: The box beyond which a proven minimum over the box is the minimum (relative to |f|).
LARGEST_BOX = 1e6


@dataclass(frozen=True)
class BoxStepResult(Generic[Payload]):
    """The smallest value found, where, and what its evaluation gave."""

    value: float
    centre: NDArray[np.float64]
    payload: Payload
    iterations: int  # evaluations, the first at μ = 0 included
    converged: bool  # the model proved the value within the tolerance over a huge box
    clock_stopped: bool  # the time limit ended the search


def minimise(evaluate: Evaluate, allowed: NDArray[np.bool_], box: float | None = None, *,
             tolerance: float, max_iterations: int, time_limit_s: float,
             threads: int = 2, master_time_limit_s: float = 60.0) -> BoxStepResult:
    """Minimise f over μ ≥ 0 (``allowed`` False: that μ stays 0) from μ = 0 with a first box
    of ``box`` (default max(|f(0)|, 1)); ``evaluate(μ)`` returns f(μ), a subgradient and a
    payload kept for the best point. Stops after ``max_iterations`` evaluations or
    ``time_limit_s`` seconds, or when converged (module docstring)."""
    start = time.perf_counter()
    centre = np.zeros(allowed.size)
    best, gradient, payload = evaluate(centre)
    cuts = [(best, centre.copy(), gradient)]
    box = max(abs(best), 1.0) if box is None else box
    iterations, converged = 1, allowed.size == 0
    while (not converged and iterations < max_iterations
           and time.perf_counter() - start < time_limit_s):
        step = _master(cuts, centre, box, allowed, threads, master_time_limit_s)
        if step is None:  # the cuts fall without end: the model itself is infeasible
            break
        trial, model_value = step
        if best - model_value <= tolerance * max(abs(best), 1.0):
            if box >= LARGEST_BOX * max(abs(best), 1.0):
                converged = True
                break
            box *= 4.0  # the model's minimum may lie outside the box
            continue
        value, gradient, found = evaluate(trial)
        iterations += 1
        cuts.append((value, trial, gradient))
        if value < best - 0.1 * (best - model_value):
            best, centre, payload = value, trial, found
            box *= 2.0
        else:
            box *= 0.5
    clock_stopped = (not converged and iterations < max_iterations
                     and time.perf_counter() - start >= time_limit_s)
    return BoxStepResult(best, centre, payload, iterations, converged, clock_stopped)


def _master(cuts: list[tuple[float, NDArray, NDArray]], centre: NDArray, box: float,
            allowed: NDArray[np.bool_], threads: int, time_limit_s: float
            ) -> tuple[NDArray, float] | None:
    """min θ s.t. θ ≥ f_k + g_k·(μ − μ_k) for every cut, μ ≥ 0 within ``box`` of the centre.

    Returns the minimiser and the model's minimum (a lower estimate of f over the box), or
    None when HiGHS finds none (numbers beyond its range on an infeasible model)."""
    n = centre.size
    gradients = np.array([g for _, _, g in cuts])
    master = CompiledModel(
        "min", np.concatenate([np.zeros(n), [1.0]]),
        sp.csr_matrix(np.hstack([-gradients, np.ones((len(cuts), 1))])),
        np.array([value - g @ mu for value, mu, g in cuts]), np.full(len(cuts), np.inf),
        np.concatenate([np.where(allowed, np.maximum(centre - box, 0.0), 0.0), [-np.inf]]),
        np.concatenate([np.where(allowed, centre + box, 0.0), [np.inf]]),
        np.zeros(n + 1, dtype=bool))
    solution = solve(master, "highs", time_limit_s, lp_relaxation=True, threads=threads).x
    if solution is None:
        return None
    return solution[:n], float(solution[n])
