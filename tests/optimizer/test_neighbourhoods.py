"""The support polish's schedule-aware neighbourhoods, and the run's use of its time."""

import time

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.heuristics import Exchange, support_only, support_polish
from optimizer.neighbourhoods import (
    adding,
    capacity_exchanges,
    filler_options,
    neighbouring_years,
    polish_neighbourhoods,
)
from optimizer.problem import build_problem
from optimizer.synthetic import synthetic_region

WEIGHTS = {"sand": 1.0, "water": 0.0, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def _capacity_instance(kit):
    """Action "a" capacity-limited on parcels of 5, 5, 5, 1 and 2 km²; "b" unlimited."""
    actions = kit.make_actions([{"code": "a", "capacity_km2_per_yr": 12.0}, {"code": "b"}])
    areas = [5.0, 5.0, 5.0, 1.0, 2.0]
    rows = [{"parcel_id": p, "action": "a", "area_km2": area, "cost_wan": 1.0,
             "norm_sand": 0.1} for p, area in enumerate(areas, start=1)]
    rows += [{"parcel_id": 9, "action": "b", "area_km2": 0.5, "cost_wan": 1.0,
              "norm_sand": 0.1}]
    return build_problem(kit.make_options(rows), actions, kit.make_scenario(), WEIGHTS)


def test_filler_options_are_the_small_parcels_of_capacity_limited_actions(kit) -> None:
    problem = _capacity_instance(kit)
    frame = problem.option_frame()
    filler = filler_options(problem)
    expected = ((frame["action"] == "a") & (frame["area_km2"] < 5.0)).to_numpy()
    assert filler.sum() == 2 * len(problem.years)  # the 1- and 2-km² parcels, every year
    np.testing.assert_array_equal(filler, expected)  # not the 0.5-km² unlimited one


def test_the_filler_neighbourhood_adds_the_fillers_and_keeps_the_mask(kit) -> None:
    problem = _capacity_instance(kit)
    mask = np.zeros(problem.n_options + 3, bool)
    mask[0] = mask[-1] = True  # an option and an auxiliary column
    wide = adding(filler_options(problem))(mask)
    assert wide[0] and wide[-1] and not wide[problem.n_options:-1].any()
    np.testing.assert_array_equal(wide[1:problem.n_options],
                                  filler_options(problem)[1:] | mask[1:problem.n_options])


def _same(first: tuple, second: tuple, problem) -> bool:
    """Whether two neighbourhood sequences widen a one-option mask alike, step by step."""
    mask = np.zeros(problem.n_options, bool)
    mask[1] = True
    return len(first) == len(second) and all(
        np.array_equal(a(mask), b(mask)) for a, b in zip(first, second, strict=True))


def test_fillers_come_first_when_there_is_time_and_last_when_there_is_not(kit) -> None:
    problem = _capacity_instance(kit)
    fillers, years = adding(filler_options(problem)), neighbouring_years(problem)
    (exchange,) = capacity_exchanges(problem)  # last (tested below)
    assert polish_neighbourhoods(problem, 45.0)[-1].name == exchange.name == "a"
    assert _same(polish_neighbourhoods(problem, 45.0)[:-1], (fillers, years), problem)
    assert _same(polish_neighbourhoods(problem, 5.0)[:-1], (support_only, years, fillers),
                 problem)
    options, actions, scenario = kit.random_instance(0)  # no capacity-limited small parcels
    plain = build_problem(options, actions, scenario, WEIGHTS)
    assert _same(polish_neighbourhoods(plain, 45.0),
                 (support_only, neighbouring_years(plain)), plain)
    # without exchanges (the quick effort, sensitivity samples) the widenings alone
    assert _same(polish_neighbourhoods(problem, 45.0, exchanges=False), (fillers, years),
                 problem)


def test_a_warm_start_that_used_the_time_limit_is_the_answer_without_a_mip(
        monkeypatch) -> None:
    import optimizer.solve_stage as stage
    from optimizer.heuristics import best_start
    from optimizer.solvers import solve

    options, actions, scenario = synthetic_region(60, 3, seed=2)
    solver = scenario.solver.model_copy(update={"time_limit_s": 1.0, "gap": 1e-6})
    problem = build_problem(options, actions, scenario.model_copy(update={"solver": solver}),
                            WEIGHTS)
    model, layout = compile_problem(problem)
    lp_bound = solve(model, "highs", lp_relaxation=True).objective

    def slow_warm_start(m, starts, *_a, **_k):
        time.sleep(0.9)  # all but 10 % of the time limit, under MIP_MIN_SHARE
        return best_start(m, starts, lp_bound=lp_bound)

    monkeypatch.setattr(stage, "best_warm_start", slow_warm_start)
    monkeypatch.setattr(stage, "solve", lambda *_a, **_k: pytest.fail("MIP solve"))
    result, heuristics, _ = stage.solve_compiled(problem, model, layout)
    assert result.status == "feasible" and "used the time limit" in result.message
    assert result.objective == heuristics["greedy_objective"]
    assert result.bound == pytest.approx(lp_bound)
    assert result.gap == pytest.approx((lp_bound - result.objective) / result.objective)
    assert model.violations(result.x) == []


def _knapsack_instance(kit):
    """Capacity-limited actions "a" (5 km² a year; parcels of 3, 2, 2, 4 and 1 km²) and "c"
    (parcels 11 and 12), and "b" unlimited (parcel 9); money and water do not bind, so the
    optimum takes every parcel, as early as the capacities let it."""
    actions = kit.make_actions([{"code": "a", "capacity_km2_per_yr": 5.0}, {"code": "b"},
                                {"code": "c", "capacity_km2_per_yr": 3.0}])
    rows = [{"parcel_id": p, "action": "a", "area_km2": area, "cost_wan": 1.0,
             "norm_sand": 0.1 * area} for p, area in enumerate([3.0, 2.0, 2.0, 4.0, 1.0], 1)]
    rows += [{"parcel_id": 9, "action": "b", "area_km2": 0.5, "cost_wan": 1.0,
              "norm_sand": 0.1}]
    rows += [{"parcel_id": p, "action": "c", "area_km2": 2.0, "cost_wan": 1.0,
              "norm_sand": 0.3} for p in (11, 12)]
    scenario = kit.make_scenario(budget={"default": 100.0})
    options = kit.make_options(rows)
    return options, actions, scenario, build_problem(options, actions, scenario, WEIGHTS)


def _plan(problem, model, chosen: dict[tuple[int, str], int]):
    """The model's solution taking ``chosen`` (parcel, action) → start year, and nothing
    else (auxiliary columns by an LP)."""
    from optimizer.greedy import complete_options

    frame = problem.option_frame()
    take = np.zeros(problem.n_options, bool)
    for (parcel, action), year in chosen.items():
        take |= ((frame["parcel_id"] == parcel) & (frame["action"] == action)
                 & (frame["start_year"] == year)).to_numpy()
    assert take.sum() == len(chosen)
    x = complete_options(model, problem.n_options, take, threads=1)
    assert x is not None and model.violations(x) == []
    return x


#: A feasible plan that packs "a" badly (4, 3 and 2 km² alone in their years, parcels 3 and
#: 5 left out) and leaves parcel 12 ("c") out though it fits in 2028.
POOR = {(4, "a"): 2027, (1, "a"): 2028, (2, "a"): 2029, (9, "b"): 2027, (11, "c"): 2027}


def test_capacity_exchanges_free_exactly_one_action_each(kit) -> None:
    *_, problem = _knapsack_instance(kit)
    exchanges = capacity_exchanges(problem)
    action = problem.option_frame()["action"].to_numpy()
    assert [e.name for e in exchanges] == ["a", "c"]  # not "b": it has no capacity
    for exchange in exchanges:
        np.testing.assert_array_equal(exchange.options, action == exchange.name)
    for time_limit_s in (5.0, 45.0):  # last in the polish, whatever comes first
        order = polish_neighbourhoods(problem, time_limit_s)
        assert [n for n in order if isinstance(n, Exchange)] == list(order[-2:])
        assert [n.name for n in order[-2:]] == ["a", "c"]


def test_an_exchange_repacks_its_action_and_fixes_the_rest(kit) -> None:
    options, actions, scenario, problem = _knapsack_instance(kit)
    model, _ = compile_problem(problem)
    poor = _plan(problem, model, POOR)
    # the support polish around the plan alone keeps it: nothing outside it may enter
    kept = support_polish(model, poor, poor, neighbourhoods=(support_only,))
    assert model.objective_value(kept) == pytest.approx(model.objective_value(poor))
    optimum = kit.brute_force(options, actions, scenario, WEIGHTS)
    assert model.objective_value(kept) < optimum - 1e-3
    a_only = support_polish(model, poor, poor,
                            neighbourhoods=(support_only, capacity_exchanges(problem)[0]))
    assert model.violations(a_only) == []
    action = problem.option_frame()["action"].to_numpy()
    np.testing.assert_array_equal(a_only[:problem.n_options][action != "a"],
                                  poor[:problem.n_options][action != "a"])
    assert a_only[:problem.n_options][action == "a"].sum() == pytest.approx(5)  # all taken
    best_a = _plan(problem, model, {**POOR, (4, "a"): 2027, (5, "a"): 2027, (1, "a"): 2028,
                                    (2, "a"): 2028, (3, "a"): 2029})
    assert model.objective_value(a_only) == pytest.approx(model.objective_value(best_a))
    both = support_polish(model, poor, poor,
                          neighbourhoods=(support_only, *capacity_exchanges(problem)))
    assert model.violations(both) == []
    assert model.objective_value(both) == pytest.approx(optimum, rel=1e-6)


def test_the_polish_with_work_limits_reaches_the_optimum(kit) -> None:
    from optimizer.work import work_limits

    options, actions, scenario, problem = _knapsack_instance(kit)
    model, _ = compile_problem(problem)
    poor = _plan(problem, model, POOR)
    polished = support_polish(model, poor, poor, neighbourhoods=polish_neighbourhoods(
        problem, 5.0), work=work_limits(model))
    assert model.violations(polished) == []
    assert model.objective_value(polished) == pytest.approx(
        kit.brute_force(options, actions, scenario, WEIGHTS), rel=1e-6)
