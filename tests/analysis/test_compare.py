"""Plan comparison on hand-made result folders with hand-counted answers."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.compare import compare, read_result
from region.errors import InputError
from solve import app


def write_result(folder, rows, spend, objective):
    folder.mkdir(parents=True)
    pd.DataFrame(rows, columns=["parcel_id", "action", "start_year", "area_km2"]).to_csv(
        folder / "plan.csv", index=False)
    manifest = {"status": "optimal", "objective": objective, "gap": 0.0,
                "criterion_totals": {"sand": objective},
                "years": {str(y): {"spend": s, "water_use": s / 10} for y, s in spend.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def two_plans(tmp_path):
    a = write_result(tmp_path / "A", [(1, "x", 2027, 5.0), (2, "x", 2027, 5.0),
                                      (3, "y", 2028, 5.0)], {2027: 100.0, 2028: 50.0}, 1.0)
    # B: parcel 1 same; 2 moved to 2028; 3 dropped; 4 added in 2027; 5 added in 2028
    b = write_result(tmp_path / "B", [(1, "x", 2027, 5.0), (2, "x", 2028, 5.0),
                                      (4, "x", 2027, 5.0), (5, "y", 2028, 2.0)],
                     {2027: 80.0, 2028: 90.0}, 1.5)
    return a, b


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


def test_cli_compare_writes_files_and_rejects_a_folder_without_a_plan(two_plans,
                                                                      tmp_path) -> None:
    runner = CliRunner()
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", *map(str, two_plans), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"compare.csv", "compare_years.csv",
                                               "changes.csv"}
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["compare", str(two_plans[0]), str(empty)])
    assert result.exit_code == 2
    assert "plan.csv" in result.output and "Traceback" not in result.output
    with pytest.raises(InputError):
        read_result(empty)
