"""Budget, water and corridor sweeps: monotone curves, limits respected at every point, warm
starts, what completing corridors costs."""

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from analysis.curves import plot_curve
from analysis.sweep import parse_scales, run_sweep, scaled, with_marginals
from cli.scenarios import limit_sweep_table
from criteria.corridors import analyse_corridors
from optimizer.plan import recompute_limits
from optimizer.problem import restoring
from region.io import TURPAN_DIR, RegionPaths, load_region
from region.scenario_toml import load_scenario
from region.schema import CRITERIA


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
    assert parse_scales("5,0,1", "--corridor-weight", allow_zero=True) == [0.0, 1.0, 5.0]
    with pytest.raises(ValueError, match="zero or positive"):
        parse_scales("-1,1", "--corridor-weight", allow_zero=True)


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


def test_each_point_records_its_run_and_carries_the_data_note(budget_sweep) -> None:
    """A sweep point's folder is read like a run's: its manifest says which inputs, seed and
    criterion scales its objective rests on (they were missing: a reviewer could not tell
    why the sweep's ×0.8 scored 7.18 and `run --budget-scale 0.8` 7.34), and its plan.csv
    comes with the note that its benefits are modelled; sweep.csv opens in Excel."""
    table, out, _, scenario = budget_sweep
    assert (out / "sweep.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    scales = []
    for scale in table["scale"]:
        folder = out / f"budgetx{scale:g}"
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert len(manifest["inputs_sha256"]) == 64 and manifest["seed"] == scenario.seed
        assert manifest["heuristics"]["work_limits"] and manifest["timings_s"]["build"] > 0
        scales.append(manifest["criterion_scales"])
        assert "modelled" in (folder / "数据说明_README.txt").read_text(encoding="utf-8-sig")
    # one sweep, one scale: the points' objectives are comparable with each other
    assert all(s == scales[0] for s in scales) and any(v for v in scales[0].values())


def test_the_marginal_comes_with_the_range_the_gaps_allow() -> None:
    """Each optimum lies between its plan's objective and its bound, so the gain between two
    points lies in [objective − previous bound, bound − previous objective] (by hand)."""
    rows = point_rows("budget", [1000.0, 3000.0], [1.0, 2.0]).assign(bound=[1.1, 2.05])
    table = with_marginals(rows, "budget")
    assert table["marginal_benefit_per_wan"][1] == pytest.approx(1.0 / 2000)
    assert table["marginal_low_per_wan"][1] == pytest.approx(0.9 / 2000)
    assert table["marginal_high_per_wan"][1] == pytest.approx(1.05 / 2000)
    assert np.isnan(table["marginal_low_per_wan"][0])
    console = Console(width=200, record=True)
    console.print(limit_sweep_table(table.assign(status="feasible", gap=[0.1, 0.025]),
                                    "budget"))
    text = console.export_text()
    assert "per 亿元 (10,000 万元)" in text and "4.5 to 5.25" in text and "5" in text
    unbounded = with_marginals(rows.assign(bound=[np.nan, 2.05]), "budget")
    assert np.isnan(unbounded["marginal_low_per_wan"][1])  # no bound, no range


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
    # the marginal is per 万m³ of the swept allocation, not of what the plans had available
    assert table["water_allocated_total"].tolist() == pytest.approx([0.5 * allocation,
                                                                     allocation])
    assert table["marginal_benefit_per_wan_m3"][1] == pytest.approx(
        (table["objective"][1] - table["objective"][0]) / (0.5 * allocation))


def point_rows(parameter: str, totals: list[float], objectives: list[float]) -> pd.DataFrame:
    """Sweep rows as run_sweep makes them, with only what the marginals read."""
    column = "budget_total" if parameter == "budget" else "water_allocated_total"
    return pd.DataFrame({"scale": [0.5, 1.0][:len(totals)], column: totals,
                         "objective": objectives,
                         **{f"benefit_{c}": [0.0] * len(totals) for c in CRITERIA}})


def test_a_marginal_over_a_total_that_did_not_move_is_empty_not_inf() -> None:
    """A scenario allocating no water (the shipped baseline) scales only the saving credit:
    the allocations stay 0 while the objective moves. The marginal per 万m³ was inf, with
    numpy's divide-by-zero warning printed; it is empty, and shown as "—"."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        water = with_marginals(point_rows("water", [0.0, 0.0], [6.37, 7.34]), "water")
        budget = with_marginals(point_rows("budget", [0.0, 0.0], [0.0, 0.0]), "budget")
    assert water["marginal_benefit_per_wan_m3"].isna().all()
    assert budget["marginal_benefit_per_wan"].isna().all()
    moved = with_marginals(point_rows("budget", [1000.0, 3000.0], [1.0, 2.0]), "budget")
    assert moved["marginal_benefit_per_wan"][1] == pytest.approx(1.0 / 2000.0)
    console = Console(width=200, record=True)
    console.print(limit_sweep_table(water.assign(status="optimal", gap=0.0), "water"))
    text = console.export_text()
    assert "—" in text and "inf" not in text and "nan" not in text
    assert "allocated 万m³" in text
    console = Console(width=200, record=True)
    console.print(limit_sweep_table(water.assign(status="optimal", gap=[0.0, 0.004]), "water"))
    cells = [line.split("│")[3].strip() for line in console.export_text().splitlines()
             if line.startswith("│") and "×" in line]
    assert cells == ["optimal", "within gap"]


def test_the_water_marginal_says_it_mixes_allocation_and_saving_credit() -> None:
    """--water-scale scales the allocations and the saving credit together (the test above
    checks both), so a water sweep's marginal is the gain of both over the allocation's step:
    its help, the computation's docstring and the README say so, not 'per 万m³ allocated'."""
    from typer.main import get_command

    from solve import app

    sweep = get_command(app).commands["sweep"]
    [option] = [p for p in sweep.params if p.name == "water_scale"]
    readme = " ".join((TURPAN_DIR.parents[1] / "README.md").read_text("utf-8").split())
    for text in (option.help, with_marginals.__doc__, readme):
        text = " ".join(text.split())
        assert "allocation's step alone" in text, text[:300]


@pytest.fixture(scope="module")
def corridor_sweep(small_scenario_text, tmp_path_factory):
    """The shipped parcels around Toksun, whose oasis links to two transition-belt shrublands
    by two corridors with five degraded parcels between them; no capacity limits and two
    years, so that HiGHS proves each point in seconds; a corridor sweep at weights 100 and 0
    (solved in ascending order): (table, sweep folder, parcels of the box, scenario)."""
    folder = tmp_path_factory.mktemp("toksun")
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(88.6, 42.6, 89.0, 42.9))
    parcels.to_file(folder / "parcels.gpkg", driver="GPKG")
    actions = pd.read_csv(TURPAN_DIR / "actions.csv").assign(capacity_km2_per_yr=None)
    actions.to_csv(folder / "actions.csv", index=False)
    toksun = small_scenario_text.replace("end = 2030", "end = 2028").replace("gap = 0.03",
                                                                              "gap = 1e-3")
    (folder / "toksun.toml").write_text(toksun, encoding="utf-8")
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg",
                                     actions=folder / "actions.csv"))
    scenario = load_scenario(folder / "toksun.toml")
    out = folder / "sweep-corridor"
    table = run_sweep(region, scenario, "corridor", [100.0, 0.0], out)
    return table, out, region, scenario


def test_a_corridor_sweep_sets_the_weight_and_nothing_else(small_region) -> None:
    _, scenario = small_region
    point = scaled(scenario, "corridor", 2.5)
    assert point.corridors.bonus_weight == 2.5 and point.corridors.enabled
    assert point.budget == scenario.budget and point.water == scenario.water
    assert point.name == f"{scenario.name}-corridor-weight-2.5"


def test_a_large_corridor_bonus_completes_every_corridor_at_a_certified_cost(
        corridor_sweep) -> None:
    table, out, _, _ = corridor_sweep
    assert table["scale"].tolist() == [0.0, 100.0]  # solved ascending
    assert table["corridors_completed"][1] == 2  # both corridors of the box
    # the weight-100 plan is a plan of the weight-0 problem: it cannot earn more than that
    # problem's certified bound
    assert table["benefit_without_bonus"][1] <= table["bound"][0] + 1e-9
    assert table["benefit_without_bonus"][0] == pytest.approx(table["objective"][0])
    assert table["benefit_given_up"].tolist() == pytest.approx(
        [0.0, table["benefit_without_bonus"][0] - table["benefit_without_bonus"][1]])
    written = pd.read_csv(out / "sweep.csv")
    assert written["corridors_completed"].tolist() == table["corridors_completed"].tolist()
    assert (out / "curve.png").stat().st_size > 10_000 and (out / "curve.svg").exists()
    assert (out / "corridor-weight-0" / "plan.csv").exists()


def test_a_completed_corridor_has_every_degraded_parcel_restored(corridor_sweep) -> None:
    _, out, region, scenario = corridor_sweep
    point = out / "corridor-weight-100"
    completed = json.loads((point / "manifest.json").read_text(encoding="utf-8"))[
        "corridors_completed"]
    plan = pd.read_csv(point / "plan.csv")
    plan["restores_habitat"] = plan["action"].map(
        region.actions.set_index("code")["restores_habitat"])
    restored = set(plan.loc[restoring(plan), "parcel_id"])
    corridors = analyse_corridors(region.parcels, scenario.corridors.max_corridors).corridors
    degraded = {c.name: set(c.degraded_parcel_ids) for c in corridors}
    assert len(completed) == 2
    for name in completed:
        assert degraded[name] and degraded[name] <= restored


def test_a_corridor_sweep_analyses_corridors_when_the_scenario_has_them_off(
        small_region, monkeypatch) -> None:
    """The criteria and corridors are prepared once for all points: from the scenario as
    given, a scenario with [corridors] enabled = false gave no corridor analysis, and every
    weight solved without the bonus (0 corridors, the same plan)."""
    import analysis.sweep as sweep

    region, scenario = small_region
    off = scenario.model_copy(update={
        "corridors": scenario.corridors.model_copy(update={"enabled": False})})
    prepared_with = []

    def stop(_region, point, _options):
        prepared_with.append(point.corridors.enabled)
        raise RuntimeError("prepared")

    monkeypatch.setattr(sweep, "prepare", stop)
    with pytest.raises(RuntimeError, match="prepared"):
        run_sweep(region, off, "corridor", [0.0, 1.0])
    with pytest.raises(RuntimeError, match="prepared"):
        run_sweep(region, off, "budget", [1.0])
    assert prepared_with == [True, False]


@pytest.mark.parametrize("parameter", ["water", "budget"])
def test_a_water_curve_says_its_marginal_mixes_allocation_and_saving_credit(
        parameter, tmp_path) -> None:
    """The water chart says what sweep.csv's docs, --water-scale's help and the README say:
    the marginal is the gain of more allocation and more credit per step of allocation; the
    budget chart has no such note."""
    table = with_marginals(pd.DataFrame({
        "scale": [0.5, 1.0], "objective": [5.0, 6.0], "status": ["optimal"] * 2,
        "budget_total": [6000.0, 12000.0], "water_allocated_total": [400.0, 800.0],
        **{f"benefit_{c}": [1.0, 2.0] for c in CRITERIA}}), parameter)
    svg = plot_curve(table, parameter, tmp_path / "curve")[1].read_text(encoding="utf-8")
    said = ["scales the allocations and the saving credit together",
            "同时缩放新增生态用水配额与节水抵扣系数"]
    assert all((text in svg) == (parameter == "water") for text in said)
    assert ("Marginal benefit per 亿m³ allocated (+ credit)" in svg) == (parameter == "water")


@pytest.mark.parametrize("parameter", ["budget", "corridor"])
def test_a_sweep_chart_labels_its_benefit_axis_with_its_unit_from_zero(
        parameter, tmp_path, monkeypatch) -> None:
    """The benefit axis read 综合效益 Weighted benefit (objective), with no unit, and began
    at the lowest point, so a few per cent between points looked like a doubling."""
    import analysis.curves as curves

    axes = []
    monkeypatch.setattr(curves, "_finish", lambda _fig, ax, *_a, **_k: axes.append(ax) or [])
    table = pd.DataFrame({"scale": [0.5, 1.0], "objective": [5.0, 5.2],
                          "benefit_without_bonus": [5.0, 4.9], "corridors_completed": [0, 2],
                          "budget_total": [6000.0, 12000.0], "status": ["optimal"] * 2,
                          **{f"benefit_{c}": [1.0, 2.0] for c in CRITERIA}})
    if parameter == "budget":
        table = with_marginals(table, parameter)
    plot_curve(table, parameter, tmp_path / "curve")
    assert axes[0].get_ylabel() == \
        "综合效益（归一化效益·年）\nWeighted benefit (normalised benefit-years)"
    assert axes[0].get_ylim()[0] == 0
    curves.plt.close(axes[0].figure)
