"""The Lagrangian bound: valid on every instance, equal to the LP bound when no row is
dropped, hand-checked on a knapsack; its greedy and the run's use of it."""

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.greedy import greedy_solution
from optimizer.lagrangian import NotDecomposableError, lagrangian_bound
from optimizer.problem import build_problem
from optimizer.solvers import solve
from optimizer.synthetic import synthetic_region

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def test_a_knapsack_bound_is_the_hand_solved_lp_value(kit) -> None:
    # One year, budget 3, no carry-over; values 3, 2, 1 at cost 2 each. The LP takes
    # parcel 1 whole and half of parcel 2: 3 + 1 = 4. The integer optimum is 3.
    actions = kit.make_actions([{"code": "a", "lag_years": 0, "maturity_years": 1}])
    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": 2.0, "norm_sand": v}
        for p, v in ((1, 0.3), (2, 0.2), (3, 0.1))])
    scenario = kit.make_scenario(
        horizon={"start": 2027, "end": 2027, "evaluation_year": 2027},
        budget={"default": 3.0})
    model, _ = compile_problem(build_problem(options, actions, scenario, {"sand": 1.0}))
    optimum = solve(model, "highs", gap=0.0).objective
    lp = solve(model, "highs", lp_relaxation=True).objective
    found = lagrangian_bound(model)
    assert lp == pytest.approx(optimum * 4 / 3)
    assert found.bound == pytest.approx(lp, rel=1e-4)
    # At the budget's price (parcel 2's value per 万元) parcel 1 gains, parcel 3 loses.
    assert found.reduced_value[0] > 0 > found.reduced_value[2]


def test_the_bound_holds_on_random_instances_and_equals_the_lp_when_nothing_is_dropped(
        kit) -> None:
    for seed in range(12):
        options, actions, scenario = kit.random_instance(seed)
        model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
        optimum = kit.brute_force(options, actions, scenario, WEIGHTS)
        default = lagrangian_bound(model, max_iterations=400)
        if optimum is not None:
            assert default.bound >= optimum - 1e-9
        every_row = tuple(f.name for f in model.families if f.name != "one_action")
        full = lagrangian_bound(model, max_iterations=400, families=every_row)
        lp = solve(model, "highs", lp_relaxation=True)
        if lp.status == "optimal":
            assert full.bound == pytest.approx(lp.objective, rel=2e-3, abs=1e-6)
            assert full.bound >= lp.objective - 1e-6  # never below the LP bound


def test_a_model_without_one_action_rows_is_refused() -> None:
    import scipy.sparse as sp

    from optimizer.compiled import CompiledModel, RowFamily

    knapsack = CompiledModel("max", np.array([3.0, 2.0]), sp.csr_matrix([[2.0, 2.0]]),
                             np.array([-np.inf]), np.array([3.0]), np.zeros(2), np.ones(2),
                             np.ones(2, bool), (RowFamily("budget", 0, 1, ("budget",)),))
    with pytest.raises(NotDecomposableError, match="one_action"):
        lagrangian_bound(knapsack)


def test_the_greedy_ranked_by_reduced_values_is_feasible_and_near_the_bound() -> None:
    options, actions, scenario = synthetic_region(400, 3, seed=3)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    found = lagrangian_bound(model)
    x = greedy_solution(problem, model, layout, option_score=found.reduced_value)
    optimum = solve(model, "highs", time_limit_s=60.0, gap=1e-4)
    assert x is not None and model.violations(x) == []
    assert optimum.bound <= found.bound + 1e-9
    assert model.objective_value(x) <= optimum.objective + 1e-9
    assert model.objective_value(x) >= 0.97 * found.bound  # 1.5 % measured here
