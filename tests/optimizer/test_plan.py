"""The plan's files: totals recomputed from plan.csv equal the manifest; writes are atomic."""

import dataclasses
import json
import re

import numpy as np
import pandas as pd
import pytest

from optimizer.formulation import compile_problem
from optimizer.heuristics import fix_and_resolve
from optimizer.plan import build_plan, recompute_limits
from optimizer.problem import build_problem
from optimizer.solvers import solve

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


@pytest.fixture
def solved_plan(kit):
    options, actions, scenario = kit.random_instance(5)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    return problem, build_plan(problem, layout, result), scenario


def test_plan_csv_totals_equal_the_manifest_and_respect_the_limits(solved_plan,
                                                                   tmp_path) -> None:
    problem, plan, scenario = solved_plan
    out = plan.write(tmp_path / "run", manifest_extra={"inputs_sha256": "abc"})
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recomputed = recompute_limits(out / "plan.csv")
    budget = scenario.budget.for_years(scenario.horizon.years)
    water = scenario.water.for_years(scenario.horizon.years)
    cum_spend = cum_budget = 0.0
    for row in recomputed.itertuples():
        year = manifest["years"][str(row.year)]
        assert year["spend"] == pytest.approx(row.spend)
        assert year["water_use"] == pytest.approx(row.water_use)
        assert row.water_use <= water[row.year] + 1e-6
        cum_spend += row.spend
        cum_budget += budget[row.year]
        assert cum_spend <= cum_budget + 1e-6
        if not scenario.budget.carry_over:
            assert row.spend <= budget[row.year] + 1e-6
    for key in ("status", "objective", "bound", "gap", "solver", "time_s", "inputs_sha256"):
        assert key in manifest
    plan_csv = pd.read_csv(out / "plan.csv")
    assert {"parcel_id", "action", "start_year", "area_km2", "zone", "county",
            "value"} <= set(plan_csv.columns)
    assert plan_csv["value"].sum() == pytest.approx(manifest["objective"])


def test_plan_csv_writes_no_float_noise(solved_plan, tmp_path) -> None:
    """0.1 + 0.2 is written 0.3, not 0.30000000000000004; figures keep 12 digits."""
    _, plan, _ = solved_plan
    chosen = plan.chosen.copy()
    chosen["area_km2"] = chosen["area_km2"].astype(float)
    chosen.loc[chosen.index[0], "area_km2"] = 0.1 + 0.2
    chosen.loc[chosen.index[0], "value"] = 1 / 3
    plan = dataclasses.replace(plan, chosen=chosen)
    text = (plan.write(tmp_path / "run") / "plan.csv").read_text(encoding="utf-8")
    row = text.splitlines()[1].split(",")
    header = text.splitlines()[0].split(",")
    assert row[header.index("area_km2")] == "0.3"
    assert row[header.index("value")] == "0.333333333333"
    assert max(significant_digits(cell) for line in text.splitlines()[1:]
               for cell in line.split(",")) <= 12


def significant_digits(cell: str) -> int:
    """How many significant digits a CSV cell's number has (0 for text)."""
    number = re.fullmatch(r"-?(\d*)\.?(\d*)(?:e[-+]\d+)?", cell)
    return len((number[1] + number[2]).lstrip("0")) if number else 0


def test_warm_start_heuristic_is_feasible_and_not_above_the_optimum(kit) -> None:
    for seed in range(6):
        options, actions, scenario = kit.random_instance(seed)
        model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
        x = fix_and_resolve(model)
        optimum = solve(model, "highs", gap=0.0).objective
        assert x is not None
        assert model.violations(x) == []
        assert model.objective_value(x) <= optimum + 1e-9
        assert np.all(np.isin(np.round(x[model.integrality], 6), [0.0, 1.0]))


def test_shadow_prices_are_what_one_more_unit_buys_in_the_lp(kit) -> None:
    # One year, budget 3; benefits 0.3, 0.2, 0.1 at 2 万元 each. The LP buys parcel 1 and
    # half of parcel 2; one more 万元 buys another half of parcel 2: its value / 2 per 万元.
    # Water (limit 100, use 1 per option) does not bind: price 0.
    from optimizer.shadow_prices import shadow_prices
    from optimizer.solve_stage import solve_compiled

    actions = kit.make_actions([{"code": "a", "lag_years": 0, "maturity_years": 1}])
    rows = [{"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": 2.0,
             "water_wan_m3_per_yr": 1.0, "norm_sand": v}
            for p, v in ((1, 0.3), (2, 0.2), (3, 0.1))]
    options = kit.make_options(rows)

    def lp_value(budget: float) -> float:
        scenario = kit.make_scenario(horizon={"start": 2027, "end": 2027,
                                              "evaluation_year": 2027},
                                     budget={"default": budget})
        model, _ = compile_problem(build_problem(options, actions, scenario, {"sand": 1.0}))
        return solve(model, "highs", lp_relaxation=True).objective

    scenario = kit.make_scenario(horizon={"start": 2027, "end": 2027, "evaluation_year": 2027},
                                 budget={"default": 3.0})
    problem = build_problem(options, actions, scenario, {"sand": 1.0})
    model, layout = compile_problem(problem)
    result, _, _ = solve_compiled(problem, model, layout)
    from_run = shadow_prices(model, problem.years, result.row_duals)
    assert result.row_duals is not None  # the warm start's LP, not solved a second time
    assert from_run == shadow_prices(model, problem.years)
    assert from_run[2027]["budget_per_wan"] == pytest.approx(lp_value(4.0) - lp_value(3.0))
    assert from_run[2027]["budget_per_wan"] == pytest.approx(model.obj[1] / 2)  # parcel 2
    assert from_run[2027]["water_per_wan_m3"] == pytest.approx(0.0)


def test_plan_csv_opens_in_excel_with_names_beside_the_codes(small_run, small_region) -> None:
    """plan.csv had no byte-order mark (Excel garbled its Chinese) and gave county, zone and
    land cover as codes only. It now starts with the UTF-8 mark and carries each code's
    Chinese and English name beside it; the re-plan and compare read it as before."""
    from analysis.compare import read_result
    from pipeline.replan_previous import read_previous

    region = small_region[0]
    path = small_run.out_dir / "plan.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw[3:].decode("utf-8").startswith("parcel_id,")
    plan = pd.read_csv(path, dtype={"county": str})
    columns = list(plan.columns)
    for code in ("county", "zone", "land_cover"):  # names right after their code
        at = columns.index(code)
        assert columns[at + 1:at + 3] == [f"{code}_zh", f"{code}_en"]
    counties = region.county_labels.set_index(region.county_labels["county"].astype(str))
    assert plan["county_zh"].tolist() == counties.loc[plan["county"], "name_zh"].tolist()
    zones = region.zone_labels.set_index("zone")
    assert plan["zone_en"].tolist() == zones.loc[plan["zone"], "name_en"].tolist()
    from region.schema import LAND_COVERS

    assert plan["land_cover_zh"].tolist() == [LAND_COVERS[c][0] for c in plan["land_cover"]]
    chosen = small_run.plan.chosen
    for read in (read_previous(small_run.out_dir).plan, read_result(small_run.out_dir).plan):
        assert read["parcel_id"].tolist() == chosen["parcel_id"].tolist()
        assert read["value"].to_numpy() == pytest.approx(chosen["value"].to_numpy())


def test_names_are_matched_by_code_as_text_and_written_once() -> None:
    from optimizer.plan import with_names

    chosen = pd.DataFrame({"parcel_id": [1, 2, 3], "zone": [2, 2.0, 7],
                           "county": ["650402", "650402", "650421"]})
    names = {"zone": {2: ("二区", "zone two")}, "county": {"650402": ("高昌区", "Gaochang")}}
    once = with_names(chosen, names)
    assert once["zone_zh"].tolist() == ["二区", "二区", "7"]  # unnamed: the code
    assert once["county_en"].tolist() == ["Gaochang", "Gaochang", "650421"]
    assert list(with_names(once, names).columns) == list(once.columns)
