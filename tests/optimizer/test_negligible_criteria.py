"""A criterion the budget can buy nothing meaningful of weighs 0 (criteria/normalise.py):
its norm is 0, its weight goes to the others in proportion, and the plan is the one a brute
force over the criteria that remain chooses."""

import itertools

import numpy as np
import pandas as pd
import pytest

from criteria.normalise import (
    achievable_range,
    live_weights,
    negligible_criteria,
    normalise,
    scoring_criteria,
)
from criteria.parameters import SWING_FLOOR
from optimizer.formulation import compile_problem
from optimizer.problem import build_problem
from optimizer.solvers import solve
from region.schema import CRITERIA

BUDGET = 10.0  # 万元, one year
WEIGHTS = {"sand": 0.4, "water": 0.6, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def instance(kit, water_scale: float) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """Five parcels, one action each, one year, 10 万元: sand and water pull apart (the
    parcels best for water are worst for sand). ``water_scale`` sets the water benefits'
    size: 1e-9 is the basin floor's litres, 1.0 real 万m³."""
    sand = [900.0, 700.0, 500.0, 300.0, 100.0]  # t/yr
    water = [0.1, 0.3, 0.5, 0.7, 0.9]
    cost = [4.0, 4.0, 3.0, 3.0, 3.0]
    rows = [{"parcel_id": p + 1, "action": "a", "area_km2": 1.0, "cost_wan": cost[p],
             "benefit_sand": sand[p], "benefit_water": water[p] * water_scale}
            for p in range(5)]
    options = kit.make_options(rows).drop(columns=[f"norm_{c}" for c in CRITERIA])
    actions = kit.make_actions([{"code": "a"}])
    scenario = kit.make_scenario(horizon={"start": 2027, "end": 2027,
                                          "evaluation_year": 2030},
                                 budget={"default": BUDGET}, weights=WEIGHTS)
    return normalise(options, BUDGET), actions, scenario


def brute_force(options: pd.DataFrame, weights: dict[str, float]) -> frozenset[int]:
    """The parcels of the best subset within the budget by Σ w·norm (one year, one action,
    the same ramp for all: the order of values is the order of annual scores)."""
    annual = sum(weights[c] * options[f"norm_{c}"].to_numpy(float) for c in CRITERIA)
    cost = options["cost_wan"].to_numpy(float)
    best, chosen = -1.0, frozenset()
    for k in range(len(options) + 1):
        for subset in itertools.combinations(range(len(options)), k):
            if cost[list(subset)].sum() <= BUDGET + 1e-9 and annual[list(subset)].sum() > best:
                best = annual[list(subset)].sum()
                chosen = frozenset(int(options["parcel_id"].iloc[i]) for i in subset)
    return chosen


def solved(options, actions, scenario) -> tuple[frozenset[int], object]:
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    assert result.status == "optimal" and model.violations(result.x) == []
    picked = problem.pairs["parcel_id"].to_numpy()[problem.option_pair[result.x[
        :problem.n_options] > 0.5]]
    return frozenset(int(p) for p in picked), problem


def test_a_negligible_criterion_weighs_0_and_the_plan_is_the_brute_force_one(kit) -> None:
    options, actions, scenario = instance(kit, water_scale=1e-9)
    water_range = achievable_range(options, BUDGET)["water"]
    assert 0 < water_range < SWING_FLOOR["water"]
    assert negligible_criteria(options, BUDGET)["water"] == {
        "range": pytest.approx(water_range), "floor": SWING_FLOOR["water"]}
    assert "sand" not in negligible_criteria(options, BUDGET)
    assert (options["norm_water"] == 0).all() and (options["norm_sand"] > 0).any()
    picked, problem = solved(options, actions, scenario)
    assert problem.weights["water"] == 0.0
    assert problem.weights["sand"] == pytest.approx(1.0)  # 0.4 scaled to the total, 1
    assert picked == brute_force(options, {**WEIGHTS, "water": 0.0, "sand": 1.0})
    assert picked == frozenset({1, 3, 4})  # by hand: 1,700 t for the 10 万元 (1 and 2: 1,600)
    # what the plan would have been had the litres been scaled up to a full swing: water's
    # parcels (the instance tells the two rules apart)
    alive = options.assign(norm_water=options["benefit_water"]
                           / achievable_range(options, BUDGET)["water"])
    assert brute_force(alive, WEIGHTS) != picked


def test_a_criterion_with_a_real_range_keeps_its_weight(kit) -> None:
    """The same instance with water in 万m³: nothing is dropped, the weights are those
    given, and the plan is the brute force's with both criteria."""
    options, actions, scenario = instance(kit, water_scale=1.0)
    assert negligible_criteria(options, BUDGET) == {
        c: {"range": 0.0, "floor": SWING_FLOOR[c]} for c in ("bio", "mine", "carbon")}
    picked, problem = solved(options, actions, scenario)
    assert problem.weights == WEIGHTS
    assert picked == brute_force(options, WEIGHTS)
    assert picked == frozenset({3, 4, 5}) != frozenset({1, 3, 4})  # by hand, see above


def test_the_weights_left_keep_their_ratios_and_total() -> None:
    weights = {"sand": 0.255, "water": 0.383, "bio": 0.145, "mine": 0.158, "carbon": 0.059}
    used = live_weights(weights, {"sand", "bio", "mine", "carbon"})
    assert used["water"] == 0.0
    assert sum(used.values()) == pytest.approx(sum(weights.values()))
    assert used["sand"] / used["bio"] == pytest.approx(0.255 / 0.145)
    assert live_weights(weights, set(CRITERIA)) == weights
    assert live_weights(weights, set()) == weights  # nothing scores: nothing to rescale


def test_scoring_criteria_are_those_with_a_positive_norm() -> None:
    frame = pd.DataFrame({f"norm_{c}": np.zeros(3) for c in CRITERIA})
    frame.loc[1, "norm_bio"] = 1e-12
    assert scoring_criteria(frame) == {"bio"}
