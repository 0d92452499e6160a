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
