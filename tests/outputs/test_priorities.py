"""The annual priority lists: sheets, bilingual headers, print settings, totals against the
plan, ranking, CSV encoding and GeoPackage layers, on the small solved scenario."""

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from outputs.priorities import LIST_COLUMNS, UNIT_COLUMNS, priority_lists, write_priorities
from region.schema import CRITERIA


@pytest.fixture(scope="module")
def written(small_run, small_region, tmp_path_factory):
    folder = tmp_path_factory.mktemp("priorities")
    paths = write_priorities(folder, small_run.plan, small_region[0])
    return paths, small_run.plan, small_region[0]


@pytest.fixture(scope="module")
def workbook(written):
    return load_workbook(written[0][0])


def table(ws, header_row: int, first: int, last: int) -> pd.DataFrame:
    """Rows first..last of a sheet, columns named by the Chinese half of the header."""
    names = [str(c.value).split("\n")[0] for c in ws[header_row]]
    rows = [[c.value for c in ws[r]] for r in range(first, last + 1)]
    return pd.DataFrame(rows, columns=names)


def year_list(ws, n: int) -> pd.DataFrame:
    return table(ws, 2, 3, 2 + n)


def test_files_and_sheets(written, workbook) -> None:
    paths, plan, _ = written
    assert [p.name for p in paths] == ["priorities.xlsx", "priorities.csv",
                                       "project_units.csv", "priorities.gpkg"]
    assert all(p.stat().st_size > 0 for p in paths)
    years = plan.years["year"].tolist()
    assert workbook.sheetnames == ["说明 Notes", "汇总 Summary", *[f"{y}年" for y in years],
                                   "项目单元 Project units"]


def test_list_sheets_have_bilingual_headers_and_are_print_ready(workbook) -> None:
    for name, columns in (("2027年", LIST_COLUMNS), ("项目单元 Project units", UNIT_COLUMNS)):
        ws = workbook[name]
        headers = [ws.cell(row=2, column=k).value for k in range(1, len(columns) + 1)]
        assert headers == [f"{c.zh}\n{c.en}" for c in columns]
        zh, en = zip(*(h.split("\n") for h in headers), strict=True)
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in z) for z in zh)  # Chinese first
        assert all(any(ch.isascii() and ch.isalpha() for ch in e) for e in en)
        assert ws.freeze_panes in ("C3", "B3")
        assert ws.print_title_rows == "$2:$2"  # the header on every printed page
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert "&P" in ws.oddFooter.center.text
        for k, column in enumerate(columns, start=1):
            letter = ws.cell(row=2, column=k).column_letter
            assert ws.column_dimensions[letter].width == column.width
            assert ws.cell(row=3, column=k).number_format == column.number_format
    ws = workbook["2027年"]
    formats = {c.key: ws.cell(row=3, column=k).number_format
               for k, c in enumerate(LIST_COLUMNS, start=1)}
    assert formats["total_cost_wan"] == "#,##0.0" and formats["area_mu"] == "#,##0"
    assert workbook["汇总 Summary"].page_setup.orientation == "landscape"


def test_summary_by_year_equals_the_plan(written, workbook) -> None:
    _, plan, _ = written
    chosen = plan.chosen
    years = plan.years["year"].tolist()
    summary = table(workbook["汇总 Summary"], 5, 6, 6 + len(years))
    by_year, total = summary.iloc[:-1].set_index("年度"), summary.iloc[-1]
    assert list(by_year.index) == years and total["年度"] == "合计 Total"
    cost = chosen[[f"cost_{y}" for y in years]].sum(axis=1) + chosen["cost_after_horizon"]
    for year in years:
        mine = chosen["start_year"] == year
        row = by_year.loc[year]
        assert row["地块数"] == mine.sum()
        assert row["面积(亩)"] == pytest.approx(chosen.loc[mine, "area_km2"].sum() * 1500)
        assert row["投资(按开工年,万元)"] == pytest.approx(cost[mine].sum())
    for row in plan.years.itertuples():
        assert by_year.loc[row.year, "当年支出(万元)"] == pytest.approx(row.spend)
        assert by_year.loc[row.year, "当年用水(万m³)"] == pytest.approx(row.water_use)
    assert total["当年支出(万元)"] == pytest.approx(plan.years["spend"].sum())
    assert total["投资(按开工年,万元)"] == pytest.approx(cost.sum())
    benefits = [c for c in summary.columns if "/年)" in c or "km²·" in c][1:]
    assert len(benefits) == len(CRITERIA)
    assert total[benefits].astype(float).tolist() == pytest.approx(
        list(plan.criterion_totals.values()))  # the manifest's totals, after survival


def test_each_year_sheet_lists_that_years_options_ranked_with_a_total(written,
                                                                       workbook) -> None:
    _, plan, _ = written
    for year, rows in plan.chosen.groupby("start_year"):
        ws = workbook[f"{year}年"]
        listed = year_list(ws, len(rows))
        assert listed["优先序"].tolist() == list(range(1, len(rows) + 1))
        assert sorted(listed["地块编号"]) == sorted(rows["parcel_id"])
        required = listed["入选理由"].str.contains("mandatory|target").to_numpy()
        assert not np.any(np.diff(required.astype(int)) > 0)  # commitments first
        ratio = listed.loc[~required, "单位投资效益(%/千万元)"].to_numpy(float)
        assert np.all(np.diff(ratio) <= 1e-12)  # then benefit per 万元, highest first
        total = [c.value for c in ws[3 + len(rows)]]
        assert total[0].startswith("合计 Total")
        assert total[[c.key for c in LIST_COLUMNS].index("area_hm2")] == pytest.approx(
            rows["area_km2"].sum() * 100)


def test_list_values_follow_the_plan(written) -> None:
    _, plan, region = written
    lists = priority_lists(plan, region)
    assert len(lists) == len(plan.chosen)
    water = lists[[f"water_{y}" for y in plan.years["year"]]].to_numpy()
    for yearly, shown in zip(water, lists["water_wan_m3_per_yr"], strict=True):
        assert set(yearly[yearly != 0]) <= {shown}  # the yearly rate, sign kept
    for c in CRITERIA:
        assert lists[f"expected_{c}"].to_numpy() == pytest.approx(
            (lists[f"benefit_{c}"] * lists["survival"]).to_numpy())
    assert lists["score_pct"].sum() == pytest.approx(
        100 * lists["value"].sum() / plan.result.objective)
    assert lists["zone_zh"].str.contains("区").all()


def test_summary_by_county_zone_and_project_add_up(written, workbook) -> None:
    _, plan, _ = written
    ws = workbook["汇总 Summary"]
    captions = [r for r in range(1, ws.max_row + 1)
                if str(ws.cell(row=r, column=1).value).startswith("按")]
    assert len(captions) == 4
    for start in captions[1:]:
        end = next(r for r in range(start, ws.max_row + 1)
                   if ws.cell(row=r, column=1).value == "合计 Total")
        part = table(ws, start + 1, start + 2, end - 1)
        assert part["地块数"].sum() == len(plan.chosen)
        assert ws.cell(row=end, column=2).value == len(plan.chosen)


def test_csv_has_a_bom_and_round_trips_chinese(written) -> None:
    paths, plan, region = written
    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(paths[1], encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["开工年 Start year", "优先序 Rank", "地块编号 Parcel ID"]
    lists = priority_lists(plan, region)
    assert frame["区县 County"].tolist() == lists["county_zh"].tolist()
    assert frame["措施 Action"].tolist() == lists["action_label"].tolist()
    units = pd.read_csv(paths[2], encoding="utf-8-sig")
    assert paths[2].read_bytes().startswith(b"\xef\xbb\xbf")
    assert units["地块数 Parcels"].sum() == len(plan.chosen)


def test_geopackage_has_a_layer_per_year_and_the_units(written) -> None:
    paths, plan, _ = written
    layers = {name for name, _ in pyogrio.list_layers(paths[3])}
    years = plan.years["year"].tolist()
    assert layers == {f"priorities_{y}" for y in years} | {"project_units"}
    for year in years:
        layer = gpd.read_file(paths[3], layer=f"priorities_{year}")
        assert len(layer) == (plan.chosen["start_year"] == year).sum()
        assert layer.geometry.notna().all() and all(c.isascii() for c in layer.columns)
        assert layer["rank"].tolist() == list(range(1, len(layer) + 1))
    units = gpd.read_file(paths[3], layer="project_units")
    assert units["parcels"].sum() == len(plan.chosen)
    assert units["area_km2"].sum() == pytest.approx(plan.chosen["area_km2"].sum())
    assert units.geometry.is_valid.all()


def test_an_empty_plan_writes_empty_lists(small_run, small_region, tmp_path) -> None:
    plan = small_run.plan
    empty = dataclasses.replace(plan, chosen=plan.chosen.iloc[:0])
    paths = write_priorities(tmp_path, empty, small_region[0])
    wb = load_workbook(paths[0])
    assert wb["2027年"].cell(row=3, column=1).value == "无 None"
    assert pd.read_csv(paths[1], encoding="utf-8-sig").empty


def test_a_region_without_plan_projects(small_run, small_region, tmp_path) -> None:
    plan = small_run.plan
    bare = dataclasses.replace(plan, chosen=plan.chosen.drop(
        columns=["project_id", "project_zh", "project_en"]))
    paths = write_priorities(tmp_path, bare, small_region[0])
    lists = pd.read_csv(paths[1], encoding="utf-8-sig", keep_default_na=False)
    assert len(lists) == len(plan.chosen)
    assert (lists["所属重点工程/项目 Plan project"] == "").all()
