"""Plan comparison on hand-made result folders with hand-counted answers."""

import pytest

from analysis.compare import compare, read_result
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
