"""Budget and water sweeps: monotone curves, limits respected at every point, warm starts."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.sweep import parse_scales, run_sweep, scaled
from optimizer.plan import recompute_limits


@pytest.fixture(scope="module")
def budget_sweep(small_region, tmp_path_factory):
    region, scenario = small_region
    out = tmp_path_factory.mktemp("sweep") / "sweep-budget"
    heard = []
    table = run_sweep(region, scenario, "budget", [1.5, 0.5, 1.0, 0.75, 1.25], out,
                      progress=heard.append)
    return table, out, heard, scenario


def test_parse_scales_ranges_and_lists() -> None:
    assert parse_scales("0.5:1.5:0.25") == [0.5, 0.75, 1.0, 1.25, 1.5]
    assert parse_scales("1.0,0.6,0.8") == [0.6, 0.8, 1.0]
    for bad in ("0.5:1.5", "a,b", "1.5:0.5:0.1", "0,1"):
        with pytest.raises(ValueError, match="--budget-scale"):
            parse_scales(bad)


def test_benefit_rises_and_flattens_with_the_budget(budget_sweep) -> None:
    table, _, heard, _ = budget_sweep
    assert table["scale"].tolist() == [0.5, 0.75, 1.0, 1.25, 1.5]  # solved ascending
    objective = table["objective"].to_numpy()
    assert np.all(np.diff(objective) >= -1e-9)
    assert objective[-1] > objective[0]
    marginal = table["marginal_benefit_per_wan"].to_numpy()[1:]
    assert marginal[-1] < marginal[0]  # diminishing returns
    assert [p.scale for p in heard] == table["scale"].tolist()


def test_each_point_starts_from_the_previous_plan_and_keeps_its_value(budget_sweep) -> None:
    table, _, _, _ = budget_sweep
    assert table["warm_start"][0].startswith("none")
    # a plan that fits less money fits more: the start is usable and never lost
    assert set(table["warm_start"][1:]) <= {"improved", "matched"}
    assert table["warm_start_objective"][1:].tolist() == pytest.approx(
        table["objective"][:-1].tolist())
    assert np.all(table["objective"][1:] >= table["warm_start_objective"][1:] - 1e-9)


def test_every_point_respects_its_own_scaled_budget_and_water(budget_sweep) -> None:
    table, out, _, scenario = budget_sweep
    for scale in table["scale"]:
        point = scaled(scenario, "budget", scale)
        folder = out / f"budgetx{scale:g}"
        spent = recompute_limits(folder / "plan.csv")
        budget = point.budget.for_years(point.horizon.years)
        water = point.water.for_years(point.horizon.years)
        cumulative_budget = np.cumsum([budget[y] for y in spent["year"]])
        assert np.all(np.cumsum(spent["spend"]) <= cumulative_budget + 1e-6)  # carry-over
        assert np.all(spent["water_use"] <= np.array([water[y] for y in spent["year"]]) + 1e-6)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["sweep"]["parameter"] == "budget" and manifest["sweep"]["scale"] == scale


def test_sweep_folder_has_the_table_and_the_curve(budget_sweep) -> None:
    table, out, _, _ = budget_sweep
    written = pd.read_csv(out / "sweep.csv")
    assert written["objective"].tolist() == pytest.approx(table["objective"].tolist())
    assert (out / "curve.png").stat().st_size > 10_000 and (out / "curve.svg").exists()
    assert not [p for p in out.parent.iterdir() if ".tmp-" in p.name]


def test_water_sweep_scales_only_water(small_region) -> None:
    region, scenario = small_region
    half = scaled(scenario, "water", 0.5)
    # the water for new use: the allocation and the credited share of savings
    assert half.water.default == pytest.approx(0.5 * scenario.water.default)
    assert half.water.saving_credit == pytest.approx(0.5 * scenario.water.saving_credit)
    assert half.budget == scenario.budget
    table = run_sweep(region, scenario, "water", [0.5, 1.0])
    allocation = sum(scenario.water.for_years(scenario.horizon.years).values())
    # each plan's water available: the scaled allocation plus its own credited savings
    assert table["water_total"][0] >= 0.5 * allocation - 1e-6
    assert table["water_total"][1] >= allocation - 1e-6
    assert table["budget_total"][0] == pytest.approx(table["budget_total"][1])
    assert table["objective"][1] >= table["objective"][0] - 1e-9
