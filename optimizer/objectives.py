"""Alternative objectives on the same compiled problem.

- **Minimum cost** (Marxan's and prioritizr's minimum set): minimise the money spent in the
  horizon, Σ_t Σ cost_t·x, subject to every rule of the scenario — targets, mandatory works,
  water, precedence and the yearly budgets as ceilings.
- **ε-constraint Pareto front** between two objectives f₁, f₂ (two criteria, or benefit and
  cost): for ε on a grid between f₂'s worst and best, maximise f₁ subject to f₂ ≥ ε. Each
  point is an exact optimum (within the gap) of its constrained problem, so the front has
  no dominated points up to the gap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, RowFamily, SolveResult
from optimizer.formulation import Layout, compile_problem
from optimizer.problem import Problem
from optimizer.solvers import solve


def option_cost(problem: Problem) -> NDArray[np.float64]:
    """Money each option spends inside the horizon, 万元."""
    return np.asarray(problem.cost.sum(axis=1)).ravel()


def min_cost_model(problem: Problem) -> tuple[CompiledModel, Layout]:
    """The scenario's rules with the objective 'spend as little as possible'."""
    model, layout = compile_problem(problem)
    obj = np.zeros(model.n_cols)
    obj[: layout.n_options] = option_cost(problem)
    return replace(model, sense="min", obj=obj, meta={**model.meta, "objective": "min_cost"}), \
        layout


def _with_floor(model: CompiledModel, coefficients: NDArray[np.float64], floor: float,
                label: str) -> CompiledModel:
    padded = np.concatenate([coefficients, np.zeros(model.n_cols - len(coefficients))])
    row = sp.csr_matrix(padded)
    family = RowFamily("epsilon", model.n_rows, model.n_rows + 1, (label,))
    return replace(model, A=sp.vstack([model.A, row]).tocsr(),
                   row_lower=np.append(model.row_lower, floor),
                   row_upper=np.append(model.row_upper, np.inf),
                   families=(*model.families, family))


@dataclass(frozen=True)
class ParetoPoint:
    epsilon: float
    primary: float | None
    secondary: float | None
    result: SolveResult


def epsilon_front(problem: Problem, primary: NDArray[np.float64],
                  secondary: NDArray[np.float64], points: int = 5, time_limit_s: float = 30.0,
                  gap: float = 1e-3) -> list[ParetoPoint]:
    """Maximise ``primary @ x`` with ``secondary @ x ≥ ε`` for ``points`` values of ε spread
    from ``secondary`` at the primary's optimum to the best reachable ``secondary``."""
    model, layout = compile_problem(problem)
    n = layout.n_options

    def objective(vector: NDArray) -> CompiledModel:
        obj = np.zeros(model.n_cols)
        obj[:n] = vector
        return replace(model, obj=obj)

    # payoff table: ε runs from f₂ at f₁'s optimum to f₂'s own optimum
    best_primary = solve(objective(primary), "highs", time_limit_s=time_limit_s, gap=gap)
    best_secondary = solve(objective(secondary), "highs", time_limit_s=time_limit_s, gap=gap)
    if best_primary.x is None or best_secondary.x is None:
        return []
    low = float(secondary @ best_primary.x[:n])
    high = float(secondary @ best_secondary.x[:n])
    front = []
    for eps in np.linspace(low, high, points):
        slack = 1e-9 * max(abs(float(eps)), 1.0)
        constrained = _with_floor(objective(primary), secondary, float(eps) - slack,
                                  f"epsilon[{eps:.6g}]")
        result = solve(constrained, "highs", time_limit_s=time_limit_s, gap=gap)
        x = result.x[:n] if result.x is not None else None
        front.append(ParetoPoint(float(eps), None if x is None else float(primary @ x),
                                 None if x is None else float(secondary @ x), result))
    return front


def criteria_front(problem: Problem, first: str, second: str,
                   points: int = 5, **kwargs) -> list[ParetoPoint]:
    """Pareto front between two criteria (each with weight 1 alone)."""
    return epsilon_front(problem, problem.criterion_value(first),
                         problem.criterion_value(second), points, **kwargs)


def benefit_cost_front(problem: Problem, points: int = 5, **kwargs) -> list[ParetoPoint]:
    """Pareto front between the weighted benefit and money left unspent (−cost)."""
    return epsilon_front(problem, problem.value, -option_cost(problem), points, **kwargs)
