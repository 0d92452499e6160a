"""A county's own money (``[budget.per_county.<code>]``): the optimum equals a brute force that
checks it directly, every row holds, the greedy and warm starts stay within it, the re-plan
sets its past years, it is named when it binds or makes a scenario infeasible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from optimizer.formulation import compile_problem
from optimizer.greedy import greedy_solution
from optimizer.problem import build_problem
from optimizer.solvers import solve
from region.scenario_problems import scenario_from_dict

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def with_county_money(scenario, county: str = "c1", default: float = 4.0,
                      carry_over: bool | None = None, **budget):
    """``scenario`` with ``county``'s own money (and other budget keys) set."""
    raw = scenario.model_dump(mode="json", exclude_none=True)
    own = {"default": default} | ({} if carry_over is None else {"carry_over": carry_over})
    raw["budget"] = raw["budget"] | {"per_county": {county: own}} | budget
    return scenario_from_dict(raw)


def instance(kit, seed: int, carry_over: bool | None):
    """A random instance whose county c1 has 4 万元 a year of its own (the city has 6-13)."""
    options, actions, scenario = kit.random_instance(seed)
    return options, actions, with_county_money(scenario, carry_over=carry_over)


@pytest.mark.parametrize("carry_over", [None, False, True])
@pytest.mark.parametrize("seed", range(8))
def test_optimum_equals_brute_force_with_a_county_budget(kit, seed: int,
                                                         carry_over: bool | None) -> None:
    options, actions, scenario = instance(kit, seed, carry_over)
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    assert model.family("budget_county").stop - model.family("budget_county").start == 3
    kit.assert_highs_matches_brute_force(model, expected)


def test_the_county_budget_binds_on_some_instances(kit) -> None:
    """Without c1's own money the optimum is higher on most seeds: the rows are not idle."""
    lower = 0
    for seed in range(8):
        options, actions, plain = kit.random_instance(seed)
        free = kit.brute_force(options, actions, plain, WEIGHTS)
        limited = kit.brute_force(options, actions, with_county_money(plain), WEIGHTS)
        if free is not None and (limited is None or limited < free - 1e-9):
            lower += 1
    assert lower >= 4


def test_rows_sum_each_countys_spend_per_year_or_up_to_each_year(kit) -> None:
    """Hand check of the rows: c1's spend in a year (without carry-over) or up to a year
    (with), against the county's money in that year or up to it."""
    for carry in (False, True):
        options, actions, scenario = instance(kit, 3, carry)
        problem = build_problem(options, actions, scenario, WEIGHTS)
        model, _ = compile_problem(problem)
        family = model.family("budget_county")
        rows = model.A[family.start:family.stop, :problem.n_options].toarray()
        in_c1 = (problem.option_frame()["county"] == "c1").to_numpy()
        per_year = problem.cost.toarray() * in_c1[:, None]  # options × years
        expected = np.cumsum(per_year, axis=1).T if carry else per_year.T
        np.testing.assert_allclose(rows, expected)
        np.testing.assert_allclose(model.row_upper[family.start:family.stop],
                                   [4.0, 8.0, 12.0] if carry else [4.0, 4.0, 4.0])
        assert family.labels == (("budget_county[c1,2027-2027]", "budget_county[c1,2027-2028]",
                                  "budget_county[c1,2027-2029]") if carry else
                                 ("budget_county[c1,2027]", "budget_county[c1,2028]",
                                  "budget_county[c1,2029]"))


def test_a_county_follows_the_citys_carry_over_unless_it_says_otherwise(kit) -> None:
    _, _, scenario = kit.random_instance(0)
    for city in (False, True):
        for own, expected in ((None, city), (True, True), (False, False)):
            changed = with_county_money(scenario, carry_over=own)
            raw = changed.model_dump(mode="json", exclude_none=True)
            raw["budget"]["carry_over"] = city
            assert scenario_from_dict(raw).budget.county_carries("c1") is expected


def test_greedy_and_warm_starts_stay_within_the_county_budget(kit) -> None:
    from optimizer.heuristics import best_warm_start, support_only
    from optimizer.lagrangian import lagrangian_bound

    found = 0
    for seed in range(8):
        for carry in (False, True):
            options, actions, scenario = instance(kit, seed, carry)
            problem = build_problem(options, actions, scenario, WEIGHTS)
            model, layout = compile_problem(problem)
            optimum = kit.brute_force(options, actions, scenario, WEIGHTS)
            greedy = greedy_solution(problem, model, layout)
            scored = greedy_solution(problem, model, layout,
                                     option_score=lagrangian_bound(model).reduced_value[
                                         :problem.n_options])
            for x in (greedy, scored):
                if x is not None:
                    found += 1
                    assert model.violations(x) == []
                    assert model.objective_value(x) <= optimum + 1e-9
            warm = best_warm_start(model, {"greedy": greedy}, 10.0,
                                   neighbourhoods=(support_only,))
            if warm.x is not None:
                assert model.violations(warm.x) == []
    assert found >= 24


def test_the_infeasibility_explanation_names_the_county_money(kit) -> None:
    from optimizer.infeasibility import explain_infeasibility

    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 6.0, "county": "c1",
         "norm_sand": 1.0},
        {"parcel_id": 2, "action": "a", "area_km2": 1.0, "cost_wan": 2.0, "county": "c2",
         "norm_sand": 1.0}])
    actions = kit.make_actions([{"code": "a"}])
    scenario = kit.make_scenario(budget={"default": 10.0,
                                         "per_county": {"c1": {"default": 5.0}}},
                                 locked_in=[{"parcel_ids": [1], "action": "a"}])
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    assert solve(model, "highs").status == "infeasible"
    lines = explain_infeasibility(model)
    assert len(lines) == 1 and lines[0].startswith("budget_county[c1,"), lines
    assert "limit is 5 万元 (short by 1)" in lines[0]


def test_the_county_money_binds_in_the_shadow_prices_and_the_words(kit) -> None:
    from cli.run_table import binds_in_words
    from optimizer.binding import binding_limits
    from optimizer.shadow_prices import shadow_prices

    # c1 pays one of its five works a year (an option it could never pay would be closed:
    # optimizer.problem.unaffordable), so its money binds every year; the city's does not
    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": 3.0, "county": county,
         "norm_sand": 1.0} for p, county in ((1, "c1"), (2, "c1"), (3, "c1"), (4, "c2"),
                                             (5, "c1"), (6, "c1"))])
    actions = kit.make_actions([{"code": "a"}])
    scenario = kit.make_scenario(budget={"default": 100.0,
                                         "per_county": {"c1": {"default": 3.0}}})
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    prices = shadow_prices(model, (2027, 2028, 2029))
    assert all(prices[y]["budget_per_wan_by_county"]["c1"] > 0 for y in (2027, 2028, 2029))
    assert all(prices[y]["budget_per_wan"] == 0 for y in (2027, 2028, 2029))
    accounts = pd.DataFrame({"year": [2027, 2027], "account": ["c1", "c2"],
                             "water_available": [100.0, 100.0]})
    binds = binding_limits(prices, accounts)
    assert binds["binds_en"].tolist() == ["money binds", "neither money nor water binds"]
    assert binds["money_counties"].tolist() == [("c1",), ()]
    city = binding_limits(prices, accounts.iloc[:1].assign(account="city"))
    assert city.loc[0, "binds_en"] == "money binds" and city.loc[0, "money_counties"] == ("c1",)
    # the run table's cell is short (80 columns); the line under it names the county
    cells, _, _, money_years = binds_in_words(binds, {"c1": "高昌区"})
    assert cells == {2027: "money"} and money_years == {"高昌区": [2027]}
    prices[2027]["budget_per_wan"] = 0.5  # the city's money binds too
    cells, _, _, money_years = binds_in_words(binding_limits(prices, accounts), {"c1": "高昌区"})
    assert cells == {2027: "money"} and money_years == {"高昌区": [2027]}


def test_rule_words_name_the_county() -> None:
    from types import SimpleNamespace

    from pipeline.rule_words import rule_words

    region = SimpleNamespace(
        county_labels=pd.DataFrame({"county": ["650402"], "name_zh": ["高昌区"],
                                    "name_en": ["Gaochang District"]}),
        actions=pd.DataFrame({"code": ["a"], "name_zh": ["措施"], "name_en": ["action"]}))
    scenario = SimpleNamespace(targets=[])
    assert rule_words("budget_county[650402,2028]", scenario, region) == (
        "2028年高昌区资金", "Gaochang District's money of 2028")
    assert rule_words("budget_county[650402,2027-2029]", scenario, region) == (
        "高昌区2027-2029年累计资金", "Gaochang District's money of 2027-2029 (carried over)")


@pytest.mark.parametrize(("carry", "cost3", "expected"), [
    (True, 13.0, {(1, 2027), (3, 2028)}),   # 10 − 3 − 4 = 3 carried: 13 in 2028
    (True, 13.5, {(1, 2027), (2, 2028)}),   # does not fit: the failed work redone instead
    (False, 10.0, {(1, 2027), (3, 2028)}),  # nothing carried: 10 in 2028
    (False, 10.5, {(1, 2027), (2, 2028)}),
])
def test_a_replan_carries_exactly_the_countys_money_left(kit, carry, cost3, expected) -> None:
    """Hand-solved, as the city's money is (test_history_stability.py) but with the city's
    budget ample and county c1 holding 10 万元 a year of its own: 2027 parcel 1's work
    (planned 5) done for 3, parcel 2's (planned 4) failed after paying it."""
    from optimizer.history import Past, compile_with_past

    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.1},
        {"parcel_id": 2, "action": "a", "area_km2": 1.0, "cost_wan": 4.0, "norm_sand": 0.1},
        {"parcel_id": 3, "action": "a", "area_km2": 1.0, "cost_wan": cost3,
         "norm_sand": 0.9}])
    scenario = kit.make_scenario(
        budget={"default": 100.0, "carry_over": True,
                "per_county": {"c1": {"default": 10.0, "carry_over": carry}}},
        horizon={"start": 2027, "end": 2028, "evaluation_year": 2030})
    problem = build_problem(options, actions, scenario, WEIGHTS)
    frame = problem.option_frame()

    def option(parcel: int) -> int:
        return int(np.flatnonzero((frame["parcel_id"] == parcel)
                                  & (frame["start_year"] == 2027))[0])

    past = Past(2028, np.array([option(1)]), np.array([3.0]), np.array([option(2)]),
                np.array([np.nan]), np.array([True]))
    fixed, model, _, _ = compile_with_past(problem, past)
    # with carry-over 3 kept + 3 carried; without, 10 granted − 4 of the failed work
    assert fixed.scenario.budget.per_county["c1"].per_year[2027] == 6.0
    result = solve(model, "highs", gap=0.0)
    assert model.violations(result.x) == []
    chosen = fixed.option_frame().iloc[np.flatnonzero(result.x[:fixed.n_options] > 0.5)]
    assert set(zip(chosen["parcel_id"], chosen["start_year"], strict=True)) == expected


def test_budget_scale_scales_each_countys_money_and_budget_years_only_the_citys(kit) -> None:
    """--budget-scale (and so a budget sweep and sensitivity run) scales the counties' own
    money with the city's; --budget 2028=… sets the city's year only."""
    from region.overrides import Overrides, apply_overrides

    _, _, scenario = kit.random_instance(0)
    raw = with_county_money(scenario, default=4.0).model_dump(mode="json", exclude_none=True)
    raw["budget"]["per_county"]["c1"]["per_year"] = {"2028": 2.0}
    scaled = scenario_from_dict(apply_overrides(raw, Overrides(budget_scale=0.5)))
    assert scaled.budget.per_county["c1"].for_years([2027, 2028]) == {2027: 2.0, 2028: 1.0}
    assert scaled.budget.default == scenario.budget.default * 0.5
    typed = scenario_from_dict(apply_overrides(raw, Overrides(budget={2028: 99.0})))
    assert typed.budget.for_years([2028]) == {2028: 99.0}
    assert typed.budget.per_county["c1"].for_years([2028]) == {2028: 2.0}


@pytest.mark.parametrize("carry", [False, True])
def test_a_mandatory_work_over_its_countys_money_is_refused_before_the_solve(kit,
                                                                            carry) -> None:
    from optimizer.presolve import InfeasibleScenarioError, check

    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 16.0, "county": "c1",
         "norm_sand": 1.0}])
    actions = kit.make_actions([{"code": "a"}])
    scenario = kit.make_scenario(
        budget={"default": 100.0,
                "per_county": {"c1": {"default": 5.0, "carry_over": carry}}},
        locked_in=[{"parcel_ids": [1], "action": "a"}])
    problem = build_problem(options, actions, scenario, WEIGHTS)
    if carry:  # 5 + 5 + 5 = 15 万元 up to 2029 < 16 in any start year: refused
        with pytest.raises(InfeasibleScenarioError, match=r"costs 16 万元 in 2027-2027 but "
                           r"county c1's own budget \(\[budget.per_county.c1\]\) there is 5"):
            check(problem)
    else:
        with pytest.raises(InfeasibleScenarioError, match="costs 16 万元 in 2027 but county "
                                                          "c1's own budget"):
            check(problem)
    roomy = kit.make_scenario(budget={"default": 100.0,
                                      "per_county": {"c1": {"default": 16.0}}},
                              locked_in=[{"parcel_ids": [1], "action": "a"}])
    check(build_problem(options, actions, roomy, WEIGHTS))  # fits: no error


@pytest.mark.parametrize("own", [False, True])
@pytest.mark.parametrize(("cost3", "fits"), [(155.0, True), (155.5, False)])
def test_a_past_year_that_spent_carried_money_beyond_its_grant_replans(kit, own, cost3,
                                                                       fits) -> None:
    """Hand-solved, the city's money (own False) or county c1's own: 2027 has 100, spends 5
    (95 carried); 2028 has 10 and spends 50 of the carried money (55 carried), so 2029 has
    100 + 55 = 155. Year by year the 2028 row would read 5 + 55 − 95 = −35: refused as a
    budget, the re-plan failed. The city's figures come from the actuals; the county's from
    its scenario money and its works' payments (a failed work of 45 in 2028)."""
    from optimizer.history import Past, compile_with_past
    from region.cycle import YearActuals

    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": cost, "norm_sand": value}
        for p, cost, value in ((1, 5.0, 0.5), (2, 5.0, 0.5), (3, cost3, 0.9), (4, 45.0, 0.1))])
    money = {"per_year": {"2027": 100.0, "2028": 10.0, "2029": 100.0}, "carry_over": True}
    budget = ({"default": 1000.0, "carry_over": True, "per_county": {"c1": money}} if own
              else money)
    problem = build_problem(options, actions, kit.make_scenario(budget=budget), WEIGHTS)
    frame = problem.option_frame()

    def option(parcel: int, year: int) -> int:
        return int(np.flatnonzero((frame["parcel_id"] == parcel)
                                  & (frame["start_year"] == year))[0])

    kept = (np.array([option(1, 2027), option(2, 2028)]), np.array([5.0, 5.0]))
    past = (Past(2029, *kept, np.array([option(4, 2028)]), np.array([45.0]),
                 np.array([True])) if own else
            Past(2029, *kept, actuals={2027: YearActuals(budget_wan=100.0, spend_wan=5.0),
                                       2028: YearActuals(budget_wan=10.0, spend_wan=50.0)}))
    fixed, model, _, _ = compile_with_past(problem, past)
    result = solve(model, "highs", gap=0.0)
    assert model.violations(result.x) == []
    chosen = fixed.option_frame().iloc[np.flatnonzero(result.x[:fixed.n_options] > 0.5)]
    started = set(zip(chosen["parcel_id"], chosen["start_year"], strict=True))
    assert started - {(1, 2027), (2, 2028)} == ({(3, 2029)} if fits else {(4, 2029)})


def county_plan(kit, carry_over: bool, per_year: float, ready: tuple[int, ...]):
    """A solved plan (with its shadow prices) whose county c1 has ``per_year`` 万元 of its own
    (the city 100 a year, ample) and three works of 3 万元 that may start in ``ready``; c2
    one of 1 万元. Carry-over as ``carry_over`` for the city and c1 alike."""
    from optimizer.plan import build_plan
    from optimizer.shadow_prices import shadow_prices

    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": cost, "county": county,
         "norm_sand": 1.0} for p, county, cost in ((1, "c1", 3.0), (2, "c1", 3.0),
                                                   (3, "c1", 3.0), (4, "c2", 1.0))])
    actions = kit.make_actions([{"code": "a"}])
    scenario = kit.make_scenario(
        budget={"default": 100.0, "carry_over": carry_over,
                "per_county": {"c1": {"default": per_year}}},
        locked_out=[{"county": "c1", "year": y, "reason": "not ready"}
                    for y in (2027, 2028, 2029) if y not in ready])
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    assert result.status == "optimal"
    return build_plan(problem, layout, result,
                      (shadow_prices(model, problem.years), "LP relaxation duals"))


def test_a_county_with_carry_over_binds_only_where_its_cumulative_row_does(kit) -> None:
    """c1 has 2 万元 a year, carried on, and its works are ready in 2029 only: it carries
    2027's and 2028's money on and spends all 6 万元 in 2029 on two of its three works (hand
    solved). A 万元 more in 2027 would be carried into 2029 and buy benefit there, so the
    summed price is positive in every year; the old check said c1's money binds in 2027-2029.
    Its own row binds in 2029 only; in 2027-2028 c1's total binds and the county carries its
    money on (findings_review.md #2: not "neither"): the run table, the report and the
    manifest say so."""
    from cli.run_table import binds_in_words
    from outputs.limits import limits_by_year

    plan = county_plan(kit, carry_over=True, per_year=2.0, ready=(2029,))
    c1 = plan.chosen[plan.chosen["county"] == "c1"]
    assert sorted(c1["start_year"]) == [2029, 2029] and len(plan.chosen) == 3
    assert all(plan.shadow_prices[y]["budget_per_wan_by_county"]["c1"] > 1e-6
               for y in (2027, 2028, 2029))  # the summed price the old check read
    assert plan.county_money_binding() == {"c1": {2027: "carried", 2028: "carried",
                                                  2029: "binds"}}
    assert plan.money_binding() == {2027: "free", 2028: "free", 2029: "free"}
    # the run table: a cell per year, the county named under it in 2029 only
    cells, _, _, money_years = binds_in_words(plan.binding(), {"c1": "高昌区"})
    assert cells == {2027: "total", 2028: "total", 2029: "money"}
    assert money_years == {"高昌区": [2029]}
    # the report (and the 汇总 sheet): the year's kind and sentence
    limits = limits_by_year(plan, {"c1": ("高昌区", "Gaochang District")}).set_index("year")
    assert limits["binds"].to_dict() == {2027: "total", 2028: "total", 2029: "money"}
    assert "（资金：高昌区）" in limits.loc[2029, "sentence"]
    assert "(money: Gaochang District)" in limits.loc[2029, "sentence"]
    assert not any("资金：" in limits.loc[y, "sentence"] for y in (2027, 2028))
    assert all("资金总额起约束（逐年结转）（资金总额：高昌区）" in limits.loc[y, "sentence"]
               and "each year carries money on (total budget: Gaochang District)"
               in limits.loc[y, "sentence"] for y in (2027, 2028))
    # the manifest: money over the city's and the counties' own, and each apart
    binds = {y: plan.manifest({})["years"][y]["binds"] for y in (2027, 2028, 2029)}
    assert {y: b["money"] for y, b in binds.items()} == {2027: "carried", 2028: "carried",
                                                        2029: "binds"}
    assert {y: b["money_city"] for y, b in binds.items()} == dict.fromkeys(binds, "free")
    assert binds[2029]["money_counties"] == {"c1": "binds"}


def test_a_county_without_carry_over_binds_where_priced(kit) -> None:
    """c1 has 3 万元 a year, not carried: one of its three works a year (hand solved), and
    its money binds in every year; a year's money is lost, so the price alone decides."""
    from outputs.limits import limits_by_year

    plan = county_plan(kit, carry_over=False, per_year=3.0, ready=(2027, 2028, 2029))
    c1 = plan.chosen[plan.chosen["county"] == "c1"]
    assert sorted(c1["start_year"]) == [2027, 2028, 2029]
    assert plan.county_money_binding() == {"c1": dict.fromkeys((2027, 2028, 2029), "binds")}
    limits = limits_by_year(plan, {"c1": ("高昌区", "Gaochang District")})
    assert limits["binds"].tolist() == ["money"] * 3
    manifest = plan.manifest({})
    assert [manifest["years"][y]["binds"]["money"] for y in (2027, 2028, 2029)] == \
        ["binds"] * 3
