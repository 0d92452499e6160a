"""Instalments due after the horizon are held in its last year's money (Problem.money): a
two-year work started in the last year needs its whole cost there. Hand-solved instances,
checked against the brute force (tests/optimizer/conftest.py), which spends the same way."""

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.problem import build_problem, unaffordable
from optimizer.solvers import solve

WEIGHTS = {"sand": 1.0, "water": 0.0, "bio": 0.0, "mine": 0.0, "carbon": 0.0}
TWO_YEARS = {"start": 2027, "end": 2028, "evaluation_year": 2030}


def two_year_works(kit, budget: dict):
    """Two parcels, one two-year action costing 10 万元 (5 a year) on each."""
    actions = kit.make_actions([{"code": "b", "cost_years": 2}])
    options = kit.make_options([{"parcel_id": p, "action": "b", "area_km2": 1.0,
                                 "cost_wan": 10.0, "norm_sand": 1.0} for p in (1, 2)])
    return options, actions, kit.make_scenario(horizon=TWO_YEARS, budget=budget)


def test_a_last_year_start_holds_its_later_instalment_in_that_year(kit) -> None:
    options, actions, scenario = two_year_works(kit, {"default": 6.0})
    problem = build_problem(options, actions, scenario, WEIGHTS)
    last = problem.option_year == 2028
    assert problem.cost.toarray()[last].tolist() == [[0.0, 5.0]] * 2
    assert problem.cost_after_horizon[last].tolist() == [5.0, 5.0]
    assert problem.money.toarray()[last].tolist() == [[0.0, 10.0]] * 2
    # 10 万元 in 2028 against its 6: no plan can start the work then; in 2027 it pays 5 + 5
    assert unaffordable(problem).tolist() == [False, True, False, True]


@pytest.mark.parametrize(("budget", "works"), [
    # 2028 holds the first work's second instalment (5) and the second's whole cost (10):
    # 15 > 12, so one work; before, only its first 5 counted (10 ≤ 12) and both were taken
    ({"default": 5.0, "per_year": {"2028": 12.0}}, 1),
    # carried: both works whole need 20 by 2028 against 5 + 12 = 17 (both in 2027 need 10 by
    # 2027 against 5): one; before, 15 by 2028 was enough for both
    ({"default": 5.0, "per_year": {"2028": 12.0}, "carry_over": True}, 1),
    # 5 + 15 carried pays 20: both
    ({"default": 5.0, "per_year": {"2028": 15.0}, "carry_over": True}, 2),
])
def test_the_plan_pays_every_work_whole_within_the_horizon(kit, budget, works) -> None:
    options, actions, scenario = two_year_works(kit, budget)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    chosen = np.flatnonzero(result.x[:problem.n_options] > 0.5)
    assert model.violations(result.x) == []
    assert len(chosen) == works
    assert result.objective == pytest.approx(kit.brute_force(options, actions, scenario,
                                                             WEIGHTS))
    money = problem.money[chosen].toarray().sum(axis=0)
    granted = scenario.budget.for_years([2027, 2028])
    limit = np.array([granted[2027], granted[2028]])
    if budget.get("carry_over"):
        money, limit = np.cumsum(money), np.cumsum(limit)
    assert (money <= limit + 1e-9).all()
