"""The plan's files: totals recomputed from plan.csv equal the manifest; writes are atomic."""

import json

import numpy as np
import pandas as pd
import pytest

from optimizer.formulation import compile_problem
from optimizer.heuristics import fix_and_resolve
from optimizer.plan import build_plan, recompute_limits, write_atomically
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


def test_failed_write_leaves_the_old_result_and_no_partial_folder(tmp_path) -> None:
    out = tmp_path / "run"
    write_atomically(out, lambda folder: (folder / "plan.csv").write_text("old"))

    def crash(folder):
        (folder / "plan.csv").write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, crash)
    assert (out / "plan.csv").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


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
