"""The greedy baseline: feasible, never above the optimum, and the rule it claims to follow."""

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.greedy import greedy_solution
from optimizer.problem import build_problem
from optimizer.solvers import solve

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def test_greedy_is_feasible_and_not_above_the_brute_force_optimum(kit) -> None:
    found = 0
    for seed in range(24):
        options, actions, scenario = kit.random_instance(seed)
        problem = build_problem(options, actions, scenario, WEIGHTS)
        model, layout = compile_problem(problem)
        x = greedy_solution(problem, model, layout)
        optimum = kit.brute_force(options, actions, scenario, WEIGHTS)
        if x is None:
            continue
        found += 1
        assert model.violations(x) == []
        assert np.all(np.isin(np.round(x[model.integrality], 9), [0.0, 1.0]))
        assert optimum is not None and model.objective_value(x) <= optimum + 1e-9
    assert found >= 18  # it may miss a rule it does not model, but rarely


def test_greedy_takes_the_best_ratio_first_in_the_earliest_year_it_fits(kit) -> None:
    # Budget 10 a year, no carry-over. Ratios: parcel 1 = 0.9/3, parcel 2 = 0.8/8,
    # parcel 3 = 0.5/4. Greedy: p1 in 2027 (3), p3 in 2027 (4 → 7; p2 no longer fits in
    # 2027) and p2 in 2028. The optimum is the same set (everything fits over 3 years).
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 3.0, "norm_sand": 0.9},
        {"parcel_id": 2, "action": "a", "area_km2": 1.0, "cost_wan": 8.0, "norm_sand": 0.8},
        {"parcel_id": 3, "action": "a", "area_km2": 1.0, "cost_wan": 4.0, "norm_sand": 0.5},
    ])
    scenario = kit.make_scenario(budget={"default": 10.0})
    problem = build_problem(options, actions, scenario, {"sand": 1.0})
    model, layout = compile_problem(problem)
    x = greedy_solution(problem, model, layout)
    chosen = problem.option_frame().loc[x[:layout.n_options] > 0.5]
    assert dict(zip(chosen["parcel_id"], chosen["start_year"], strict=True)) == {
        1: 2027, 2: 2028, 3: 2027}


def test_greedy_meets_a_target_before_filling_the_budget(kit) -> None:
    # The target needs action b by 2027; b has the worst ratio, yet greedy must place it.
    actions = kit.make_actions([{"code": "a"}, {"code": "b"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.9},
        {"parcel_id": 2, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.8},
        {"parcel_id": 3, "action": "b", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.1},
    ])
    scenario = kit.make_scenario(
        budget={"default": 10.0},
        targets=[{"name": "b first", "measure": "count", "minimum": 1, "by_year": 2027,
                  "action": "b"}])
    problem = build_problem(options, actions, scenario, {"sand": 1.0})
    model, layout = compile_problem(problem)
    x = greedy_solution(problem, model, layout)
    assert x is not None and model.violations(x) == []
    chosen = problem.option_frame().loc[x[:layout.n_options] > 0.5]
    assert (chosen["action"] == "b").sum() == 1
    assert chosen.loc[chosen["action"] == "b", "start_year"].item() == 2027
    assert model.objective_value(x) <= solve(model, "highs", gap=0.0).objective + 1e-9


def _greedy_starts(options, actions, scenario):
    """The greedy plan of a one-criterion problem, checked against every row, and the start
    year of each action it chose (one option per action in these instances)."""
    problem = build_problem(options, actions, scenario, {"sand": 1.0})
    model, layout = compile_problem(problem)
    x = greedy_solution(problem, model, layout)
    assert x is not None and model.violations(x) == []
    chosen = problem.option_frame().loc[x[:layout.n_options] > 0.5]
    return model, x, dict(zip(chosen["action"], chosen["start_year"], strict=True))


def test_greedy_places_an_after_action_once_its_before_action_has_started(kit) -> None:
    # "b not before a" over the region. a has the better ratio (0.5/1 vs 0.9/3), so it is
    # placed first, in 2027; b may then start in 2027 too. (The precedence row holds a
    # counter column; checked on the options alone it once refused every b.)
    actions = kit.make_actions([{"code": "a"}, {"code": "b"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 1.0, "norm_sand": 0.5},
        {"parcel_id": 2, "action": "b", "area_km2": 1.0, "cost_wan": 3.0, "norm_sand": 0.9},
    ])
    scenario = kit.make_scenario(precedence=[{"before": "a", "after": "b", "scope": "region"}])
    model, x, starts = _greedy_starts(options, actions, scenario)
    assert starts == {"a": 2027, "b": 2027}
    assert model.objective_value(x) == pytest.approx(solve(model, "highs", gap=0.0).objective)


def test_greedy_waits_for_every_before_action_of_an_after_action(kit) -> None:
    # "b not before a" and "b not before c". By ratio: a (0.5/1), b (0.9/3), c (0.1/2).
    # When b's turn comes only a has started, so b cannot be placed; c then is. (Checking
    # one of b's two rules only placed b, and the plan broke the other.)
    actions = kit.make_actions([{"code": "a"}, {"code": "b"}, {"code": "c"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 1.0, "norm_sand": 0.5},
        {"parcel_id": 2, "action": "b", "area_km2": 1.0, "cost_wan": 3.0, "norm_sand": 0.9},
        {"parcel_id": 3, "action": "c", "area_km2": 1.0, "cost_wan": 2.0, "norm_sand": 0.1},
    ])
    scenario = kit.make_scenario(precedence=[
        {"before": "c", "after": "b", "scope": "region"},
        {"before": "a", "after": "b", "scope": "region"}])
    _, _, starts = _greedy_starts(options, actions, scenario)
    assert starts == {"a": 2027, "c": 2027}


def test_skipping_options_that_can_never_fit_changes_no_greedy_plan(kit, monkeypatch) -> None:
    import optimizer.greedy as greedy

    compared = 0
    for seed in range(16):
        options, actions, scenario = kit.random_instance(seed)
        problem = build_problem(options, actions, scenario, WEIGHTS)
        model, layout = compile_problem(problem)
        monkeypatch.setattr(greedy, "CLOSE_AFTER_MISSES", 10**9)  # never skip
        plain = greedy_solution(problem, model, layout)
        monkeypatch.setattr(greedy, "CLOSE_AFTER_MISSES", 1)  # look after every miss
        eager = greedy_solution(problem, model, layout)
        assert (plain is None) == (eager is None)
        if plain is not None:
            np.testing.assert_array_equal(plain, eager)
            compared += 1
    assert compared >= 12


def test_a_run_is_never_worse_than_greedy_and_records_it(small_run) -> None:
    import json

    manifest = json.loads((small_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    heuristics = manifest["heuristics"]
    assert heuristics["greedy_objective"] is not None
    assert manifest["objective"] >= heuristics["greedy_objective"] - 1e-9
    assert heuristics["warm_start_source"] in ("greedy", "fix_and_resolve", "support_polish")
    assert heuristics["lp_bound"] >= manifest["objective"] - 1e-9


def test_never_below_swaps_in_the_baseline_when_the_solver_did_worse(kit) -> None:
    from dataclasses import replace

    from optimizer.solve_stage import never_below

    options, actions, scenario = kit.random_instance(1)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    baseline = greedy_solution(problem, model, layout)
    optimal = solve(model, "highs", gap=0.0)
    worse = replace(optimal, x=np.zeros_like(optimal.x), objective=0.0)
    kept = never_below(model, worse, baseline)
    assert kept.objective == model.objective_value(baseline) > 0.0
    assert kept.status == "feasible"
    assert never_below(model, optimal, baseline) is optimal


def test_support_polish_widens_to_the_neighbouring_years_of_the_same_pair(kit) -> None:
    from optimizer.neighbourhoods import neighbouring_years

    options, actions, scenario = kit.random_instance(2)  # 3 years: 2027-2029
    problem = build_problem(options, actions, scenario, WEIGHTS)
    mask = np.zeros(problem.n_options + 5, bool)
    first_2028 = int(np.flatnonzero(problem.option_year == 2028)[0])
    mask[first_2028] = True
    wide = neighbouring_years(problem)(mask)
    chosen = np.flatnonzero(wide)
    assert set(problem.option_year[chosen]) == {2027, 2028, 2029}
    assert set(problem.option_pair[chosen]) == {problem.option_pair[first_2028]}
    assert not wide[problem.n_options:].any()


def test_warm_start_is_feasible_and_at_least_as_good_as_each_heuristic(kit) -> None:
    from optimizer.heuristics import best_warm_start, support_only
    from optimizer.neighbourhoods import neighbouring_years

    for seed in range(6):
        options, actions, scenario = kit.random_instance(seed)
        problem = build_problem(options, actions, scenario, WEIGHTS)
        model, layout = compile_problem(problem)
        greedy = greedy_solution(problem, model, layout)
        found = best_warm_start(model, {"greedy": greedy}, 10.0,
                                neighbourhoods=(support_only, neighbouring_years(problem)))
        optimum = solve(model, "highs", gap=0.0).objective
        assert found.x is not None and model.violations(found.x) == []
        assert found.objective == max(v for v in found.candidates.values() if v is not None)
        assert found.objective <= optimum + 1e-9 <= found.lp_bound + 2e-9


def test_a_missing_solver_bound_is_replaced_by_the_lp_bound(kit) -> None:
    from dataclasses import replace

    from optimizer.solve_stage import tighter_bound

    options, actions, scenario = kit.random_instance(4)
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    optimal = solve(model, "highs", gap=0.0)
    lp = solve(model, "highs", lp_relaxation=True).objective
    stopped = replace(optimal, status="feasible", bound=float("inf"), gap=float("inf"))
    fixed = tighter_bound(model, stopped, lp)
    assert fixed.bound == lp and np.isfinite(fixed.gap)
    assert fixed.gap == abs(lp - optimal.objective) / abs(optimal.objective)
    assert tighter_bound(model, optimal, lp).bound == optimal.bound  # already tighter


def test_a_start_within_the_gap_of_the_lp_bound_is_certified_without_a_solve(kit) -> None:
    from optimizer.heuristics import best_warm_start, support_only
    from optimizer.neighbourhoods import neighbouring_years
    from optimizer.solve_stage import certified_start

    options, actions, scenario = kit.random_instance(2)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    found = best_warm_start(model, {"greedy": greedy_solution(problem, model, layout)}, 10.0,
                            neighbourhoods=(support_only, neighbouring_years(problem)))
    reached = (found.lp_bound - found.objective) / found.objective
    assert reached > 1e-4  # the instance leaves a gap between the start and the LP bound
    assert certified_start(model, found, gap=reached / 2) is None
    result = certified_start(model, found, gap=reached * 1.01)
    assert result.status == "optimal" and result.gap == pytest.approx(reached)
    assert result.objective == found.objective and result.bound == found.lp_bound
    optimum = solve(model, "highs", gap=0.0).objective
    assert 0 <= (optimum - result.objective) / result.objective <= reached  # it holds
