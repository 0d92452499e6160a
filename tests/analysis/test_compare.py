"""Plan comparison on hand-made result folders with hand-counted answers."""

import numpy as np
import pytest

from analysis.compare import compare, read_result, read_results
from region.errors import InputError


def test_changes_are_counted_per_parcel_and_year(two_plans) -> None:
    summary, yearly, changes = compare([read_result(p) for p in two_plans])
    kinds = dict(zip(changes["parcel_id"], changes["change"], strict=True))
    assert kinds == {2: "moved", 3: "dropped", 4: "added", 5: "added"}
    b = yearly[yearly["plan"] == "B"].set_index("year")
    assert b.loc[2027, ["added", "dropped", "moved"]].tolist() == [1, 0, 0]
    assert b.loc[2028, ["added", "dropped", "moved"]].tolist() == [1, 1, 1]
    assert b.loc[2028, "delta_spend"] == pytest.approx(40.0)
    assert summary.set_index("plan").loc["B", "delta_objective"] == pytest.approx(0.5)
    assert summary.set_index("plan").loc["B", "delta_area_km2"] == pytest.approx(2.0)


def test_a_folder_without_a_plan_or_with_a_foreign_csv_is_named(tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="plan.csv"):
        read_result(empty)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "plan.csv").write_text("id,x\n1,2\n", encoding="utf-8")
    (foreign / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="parcel_id"):
        read_result(foreign)


def test_where_plans_differ_sums_area_and_water_per_county_and_action(tmp_path) -> None:
    import pandas as pd

    from analysis.compare import where_plans_differ

    def plan(name, rows):
        folder = tmp_path / name
        folder.mkdir()
        pd.DataFrame(rows, columns=["parcel_id", "action", "start_year", "area_km2", "county",
                                    "water_2027", "water_2028", "saving_2027"]).to_csv(
            folder / "plan.csv", index=False)
        (folder / "manifest.json").write_text('{"objective": 1.0}', encoding="utf-8")
        return read_result(folder)

    a = plan("A", [(1, "wet", 2027, 2.0, "650402", 10.0, 10.0, 0.0),
                   (2, "drip", 2027, 5.0, "650402", -4.0, -4.0, 8.0),
                   (3, "wet", 2027, 1.0, "650421", 5.0, 5.0, 0.0)])
    # B: the 650402 wetland halves, the 650421 one is unchanged, drip grows by 1 km².
    b = plan("B", [(1, "wet", 2028, 1.0, "650402", 0.0, 5.0, 0.0),
                   (2, "drip", 2027, 6.0, "650402", -5.0, -5.0, 10.0),
                   (3, "wet", 2027, 1.0, "650421", 5.0, 5.0, 0.0)])
    where = where_plans_differ([a, b]).set_index(["plan", "county", "action"])
    assert ("B", "650421", "wet") not in where.index  # nothing changed there
    assert where.loc[("B", "650402", "wet"), "delta_area_km2"] == pytest.approx(-1.0)
    assert where.loc[("B", "650402", "wet"), "delta_water_wan_m3"] == pytest.approx(-15.0)
    assert where.loc[("B", "650402", "drip"), "water_wan_m3"] == pytest.approx(-10.0)
    assert where.loc[("B", "650402", "drip"), "delta_saving_wan_m3"] == pytest.approx(2.0)
    assert where.loc[("A", "650402", "drip"), "delta_area_km2"] == 0.0  # the reference's row


def test_objectives_on_different_scales_are_not_subtracted(two_plans) -> None:
    """A run with 30 % less money showed a larger objective than the baseline (+0.05):
    each run normalises the criteria to its own budget. Other weights or a minimum-cost
    objective are no more comparable; the physical benefits still are."""
    import json

    def edit(folder, **fields):
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(manifest | fields), encoding="utf-8")

    a, b = two_plans
    edit(a, weights={"sand": 0.5, "water": 0.5}, criterion_scales={"sand": 10.0, "mine": None})
    edit(b, weights={"sand": 0.5, "water": 0.5}, criterion_scales={"sand": 10.0, "mine": None})
    summary = compare([read_result(a), read_result(b)])[0].set_index("plan")
    assert summary.loc["B", "delta_objective"] == pytest.approx(0.5)
    assert summary.loc["B", "objective_mismatch"] == ""
    edit(b, weights={"sand": 0.4, "water": 0.6}, criterion_scales={"sand": 7.0, "mine": None},
         objective_kind="min_cost: the objective is minus the money spent")
    summary = compare([read_result(a), read_result(b)])[0].set_index("plan")
    assert np.isnan(summary.loc["B", "delta_objective"])
    assert summary.loc["B", "objective_mismatch"] == (
        "another objective (min_cost, not benefit); other weights; benefits normalised to "
        "another horizon budget")
    assert summary.loc["B", "delta_benefit_sand"] == pytest.approx(0.5)  # still compared
    assert summary.loc["A", "objective_mismatch"] == "" and summary.loc["A", "delta_objective"] == 0


def test_a_run_records_the_scales_its_objective_is_on(small_run, small_region) -> None:
    """manifest.json's criterion_scales are the ranges the criteria were divided by:
    what the scenario's horizon budget buys on each criterion alone; none for a criterion
    without range or below its smallest meaningful swing (this box: water, litres; mine)."""
    import json

    from criteria.normalise import achievable_range, negligible_criteria
    from criteria.weights import resolve_weights
    from pipeline.run import region_options
    from region.scenario import horizon_budget_wan

    region, scenario = small_region
    scales = json.loads((small_run.out_dir / "manifest.json").read_text())["criterion_scales"]
    options = region_options(region, scenario, resolve_weights(scenario.weights))
    expected = achievable_range(options, horizon_budget_wan(scenario))
    negligible = negligible_criteria(options, horizon_budget_wan(scenario))
    assert set(scales) == set(expected) and {"water", "mine"} <= set(negligible)
    for criterion, value in expected.items():
        assert (scales[criterion] is None) == (criterion in negligible), criterion
        if criterion not in negligible:
            assert scales[criterion] == pytest.approx(value, rel=1e-9), criterion


def test_two_folders_of_one_name_are_told_apart_and_one_given_twice_is_refused(
        two_plans, tmp_path) -> None:
    """Two colleagues' results/baseline made compare crash (pandas: "Reindexing only valid
    with uniquely valued Index objects"); each plan is now named by as much of its path as
    tells it apart, and the same folder given twice is named, not compared."""
    import shutil

    reference, _ = two_plans
    copy = tmp_path / "colleague" / reference.name
    shutil.copytree(reference, copy)
    results = read_results([reference, copy])
    names = [r.name for r in results]
    assert len(set(names)) == 2 and names[1] == f"colleague/{reference.name}"
    summary = compare(results)[0]
    assert summary["plan"].tolist() == names
    with pytest.raises(InputError, match="the same result folder"):
        read_results([reference, reference.parent / ".." / reference.parent.name /
                      reference.name])
