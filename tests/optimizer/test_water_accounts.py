"""Water accounts: county lines, the saving credit, the lake, and water past the horizon.

Every optimum here is worked out by hand in the test's comment and checked against the
solver; the accounts reported by the plan are recomputed from its chosen rows.
"""

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.plan import build_plan
from optimizer.problem import build_problem
from optimizer.solvers import solve

WEIGHTS = {"sand": 1.0}


def solve_plan(options, actions, scenario):
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    result = solve(model, "highs", time_limit_s=20.0, gap=0.0)
    assert result.status == "optimal"
    return build_plan(problem, layout, result), problem


@pytest.fixture
def two_counties(kit):
    """County A can save 100 万m³/yr on parcel 1 (worth little); county B has a work on
    parcel 2 that needs 40 万m³/yr (worth much). Money is plentiful, no allocations."""
    actions = kit.make_actions([
        {"code": "saving", "water_wan_m3_per_km2_yr": -100.0, "water_years": 30},
        {"code": "planting", "water_wan_m3_per_km2_yr": 40.0, "water_years": 30}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "saving", "area_km2": 1.0, "cost_wan": 1.0,
         "water_wan_m3_per_yr": -100.0, "county": "A", "norm_sand": 0.01},
        {"parcel_id": 2, "action": "planting", "area_km2": 1.0, "cost_wan": 1.0,
         "water_wan_m3_per_yr": 40.0, "county": "B", "norm_sand": 1.0}])
    return options, actions


def accounts(scope: str, credit: float = 0.5) -> dict:
    return {"per_county": {"A": {"default": 0.0}, "B": {"default": 0.0}},
            "saving_credit": credit, "saving_scope": scope}


def test_a_saving_never_crosses_a_county_line_unless_the_scenario_allows(kit,
                                                                        two_counties) -> None:
    options, actions = two_counties
    budget = {"default": 100.0}
    # County scope: B has no water and cannot use A's saving, so the planting is out and only
    # the (slightly positive) saving is worth doing.
    plan, _ = solve_plan(options, actions,
                         kit.make_scenario(water=accounts("county"), budget=budget))
    assert set(plan.chosen["action"]) == {"saving"}
    # City scope: half of A's 100 万m³ (50) covers B's 40, both start in 2027.
    plan, _ = solve_plan(options, actions,
                         kit.make_scenario(water=accounts("city"), budget=budget))
    assert set(plan.chosen["action"]) == {"saving", "planting"}
    assert set(plan.chosen["start_year"]) == {2027}
    moved = plan.water_accounts.set_index(["year", "account"])["moved_in"]
    assert moved[(2027, "B")] == pytest.approx(40.0, abs=1e-6)
    assert moved[(2027, "A")] == pytest.approx(-40.0, abs=1e-6)


def test_only_the_credited_share_of_a_saving_pays_for_new_use(kit, two_counties) -> None:
    options, actions = two_counties
    options = options.assign(county="A")
    budget = {"default": 100.0}
    # Credit 0.3: 30 万m³ < 40, the planting never fits; credit 0.4: exactly 40, it does.
    low = {"per_county": {"A": {"default": 0.0}}, "saving_credit": 0.3}
    plan, _ = solve_plan(options, actions, kit.make_scenario(water=low, budget=budget))
    assert "planting" not in set(plan.chosen["action"])
    enough = {**low, "saving_credit": 0.4}
    plan, _ = solve_plan(options, actions, kit.make_scenario(water=enough, budget=budget))
    assert set(plan.chosen["action"]) == {"saving", "planting"}
    row = plan.water_accounts.set_index(["year", "account"]).loc[(2027, "A")]
    assert row["saving_credited"] == pytest.approx(40.0)
    assert row["groundwater_relief"] == pytest.approx(60.0)  # 压采: the uncredited 60 %
    assert row["water_use"] == pytest.approx(40.0) and row["water_available"] == pytest.approx(40.0)


def test_the_lake_competes_with_new_works_in_its_county(kit, two_counties) -> None:
    options, actions = two_counties
    options = options.assign(county="A")
    budget = {"default": 100.0}
    water = {"per_county": {"A": {"default": 40.0}}, "saving_credit": 0.0,
             "aydingkol": {"county": "A", "source_wan_m3": 30.0, "target_wan_m3": 30.0}}
    # Source = target: the 40 万m³ allocation is all the planting's.
    plan, _ = solve_plan(options, actions, kit.make_scenario(water=water, budget=budget))
    assert "planting" in set(plan.chosen["action"])
    # The lake's source falls to 20: 10 of the allocation must keep the lake, 30 < 40 left.
    water["aydingkol"]["source_wan_m3"] = 20.0
    plan, _ = solve_plan(options, actions, kit.make_scenario(water=water, budget=budget))
    assert "planting" not in set(plan.chosen["action"])
    row = plan.water_accounts.set_index(["year", "account"]).loc[(2027, "A")]
    assert row["lake_target"] == 30.0 and row["water_use"] <= row["water_available"] + 1e-9


def test_planted_forest_drinks_past_the_horizon(kit) -> None:
    # Blank water_years: water every year from the start to the evaluation year (2032).
    actions = kit.make_actions([{"code": "forest", "water_wan_m3_per_km2_yr": 5.0,
                                 "water_years": float("nan")}])
    options = kit.make_options([{"parcel_id": 1, "action": "forest", "area_km2": 2.0,
                                 "cost_wan": 1.0, "water_wan_m3_per_yr": 10.0,
                                 "norm_sand": 1.0}])
    problem = build_problem(options, actions, kit.make_scenario(), WEIGHTS)
    water = problem.water.toarray()
    starts = problem.option_year
    for i, start in enumerate(starts):
        # 10 万m³ in every horizon year from the start, and 2030-2032 after the horizon
        assert water[i].tolist() == [10.0 if y >= start else 0.0 for y in (2027, 2028, 2029)]
        assert problem.water_after_horizon[i] == pytest.approx(10.0 * 3)
    plan, _ = solve_plan(options, actions, kit.make_scenario())
    committed = plan.committed_water()
    assert committed == {"first_year_wan_m3": 10.0, "to_evaluation_year_wan_m3": 30.0}


def test_a_fixed_life_ends_its_water(kit) -> None:
    actions = kit.make_actions([{"code": "karez", "water_wan_m3_per_km2_yr": 5.0,
                                 "water_years": 2}])
    options = kit.make_options([{"parcel_id": 1, "action": "karez", "area_km2": 1.0,
                                 "cost_wan": 1.0, "water_wan_m3_per_yr": 5.0,
                                 "norm_sand": 1.0}])
    problem = build_problem(options, actions, kit.make_scenario(), WEIGHTS)
    first = int(np.flatnonzero(problem.option_year == 2027)[0])
    last = int(np.flatnonzero(problem.option_year == 2029)[0])
    assert problem.water.toarray()[first].tolist() == [5.0, 5.0, 0.0]
    assert problem.water_after_horizon[first] == 0.0
    assert problem.water_after_horizon[last] == pytest.approx(5.0)  # 2030 only


def test_county_accounts_of_a_real_plan_add_up_from_plan_csv(small_region, tmp_path) -> None:
    """The manifest's per-county water (years[y]["counties"][code]) recomputed from plan.csv:
    use within what is available, credited savings and 压采 from the saving columns."""
    import json

    import pandas as pd

    from pipeline.run import run_scenario
    from region.scenario_problems import scenario_from_dict

    region, scenario = small_region
    raw = scenario.model_dump(mode="json", exclude_none=True)
    codes = sorted(set(region.parcels["county"]))
    raw["water"] = {"per_county": {c: {"default": 20.0} for c in codes},
                    "saving_credit": 0.5}
    raw["solver"] = {**raw["solver"], "time_limit_s": 10.0, "gap": 0.05}
    outcome = run_scenario(region, scenario_from_dict(raw), tmp_path / "run")
    plan = pd.read_csv(tmp_path / "run" / "plan.csv", dtype={"county": str})
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    for year in scenario.horizon.years:
        counties = manifest["years"][str(year)]["counties"]
        assert set(counties) == set(codes)
        for code in codes:
            rows = plan[plan["county"] == code]
            saved = rows[f"saving_{year}"].sum()
            demand = rows[f"water_{year}"].sum() + 0.5 * saved
            entry = counties[code]
            assert entry["water_use"] == pytest.approx(demand, abs=1e-6)
            assert entry["saving_credited"] == pytest.approx(0.5 * saved, abs=1e-6)
            assert entry["groundwater_relief"] == pytest.approx(0.5 * saved, abs=1e-6)
            assert entry["water_available"] == pytest.approx(20.0 + 0.5 * saved, abs=1e-6)
            assert entry["water_use"] <= entry["water_available"] + 1e-6
            assert entry["binds_en"] in {
                "money binds", "water binds", "money and water bind",
                "neither money nor water binds",
                "the total budget binds; each year carries money on",
                "the total budget binds (each year carries money on) and water binds"}
    assert outcome.plan.binding()["account"].nunique() == len(codes)
