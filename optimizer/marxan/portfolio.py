"""Several distinct near-optimal selections and each unit's selection frequency.

Gap portfolio with no-good cuts (problems solved exactly): after each solution S, the row
``Σ_{i∈S} (1 − x_i) + Σ_{i∉S} x_i ≥ 1`` (over the free units) excludes it and the model is
solved again, so solution k is the best selection differing from the k − 1 before it.
Problems too large for the exact path get independent searches with seeds 0, 1, … instead
(duplicates dropped), as Marxan's repeated runs are. The frequency with which each unit is
selected is the counterpart of Marxan's summed solution (divided by the number of
solutions).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, RowFamily
from optimizer.marxan.formulation import BoundaryForm, compile_minset
from optimizer.marxan.minset import MarxanSolution, solve_minset
from optimizer.marxan.problem import MarxanProblem


def exclude(model: CompiledModel, x: NDArray[np.float64]) -> CompiledModel:
    """``model`` with one no-good row cutting off the free-unit part of selection ``x``."""
    free = model.meta["free"]
    chosen = np.round(x[free])
    coef = np.zeros(model.n_cols)
    coef[:free.size] = 1 - 2 * chosen  # Σ_{i∉S} x_i − Σ_{i∈S} x_i ≥ 1 − |S|
    labels = (f"no_good[{sum(f.name == 'no_good' for f in model.families)}]",)
    m = model.n_rows
    return replace(model, A=sp.vstack([model.A, sp.csr_matrix(coef[None, :])]).tocsr(),
                   row_lower=np.append(model.row_lower, 1 - chosen.sum()),
                   row_upper=np.append(model.row_upper, np.inf),
                   families=(*model.families, RowFamily("no_good", m, m + 1, labels)))


def portfolio(problem: MarxanProblem, n_solutions: int, *, time_limit_s: float = 60.0,
              gap: float = 1e-3, seed: int = 0, boundary_form: BoundaryForm = "product",
              exact_max_units: int = 2000) -> list[MarxanSolution]:
    """Up to ``n_solutions`` distinct selections, best first (fewer when no other exists or,
    on large problems, when searches end on the same selection).

    Each solve gets an equal share of ``time_limit_s``.
    """
    share = time_limit_s / max(n_solutions, 1)
    found: list[MarxanSolution] = []
    free = int((~(problem.locked_in | problem.locked_out)).sum())
    if free > exact_max_units:
        seen: set[bytes] = set()
        for k in range(n_solutions):
            solution = solve_minset(problem, time_limit_s=share, gap=gap, seed=seed + k,
                                    exact_max_units=exact_max_units)
            key = np.packbits(solution.x > 0.5).tobytes()
            if key not in seen:
                seen.add(key)
                found.append(solution)
        return sorted(found, key=lambda s: s.objective)
    model = compile_minset(problem, boundary_form=boundary_form)
    for k in range(n_solutions):
        try:
            found.append(solve_minset(problem, time_limit_s=share, gap=gap, seed=seed + k,
                                      model=model))
        except RuntimeError:
            break  # no further distinct selection
        model = exclude(model, found[-1].x)
    return found


def selection_frequency(solutions: list[MarxanSolution]) -> NDArray[np.float64]:
    """Share of the solutions that select each unit."""
    return np.mean([s.x for s in solutions], axis=0)
