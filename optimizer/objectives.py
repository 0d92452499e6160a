"""Alternative objectives on the same compiled problem.

- **Minimum cost** (Marxan's and prioritizr's minimum set): minimise the money spent in the
  horizon, Σ_t Σ cost_t·x, subject to every rule of the scenario — targets, mandatory works,
  water, precedence and the yearly budgets as ceilings.
- **ε-constraint Pareto front** between two objectives f₁, f₂ (two criteria, benefit or
  cost): for ε on a grid from f₂ at f₁'s optimum to f₂'s own optimum, maximise
  f₁ + δ·f₂ subject to f₂ ≥ ε. The small δ term (augmented ε-constraint, Mavrotas 2009)
  breaks ties in f₁ towards more f₂, so that no point is only weakly non-dominated; each
  point is an exact optimum (within the gap) of its constrained problem. Points dominated
  within the solver's tolerance (a point the gap left short) are marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, RowFamily, SolveResult
from optimizer.formulation import Layout, compile_problem
from optimizer.problem import Problem
from optimizer.solvers import solve
from region.schema import CRITERIA

#: What a front can be drawn between: the weighted benefit, the money spent, a criterion.
OBJECTIVES = ("benefit", "cost", *CRITERIA)
#: δ of the augmented ε-constraint, relative to the two objectives' scales.
AUGMENT = 1e-4
#: The family of the row :func:`with_floor` adds: the model's own, in no unit of the inputs.
EPSILON_FAMILY = "epsilon"
#: A floor row's coefficients below this share of its largest are dropped (:func:`with_floor`).
DROP_BELOW = 1e-9


def option_cost(problem: Problem) -> NDArray[np.float64]:
    """Money each option costs whole, 万元: its instalments after the horizon included, as
    the horizon's money pays them (``Problem.money``); counted inside the horizon only, the
    cheapest plan preferred last-year starts that pass half their cost on (review)."""
    return problem.whole_cost


def min_cost_model(problem: Problem) -> tuple[CompiledModel, Layout]:
    """The scenario's rules with the objective 'spend as little as possible'."""
    model, layout = compile_problem(problem)
    obj = np.zeros(model.n_cols)
    obj[: layout.n_options] = option_cost(problem)
    return replace(model, sense="min", obj=obj, meta={**model.meta, "objective": "min_cost"}), \
        layout


def objective_vector(problem: Problem, model: CompiledModel, name: str) -> NDArray[np.float64]:
    """Coefficients over the model's columns of objective ``name`` (maximised): ``benefit``
    the scenario's weighted benefit (corridor bonuses included), ``cost`` minus the money
    spent in the horizon (万元), a criterion its normalised benefit alone."""
    if name not in OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}: expected one of {list(OBJECTIVES)}")
    if name == "benefit":
        return model.obj.copy()
    vector = np.zeros(model.n_cols)
    vector[:problem.n_options] = (-option_cost(problem) if name == "cost"
                                  else problem.criterion_value(name))
    return vector


def with_floor(model: CompiledModel, coefficients: NDArray[np.float64], floor: float,
               label: str) -> CompiledModel:
    """The model with one more row, ``coefficients @ x ≥ floor`` (family ``epsilon``),
    divided by its largest coefficient. A normalised benefit can be 1e-13 of the largest:
    coefficients below DROP_BELOW of the largest are dropped (solvers zero such values
    themselves) and the floor lowered by the most they could add over the columns' bounds,
    so every plan meeting the row meets the cleaned one, which admits plans short of the
    floor by at most that (≤ DROP_BELOW × the row's largest coefficient × their number)."""
    padded = np.concatenate([coefficients, np.zeros(model.n_cols - len(coefficients))])
    largest = np.abs(padded).max()
    if largest > 0:
        padded, floor = padded / largest, floor / largest
    most = np.maximum(padded * model.col_lower, padded * model.col_upper)
    tiny = (padded != 0) & (np.abs(padded) < DROP_BELOW) & np.isfinite(most)
    padded[tiny] = 0.0
    floor -= float(most[tiny].sum())
    row = sp.csr_matrix(padded)
    family = RowFamily(EPSILON_FAMILY, model.n_rows, model.n_rows + 1, (label,))
    return replace(model, A=sp.vstack([model.A, row]).tocsr(),
                   row_lower=np.append(model.row_lower, floor),
                   row_upper=np.append(model.row_upper, np.inf),
                   families=(*model.families, family))


def augmented(model: CompiledModel, primary: NDArray[np.float64],
              secondary: NDArray[np.float64]) -> CompiledModel:
    """The model maximising primary + δ·secondary, δ = AUGMENT × the ratio of the two
    objectives' scales (their coefficients' absolute sums)."""
    scale = np.abs(primary).sum() / max(np.abs(secondary).sum(), 1e-12)
    return replace(model, sense="max", obj=primary + AUGMENT * scale * secondary,
                   obj_offset=0.0)


def epsilon_model(model: CompiledModel, primary: NDArray[np.float64],
                  secondary: NDArray[np.float64], epsilon: float) -> CompiledModel:
    """Maximise primary + δ·secondary subject to secondary ≥ ε (a hair below, for
    round-off)."""
    slack = 1e-9 * max(abs(epsilon), 1.0)
    return with_floor(augmented(model, primary, secondary), secondary, epsilon - slack,
                      f"epsilon[{epsilon:.6g}]")


@dataclass(frozen=True)
class ParetoPoint:
    """One point of a front: its ε, both objectives' values (None: no plan) and the solve."""

    epsilon: float
    primary: float | None
    secondary: float | None
    result: SolveResult
    dominated_by: int | None = None  # index of a point at least as good in both


SolvePoint = Callable[[CompiledModel, NDArray[np.float64] | None], SolveResult]


def highs_point(time_limit_s: float = 30.0, gap: float = 1e-3) -> SolvePoint:
    """Solve a front's point with HiGHS alone, from the given start."""
    return lambda model, start: solve(model, "highs", time_limit_s=time_limit_s, gap=gap,
                                      warm_start=start)


def solve_order(points: int) -> list[int]:
    """The index in the front of each solve of :func:`pareto_front`, in solving order: the
    two ends, then the points between from the highest ε down."""
    return [0, points - 1, *range(points - 2, 0, -1)]


def pareto_front(model: CompiledModel, primary: NDArray[np.float64],
                 secondary: NDArray[np.float64], points: int = 5,
                 solve_point: SolvePoint | None = None) -> list[ParetoPoint]:
    """The ε-constraint front (see the module docstring), ``points`` values of ε from the
    primary's optimum to the secondary's, ordered by ε. The two ends are the augmented
    payoff solves; the points between are solved from the highest ε down, each starting
    from the plan of the ε above it (which still meets the lower floor)."""
    solve_point = solve_point or highs_point()
    if points < 2:
        raise ValueError(f"a front needs at least 2 points, got {points}")
    first = solve_point(augmented(model, primary, secondary), None)
    last = solve_point(augmented(model, secondary, primary), None)
    if first.x is None or last.x is None:
        return []
    low, high = float(secondary @ first.x), float(secondary @ last.x)
    grid = np.linspace(low, high, points)
    results = {0: first, points - 1: last}
    start = last.x
    for k in solve_order(points)[2:]:
        result = solve_point(epsilon_model(model, primary, secondary, float(grid[k])), start)
        results[k] = result
        start = result.x if result.x is not None else start
    front = []
    for k in range(points):
        x = results[k].x
        front.append(ParetoPoint(float(grid[k]), None if x is None else float(primary @ x),
                                 None if x is None else float(secondary @ x), results[k]))
    return mark_dominated(front)


def mark_dominated(front: list[ParetoPoint], tolerance: float = 1e-9) -> list[ParetoPoint]:
    """Each point with ``dominated_by`` set when another is at least as good in both
    objectives and better in one (or equal in both and earlier: a duplicate)."""
    marked = []
    for i, p in enumerate(front):
        by = None
        for j, q in enumerate(front):
            if i == j or p.primary is None or q.primary is None:
                continue
            tol_1 = tolerance * max(abs(p.primary), 1.0)
            tol_2 = tolerance * max(abs(p.secondary), 1.0)
            at_least = q.primary >= p.primary - tol_1 and q.secondary >= p.secondary - tol_2
            better = q.primary > p.primary + tol_1 or q.secondary > p.secondary + tol_2
            if at_least and (better or j < i):
                by = j
                break
        marked.append(replace(p, dominated_by=by))
    return marked


def criteria_front(problem: Problem, first: str, second: str, points: int = 5,
                   time_limit_s: float = 30.0, gap: float = 1e-3) -> list[ParetoPoint]:
    """Pareto front between two criteria (each with weight 1 alone), solved by HiGHS."""
    model, _ = compile_problem(problem)
    return pareto_front(model, objective_vector(problem, model, first),
                        objective_vector(problem, model, second), points,
                        highs_point(time_limit_s, gap))


def benefit_cost_front(problem: Problem, points: int = 5, time_limit_s: float = 30.0,
                       gap: float = 1e-3) -> list[ParetoPoint]:
    """Pareto front between the weighted benefit and money left unspent (−cost)."""
    model, _ = compile_problem(problem)
    return pareto_front(model, objective_vector(problem, model, "benefit"),
                        objective_vector(problem, model, "cost"), points,
                        highs_point(time_limit_s, gap))
