"""Options no money can pay are bounded at 0 (optimizer.problem.unaffordable): hand-solved
instances, the LP relaxation that no longer promises a fraction of them, and the mandatory
option the presolve refuses with the numbers."""

from dataclasses import replace

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.presolve import InfeasibleScenarioError, check
from optimizer.problem import build_problem, unaffordable
from optimizer.solvers import solve

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}
TWO_YEARS = {"start": 2027, "end": 2028, "evaluation_year": 2028}


def instance(kit, costs: dict[int, float], **scenario):
    """One action, one option row per parcel (id → cost in 万元, paid in its start year),
    each parcel's value proportional to its cost (water scores too, so both weights live:
    criteria/normalise.live_weights)."""
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([{"parcel_id": p, "action": "a", "area_km2": 1.0,
                                 "cost_wan": cost, "norm_sand": cost / 10,
                                 "norm_water": cost / 100}
                                for p, cost in costs.items()])
    return options, actions, kit.make_scenario(horizon=TWO_YEARS, **scenario)


def test_carried_money_pays_by_a_year_what_the_years_up_to_it_have(kit) -> None:
    # 10 万元 a year, carried over: 25 is never there, 15 only from the second year, 5 always
    options, actions, scenario = instance(kit, {1: 25.0, 2: 15.0, 3: 5.0},
                                          budget={"default": 10.0, "carry_over": True})
    problem = build_problem(options, actions, scenario, WEIGHTS)
    by_option = dict(zip(zip(problem.pairs["parcel_id"].to_numpy()[problem.option_pair],
                             problem.option_year, strict=True),
                         unaffordable(problem), strict=True))
    assert by_option == {(1, 2027): True, (1, 2028): True, (2, 2027): True,
                         (2, 2028): False, (3, 2027): False, (3, 2028): False}


def test_without_carry_over_each_year_stands_alone_and_a_total_caps_the_horizon(kit) -> None:
    options, actions, scenario = instance(kit, {1: 15.0, 2: 10.0, 3: 5.0},
                                          budget={"default": 10.0})
    assert unaffordable(build_problem(options, actions, scenario, WEIGHTS)).tolist() == [
        True, True, False, False, False, False]
    capped = scenario.model_copy(update={"budget": scenario.budget.model_copy(
        update={"total": 8.0})})
    assert unaffordable(build_problem(options, actions, capped, WEIGHTS)).tolist() == [
        True, True, True, True, False, False]


def test_income_somewhere_leaves_every_option_open(kit) -> None:
    # a negative cost could pay for another option: no single cost is then out of reach
    options, actions, scenario = instance(kit, {1: 25.0, 2: -5.0},
                                          budget={"default": 10.0})
    assert not unaffordable(build_problem(options, actions, scenario, WEIGHTS)).any()


def test_the_lp_relaxation_no_longer_promises_a_fraction_of_what_no_money_pays(kit) -> None:
    # The 25-万元 option is worth the most per 万元 but no year has the money for it:
    # unbounded, the LP spends the 20 万元 of both years on 0.8 of it; bounded, its optimum is
    # the integer one (the brute force's: 5 in the first year, 15 in the second).
    options, actions, scenario = instance(kit, {1: 25.0, 2: 15.0, 3: 5.0},
                                          budget={"default": 10.0, "carry_over": True})
    options.loc[options["parcel_id"] == 1, "norm_sand"] = 5.0
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(problem)
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    bounded = solve(model, "highs", lp_relaxation=True)
    unbounded = solve(replace(model, col_upper=np.where(
        np.arange(model.n_cols) < problem.n_options, 1.0, model.col_upper)), "highs",
        lp_relaxation=True)
    assert unbounded.objective > expected + 1.0  # what the LP promised before
    assert bounded.objective == pytest.approx(expected)
    mip = solve(model, "highs", gap=0.0)
    assert mip.objective == pytest.approx(expected) and model.violations(mip.x) == []


def tight_instance(kit, seed: int):
    """A random instance (tests/optimizer/conftest.py) with 3-6 万元 a year against costs of
    2-8 万元: some options cost more than any year, or all years, have."""
    options, actions, scenario = kit.random_instance(seed)
    return options, actions, scenario.model_copy(update={"budget": scenario.budget.model_copy(
        update={"default": float(3 + seed % 4)})})


def test_the_tight_instances_have_options_out_of_reach(kit) -> None:
    out_of_reach = [unaffordable(build_problem(*tight_instance(kit, seed), WEIGHTS)).any()
                    for seed in range(12)]
    assert sum(out_of_reach) >= 6


@pytest.mark.parametrize("seed", range(12))
def test_the_optimum_is_the_brute_force_one_when_some_options_are_out_of_reach(kit,
                                                                              seed) -> None:
    options, actions, scenario = tight_instance(kit, seed)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(problem)
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    result = solve(model, "highs", gap=0.0)
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.objective == pytest.approx(expected, rel=1e-6, abs=1e-9)
    assert model.violations(result.x) == []


def test_a_mandatory_option_no_carried_money_pays_is_refused_with_the_numbers(kit) -> None:
    options, actions, scenario = instance(
        kit, {1: 25.0}, budget={"default": 10.0, "carry_over": True},
        locked_in=[{"parcel_ids": [1], "action": "a"}])
    with pytest.raises(InfeasibleScenarioError,
                       match=r"costs 25 万元 by 2028 but the budget up to 2028, all carried "
                             r"over, is 20 万元"):
        check(build_problem(options, actions, scenario, WEIGHTS))
    options, actions, scenario = instance(
        kit, {1: 15.0}, budget={"default": 10.0, "carry_over": True, "total": 12.0},
        locked_in=[{"parcel_ids": [1], "action": "a"}])
    with pytest.raises(InfeasibleScenarioError,
                       match=r"costs 15 万元 but the horizon's total budget is 12 万元"):
        check(build_problem(options, actions, scenario, WEIGHTS))


def test_a_county_pays_from_its_own_money_and_a_mandatory_option_stays_open(kit) -> None:
    # the city has 100 万元 a year, county c1 only 5 of it: c1's 6-万元 option is out of
    # reach, c2's is not; made mandatory, c1's is refused by the presolve with the county
    # named, and left open in the model, where the infeasibility explanation names c1's money
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 6.0, "county": "c1",
         "norm_sand": 1.0},
        {"parcel_id": 2, "action": "a", "area_km2": 1.0, "cost_wan": 6.0, "county": "c2",
         "norm_sand": 1.0}])
    budget = {"default": 100.0, "per_county": {"c1": {"default": 5.0}}}
    scenario = kit.make_scenario(horizon=TWO_YEARS, budget=budget)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    assert unaffordable(problem).tolist() == [True, True, False, False]
    model, _ = compile_problem(problem)
    assert model.col_upper[:4].tolist() == [0.0, 0.0, 1.0, 1.0]
    mandatory = kit.make_scenario(horizon=TWO_YEARS, budget=budget,
                                  locked_in=[{"parcel_ids": [1], "action": "a"}])
    problem = build_problem(options, actions, mandatory, WEIGHTS)
    with pytest.raises(InfeasibleScenarioError,
                       match=r"costs 6 万元 in 2027 but county c1's own budget "
                             r"\(\[budget.per_county.c1\]\) there is 5 万元"):
        check(problem)
    model, _ = compile_problem(problem)
    assert model.col_upper[:2].tolist() == [1.0, 1.0]
