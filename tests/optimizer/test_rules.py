"""Each rule family on a hand-solved instance, and infeasible scenarios explained."""

import re

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.infeasibility import explain_infeasibility
from optimizer.presolve import InfeasibleScenarioError, check
from optimizer.problem import build_problem, restoring
from optimizer.solvers import solve

WEIGHTS = {"sand": 1.0, "water": 0.0, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def solved(options, actions, scenario, corridors=()):
    problem = build_problem(options, actions, scenario, WEIGHTS, corridors)
    model, layout = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    chosen = problem.option_frame().iloc[np.flatnonzero(result.x[: problem.n_options] > 0.5)]
    return result, chosen, layout


def test_carry_over_lets_unspent_money_fund_a_later_start(kit) -> None:
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([{"parcel_id": 1, "action": "a", "area_km2": 1.0,
                                 "cost_wan": 8.0, "norm_sand": 1.0}])
    no_carry = kit.make_scenario(budget={"default": 5.0})
    result, chosen, _ = solved(options, actions, no_carry)
    assert chosen.empty and result.objective == 0.0
    carry = kit.make_scenario(budget={"default": 5.0, "carry_over": True})
    _, chosen, _ = solved(options, actions, carry)
    # 5 + 5 ≥ 8 first in 2028: the earliest start the money allows
    assert list(chosen["start_year"]) == [2028]


def test_compatible_chain_both_actions_second_strictly_later(kit) -> None:
    actions = kit.make_actions([{"code": "barrier", "compatible_with": "plant"},
                                {"code": "plant"}, {"code": "fence"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "barrier", "area_km2": 1.0, "cost_wan": 1.0, "norm_sand": 1.0},
        {"parcel_id": 1, "action": "plant", "area_km2": 1.0, "cost_wan": 1.0, "norm_sand": 1.0},
        {"parcel_id": 1, "action": "fence", "area_km2": 1.0, "cost_wan": 1.0, "norm_sand": 1.5},
    ])
    _, chosen, _ = solved(options, actions, kit.make_scenario())
    # barrier + plant (2 × value) beats fence alone (1.5 ×); plant must follow the barrier
    assert sorted(chosen["action"]) == ["barrier", "plant"]
    years = dict(zip(chosen["action"], chosen["start_year"], strict=True))
    assert years["barrier"] == 2027 and years["plant"] == 2028


def test_capacity_limits_area_started_per_year(kit) -> None:
    actions = kit.make_actions([{"code": "a", "capacity_km2_per_yr": 2.0}])
    options = kit.make_options([{"parcel_id": p, "action": "a", "area_km2": 1.5,
                                 "cost_wan": 0.0, "norm_sand": 1.0} for p in range(1, 5)])
    _, chosen, _ = solved(options, actions, kit.make_scenario())
    assert chosen.groupby("start_year").size().max() == 1  # 2 × 1.5 > 2 km²
    assert len(chosen) == 3


def test_zone_precedence_waits_for_the_before_action(kit) -> None:
    actions = kit.make_actions([{"code": "channel"}, {"code": "wetland"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "channel", "area_km2": 1.0, "cost_wan": 1.0,
         "norm_sand": 0.01},
        {"parcel_id": 2, "action": "wetland", "area_km2": 1.0, "cost_wan": 1.0,
         "norm_sand": 1.0}])
    scenario = kit.make_scenario(precedence=[{"before": "channel", "after": "wetland",
                                              "scope": "zone", "lag_years": 1}])
    _, chosen, _ = solved(options, actions, scenario)
    years = dict(zip(chosen["action"], chosen["start_year"], strict=True))
    assert years == {"channel": 2027, "wetland": 2028}


def test_corridor_bonus_counts_only_once_all_degraded_parcels_are_restored(kit) -> None:
    class Corridor:
        name = "c"
        degraded_parcel_ids = np.array([1, 2])
        importance = 1.0

    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([{"parcel_id": p, "action": "a", "area_km2": 1.0,
                                 "cost_wan": 1.0, "norm_sand": v}
                                for p, v in ((1, 0.1), (2, 0.1), (3, 0.15))])
    scenario = kit.make_scenario(budget={"default": 1.0},
                                 corridors={"enabled": True, "bonus_weight": 5.0})
    result, chosen, layout = solved(options, actions, scenario, [Corridor()])
    # without the bonus parcel 3 would go first; with it, 1 and 2 complete the corridor
    assert set(chosen["parcel_id"]) >= {1, 2}
    y = result.x[layout.corridor]
    assert y.tolist() == [0.0, 1.0, 1.0]  # complete from the second year on


def test_mandatory_option_over_the_water_limit_is_explained(kit) -> None:
    actions = kit.make_actions([{"code": "replenish", "water_years": 3}])
    options = kit.make_options([{"parcel_id": 1, "action": "replenish", "area_km2": 1.0,
                                 "cost_wan": 1.0, "water_wan_m3_per_yr": 3400.0,
                                 "norm_sand": 1.0}])
    scenario = kit.make_scenario(water={"default": 3000.0},
                                 locked_in=[{"parcel_ids": [1], "action": "replenish"}])
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(problem)
    assert solve(model, "highs").status == "infeasible"
    lines = explain_infeasibility(model)
    # the smallest relaxation starts it in one year and overruns that year's water
    assert len(lines) == 1
    assert re.match(r"water\[20(27|28|29)\]: .*needs 3,400 万m³ but the limit is 3,000 万m³",
                    lines[0])


def test_presolve_names_an_unreachable_target(kit) -> None:
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([{"parcel_id": 1, "action": "a", "area_km2": 2.0,
                                 "cost_wan": 1.0, "norm_sand": 1.0}])
    scenario = kit.make_scenario(targets=[{"name": "sand land", "minimum": 5.0,
                                           "by_year": 2028}])
    with pytest.raises(InfeasibleScenarioError, match=r"'sand land' needs ≥ 5 km².*only 2 km²"):
        check(build_problem(options, actions, scenario, WEIGHTS))


def test_presolve_names_a_precedence_cycle(kit) -> None:
    actions = kit.make_actions([{"code": "a"}, {"code": "b"}])
    options = kit.make_options([{"parcel_id": 1, "action": "a", "area_km2": 1.0,
                                 "cost_wan": 1.0, "norm_sand": 1.0}])
    scenario = kit.make_scenario(precedence=[{"before": "a", "after": "b"},
                                             {"before": "b", "after": "a"}])
    with pytest.raises(InfeasibleScenarioError, match="cycle"):
        check(build_problem(options, actions, scenario, WEIGHTS))


def test_presolve_names_mandatory_water_over_a_year_limit_unless_savings_could_cover(
        kit) -> None:
    actions = kit.make_actions([{"code": "replenish", "water_years": 3},
                                {"code": "saving", "water_years": 3}])
    rows = [{"parcel_id": 1, "action": "replenish", "area_km2": 1.0, "cost_wan": 1.0,
             "water_wan_m3_per_yr": 3400.0, "norm_sand": 1.0}]
    scenario = kit.make_scenario(water={"default": 3000.0, "saving_credit": 1.0},
                                 locked_in=[{"parcel_ids": [1], "action": "replenish"}])
    with pytest.raises(InfeasibleScenarioError,
                       match=r"water \(city\): mandatory option .* needs 3,400 万m³ but 3,000 "
                             r"万m³ are available"):
        check(build_problem(kit.make_options(rows), actions, scenario, WEIGHTS))
    # a water-saving option that could free 500 万m³ a year makes it possibly feasible
    rows.append({"parcel_id": 2, "action": "saving", "area_km2": 1.0, "cost_wan": 1.0,
                 "water_wan_m3_per_yr": -500.0, "norm_sand": 0.1})
    assert check(build_problem(kit.make_options(rows), actions, scenario, WEIGHTS)) == []
    # … but not when only half of a smaller saving may go to new use: the presolve's
    # over-estimate (every start year of the saving at once) frees at most 3 × 100 < 400
    rows[-1]["water_wan_m3_per_yr"] = -200.0
    half = kit.make_scenario(water={"default": 3000.0, "saving_credit": 0.5},
                             locked_in=[{"parcel_ids": [1], "action": "replenish"}])
    with pytest.raises(InfeasibleScenarioError, match=r"at most 300 万m³ of credited savings"):
        check(build_problem(kit.make_options(rows), actions, half, WEIGHTS))


def test_presolve_names_a_mandatory_option_over_a_year_budget(kit) -> None:
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([{"parcel_id": 1, "action": "a", "area_km2": 1.0,
                                 "cost_wan": 25.0, "norm_sand": 1.0}])
    scenario = kit.make_scenario(budget={"default": 10.0},
                                 locked_in=[{"parcel_ids": [1], "action": "a"}])
    with pytest.raises(InfeasibleScenarioError, match=r"costs 25 万元 in 2027 but that year's "
                                                      r"budget is 10 万元"):
        check(build_problem(options, actions, scenario, WEIGHTS))


@pytest.mark.parametrize("restores", [0, 1])
def test_a_sand_barrier_or_karez_work_does_not_complete_a_corridor(kit, restores) -> None:
    class Corridor:
        name = "c"
        degraded_parcel_ids = np.array([1, 2])
        importance = 1.0

    actions = kit.make_actions([{"code": "enclosure", "restores_habitat": 1},
                                {"code": "sand_barrier", "restores_habitat": restores}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "enclosure", "area_km2": 1.0, "cost_wan": 1.0,
         "norm_sand": 0.1},
        {"parcel_id": 2, "action": "enclosure", "area_km2": 1.0, "cost_wan": 1.0,
         "norm_sand": 0.01},
        {"parcel_id": 2, "action": "sand_barrier", "area_km2": 1.0, "cost_wan": 1.0,
         "norm_sand": 0.1}])
    scenario = kit.make_scenario(corridors={"enabled": True, "bonus_weight": 5.0},
                                 locked_in=[{"parcel_ids": [2], "action": "sand_barrier"}])
    result, chosen, layout = solved(options, actions, scenario, [Corridor()])
    assert sorted(chosen["action"]) == ["enclosure", "sand_barrier"]
    y = result.x[layout.corridor]
    # a barrier on parcel 2 leaves its resistance as it was: the corridor stays open
    assert y.tolist() == ([1.0, 1.0, 1.0] if restores else [0.0, 0.0, 0.0])
    assert list(restoring(chosen.sort_values("parcel_id"))) == [True, bool(restores)]


def test_a_past_works_pair_does_not_change_what_a_corridor_is_worth(kit) -> None:
    """A re-plan's history-only pair (a past work today's catalogue no longer allows,
    pipeline/replan_history.py) scoring more than the parcel's options of today: the
    corridor's bonus is the share of what today's options earn, as without it."""
    class Corridor:
        name = "c"
        degraded_parcel_ids = np.array([1, 2])
        importance = 1.0

    actions = kit.make_actions([{"code": "a"}, {"code": "old"}])
    rows = [{"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": 1.0, "norm_sand": v}
            for p, v in ((1, 0.1), (2, 0.2))]
    scenario = kit.make_scenario(corridors={"enabled": True, "bonus_weight": 2.0})
    today = build_problem(kit.make_options(rows), actions, scenario, WEIGHTS, [Corridor()])
    past = kit.make_options([*rows, {"parcel_id": 1, "action": "old", "area_km2": 1.0,
                                     "cost_wan": 1.0, "norm_sand": 0.9}])
    past["history_only"] = [False, False, True]
    with_past = build_problem(past, actions, scenario, WEIGHTS, [Corridor()])
    assert today.corridor_bonus.tolist() == pytest.approx([2.0 * (0.1 + 0.2)])
    assert with_past.corridor_bonus.tolist() == today.corridor_bonus.tolist()
