"""The annual priority lists: sheets, bilingual headers, print settings, totals, ranks,
CSV encoding, GeoPackage layers and project units."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from shapely.geometry import box

from outputs.priorities import LIST_COLUMNS, priority_lists, write_priorities
from outputs.project_units import unit_ids


@pytest.fixture(scope="module")
def written(small_run, small_region, tmp_path_factory):
    folder = tmp_path_factory.mktemp("priorities")
    write_priorities(folder, small_run.plan, small_region[0])
    return folder, small_run.plan, small_region[0]


def test_workbook_has_notes_summary_one_sheet_per_year_and_units(written) -> None:
    folder, plan, _ = written
    wb = load_workbook(folder / "priorities.xlsx")
    years = sorted(plan.chosen["start_year"].unique())
    assert wb.sheetnames == ["说明 Notes", "汇总 Summary", *[f"{y}年" for y in years],
                             "项目单元 Project units"]
    ws = wb[f"{years[0]}年"]
    headers = [ws.cell(row=2, column=k).value for k in range(1, len(LIST_COLUMNS) + 1)]
    assert headers[0] == "优先序\nRank" and "措施\nAction" in headers
    assert all("\n" in h and h.split("\n")[0] != h.split("\n")[1] for h in headers)
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$2:$2" and ws.sheet_properties.pageSetUpPr.fitToPage
    cost = headers.index("总投资(万元)\nTotal cost (10k CNY)") + 1
    assert ws.cell(row=3, column=cost).number_format == "#,##0.0"
    assert ws.column_dimensions["A"].width > 0


def test_each_year_lists_its_options_ranked_and_totals_match_the_plan(written) -> None:
    folder, plan, _ = written
    wb = load_workbook(folder / "priorities.xlsx")
    chosen = plan.chosen
    cost_columns = [c for c in chosen.columns if c.startswith("cost_2")]
    for year, rows in chosen.groupby("start_year"):
        ws = wb[f"{year}年"]
        ranks = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
        assert ranks == list(range(1, len(rows) + 1))
        ids = {ws.cell(row=r, column=2).value for r in range(3, ws.max_row + 1)}
        assert ids == set(rows["parcel_id"])
    summary = wb["汇总 Summary"]
    header = [summary.cell(row=4, column=k).value for k in range(1, summary.max_column + 1)]
    col = {h.split("\n")[0]: k + 1 for k, h in enumerate(header) if h}
    by_year = {summary.cell(row=r, column=1).value: r for r in range(5, 5 + plan.years.shape[0])}
    for year, rows in chosen.groupby("start_year"):
        r = by_year[year]
        assert summary.cell(row=r, column=col["地块数"]).value == len(rows)
        total = rows[cost_columns].sum(axis=1).sum() + rows["cost_after_horizon"].sum()
        assert summary.cell(row=r, column=col["投资(按开工年,万元)"]).value == pytest.approx(total)
        assert summary.cell(row=r, column=col["面积(亩)"]).value == pytest.approx(
            rows["area_km2"].sum() * 1500)
    for row in plan.years.itertuples():
        r = by_year[row.year]
        assert summary.cell(row=r, column=col["当年支出(万元)"]).value == pytest.approx(row.spend)
        assert summary.cell(row=r, column=col["当年用水(万m³)"]).value == pytest.approx(
            row.water_use)


def test_ranking_puts_required_options_first_then_benefit_per_cost(written) -> None:
    _, plan, region = written
    lists = priority_lists(plan, region)
    for _, rows in lists.groupby("start_year"):
        required = rows["reason"].str.contains("mandatory|target").to_numpy()
        assert not np.any(np.diff(required.astype(int)) > 0)  # required ones come first
        ratio = rows.loc[~required, "benefit_per_wan"].to_numpy()
        assert np.all(np.diff(ratio) <= 1e-15)


def test_csv_has_a_bom_and_round_trips_chinese(written) -> None:
    folder, plan, _ = written
    raw = (folder / "priorities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(folder / "priorities.csv", encoding="utf-8-sig")
    assert len(frame) == len(plan.chosen)
    assert frame.columns[1] == "优先序 Rank"
    assert frame["区县 County"].str.contains("县|区").all()
    assert (folder / "project_units.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_geopackage_has_one_layer_per_year_and_the_units(written) -> None:
    import pyogrio

    folder, plan, _ = written
    layers = {name for name, _ in pyogrio.list_layers(folder / "priorities.gpkg")}
    years = sorted(plan.chosen["start_year"].unique())
    assert layers == {f"priorities_{y}" for y in years} | {"project_units"}
    for year in years:
        layer = gpd.read_file(folder / "priorities.gpkg", layer=f"priorities_{year}")
        assert len(layer) == (plan.chosen["start_year"] == year).sum()
        assert layer.geometry.notna().all()
    units = gpd.read_file(folder / "priorities.gpkg", layer="project_units")
    assert units["parcels"].sum() == len(plan.chosen)
    assert units["area_km2"].sum() == pytest.approx(plan.chosen["area_km2"].sum())


def _grid(n: int) -> gpd.GeoDataFrame:
    """n 1 km squares in a row (metres, then WGS84), parcel ids 1..n."""
    frame = gpd.GeoDataFrame({"parcel_id": range(1, n + 1)},
                             geometry=[box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(n)],
                             crs="EPSG:32645")
    return frame.to_crs("EPSG:4326")


def test_project_units_are_adjacent_parcels_with_the_same_action_and_year() -> None:
    parcels = _grid(7)
    # 1-2 adjacent, same action and year → one unit; 4 isolated (3, 5 not chosen) → its
    # own; 6 and 7 adjacent but different years → two units.
    chosen = pd.DataFrame({"parcel_id": [1, 2, 4, 6, 7],
                           "action": ["a", "a", "a", "a", "a"],
                           "start_year": [2027, 2027, 2027, 2027, 2028]})
    ids = unit_ids(chosen, parcels)
    assert ids[0] == ids[1]
    assert len({ids[0], ids[2], ids[3]}) == 3
    assert ids[4].startswith("2028-a-")
    chosen["action"] = ["a", "b", "a", "a", "a"]  # a different action splits a unit
    assert len(set(unit_ids(chosen, parcels))) == 5
