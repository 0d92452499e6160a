"""The annual priority lists: sheets, bilingual headers, print settings, totals against the
plan, ranking, project-library columns, CSV encoding and GeoPackage layers, on the small
solved scenario (with the shipped funding table and a township per parcel)."""

import dataclasses
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from outputs.explain import normalisation_rule
from outputs.list_columns import LIST_COLUMNS, UNIT_COLUMNS
from outputs.priorities import write_priorities
from outputs.priority_lists import priority_lists, units_frame
from region.schema import CRITERIA

LIBRARY = ["乡镇", "建设内容及规模", "资金来源", "责任单位", "资金安排年度", "绩效目标"]


@pytest.fixture(scope="module")
def written(library_plan, small_run, township_region, tmp_path_factory):
    folder = tmp_path_factory.mktemp("priorities")
    paths = write_priorities(folder, library_plan, township_region, small_run.corridors)
    return paths, library_plan, township_region


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
                                       "project_units.csv", "priorities.gpkg",
                                       "projects_without_works.csv"]
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
        assert ws.freeze_panes in ("D3", "B3")
        assert ws.print_title_rows == "$2:$2"  # the header on every printed page
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
        assert row["措施数(项)"] == mine.sum()
        assert row["实施面积(万亩)"] == pytest.approx(chosen.loc[mine, "area_km2"].sum() * 0.15)
        assert row["投资(按开工年,万元)"] == pytest.approx(cost[mine].sum())
    for row in plan.years.itertuples():
        assert by_year.loc[row.year, "当年支出(万元)"] == pytest.approx(row.spend)
        assert by_year.loc[row.year, "当年用水(万m³)"] == pytest.approx(row.water_use)
    assert total["当年支出(万元)"] == pytest.approx(plan.years["spend"].sum())
    assert total["投资(按开工年,万元)"] == pytest.approx(cost.sum())
    assert total["实施面积(万亩)"] == pytest.approx(chosen["area_km2"].sum() * 0.15)  # 万亩
    assert "面积(亩)" not in summary.columns
    assert pd.isna(total["当年用水(万m³)"])  # years of use (the lake's delivery each) not added
    assert {part.split("（")[0] for b in by_year["约束"] for part in b.split("；")} <= {
        "资金 money", "水 water", "资金和水 both", "均无 neither", "实施能力 capacity",
        "资金总额"}  # the total budget binds, the year carries money on
    benefits = [c for c in summary.columns if "/年)" in c or "km²（" in c][1:]
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
        required = listed["入选理由"].str.contains("必须实施|情景目标").to_numpy()
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
        assert part["措施数(项)"].sum() == len(plan.chosen)
        assert ws.cell(row=end, column=2).value == len(plan.chosen)
        region = written[2]
        # zone 1 → 5 and county codes in order, not by name; each by both names
        if ws.cell(row=start, column=1).value.startswith("按分区"):
            names = region.zone_labels.set_index("zone")
            names = names["name_zh"] + " " + names["name_en"]
            assert part["分区"].tolist() == names.loc[sorted(plan.chosen["zone"].unique())] \
                .tolist()
        if ws.cell(row=start, column=1).value.startswith("按区县"):
            names = dict(zip(region.county_labels["county"].astype(str),
                             region.county_labels["name_zh"] + " "
                             + region.county_labels["name_en"], strict=True))
            codes = sorted(plan.chosen["county"].astype(str).unique())
            assert part["区县"].tolist() == [names[c] for c in codes]
        if ws.cell(row=start, column=1).value.startswith("按重点工程"):
            assert part["所属重点工程/项目"].str.fullmatch(r"\S+ \S+ .*[A-Za-z].*").all()


def test_csv_has_a_bom_and_round_trips_chinese(written) -> None:
    paths, plan, region = written
    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(paths[1], encoding="utf-8-sig")
    assert list(frame.columns[:7]) == ["年度 Year", "类型 Entry", "开工年 Start year",
                                      "状态 Status", "优先序 Rank", "项目单元 Project unit",
                                      "地块编号 Parcel ID"]
    lists = priority_lists(plan, region)
    starts = frame[frame["类型 Entry"] == "新开工 new start"]
    assert starts["区县(中文) County (zh)"].tolist() == lists["county_zh"].tolist()
    assert starts["措施 Action"].tolist() == lists["action_label"].tolist()
    units = pd.read_csv(paths[2], encoding="utf-8-sig")
    assert paths[2].read_bytes().startswith(b"\xef\xbb\xbf")
    assert units["地块数 Parcels"].sum() == len(plan.chosen)


def test_year_sheets_and_csvs_name_places_and_projects_by_both_names(written,
                                                                    workbook) -> None:
    """Reviewer: the year sheets, priorities.csv and project_units.csv named county,
    township, zone and plan project in Chinese only under bilingual headers. The sheets
    give "鄯善县 Shanshan County" in one cell; the CSVs a Chinese and an English column."""
    paths, plan, region = written
    lists = priority_lists(plan, region)
    counties = dict(zip(region.county_labels["county"].astype(str),
                        region.county_labels["name_en"], strict=True))
    zones = dict(zip(region.zone_labels["zone"].astype(int), region.zone_labels["name_en"],
                     strict=True))
    projects = plan.chosen.drop_duplicates("project_id").set_index("project_id")["project_en"]
    year = int(lists["start_year"].iloc[0])
    starts = lists[lists["start_year"] == year]
    sheet = year_list(workbook[f"{year}年"], len(starts))
    english = [counties[str(c)] for c in starts["county"]]
    assert sheet["区县"].tolist() == [f"{zh} {en}" for zh, en in
                                     zip(starts["county_zh"], english, strict=True)]
    assert all(" " in name and name.split(" ", 1)[1] for name in sheet["乡镇"])  # 迪坎乡 Dikan
    assert sheet["分区"].tolist() == [f"{zh} {zones[int(z)]}" for zh, z in
                                     zip(starts["zone_zh"], starts["zone"], strict=True)]
    assert sheet["所属重点工程/项目"].tolist() == [
        f"{label} {projects[pid]}".strip() if label else ""
        for label, pid in zip(starts["project_label"], starts["project_id"], strict=True)]
    frame = pd.read_csv(paths[1], encoding="utf-8-sig", keep_default_na=False)
    new = frame[frame["类型 Entry"] == "新开工 new start"]
    assert new["区县(英文) County (en)"].tolist() == [counties[str(c)] for c in lists["county"]]
    assert new["分区(英文) Zone (en)"].tolist() == [zones[int(z)] for z in lists["zone"]]
    assert new["乡镇(英文) Township (en)"].tolist() == lists["township_en"].tolist()
    assert new["所属重点工程/项目(英文) Plan project (en)"].tolist() == [
        f"{pid} {projects[pid]}" if pid else "" for pid in lists["project_id"]]
    assert "区县 County" not in frame.columns  # no column of both names in a CSV
    units = pd.read_csv(paths[2], encoding="utf-8-sig", keep_default_na=False)
    for name, en in (("区县", "Counties"), ("乡镇", "Townships"), ("分区", "Zones")):
        english = units[f"{name}(英文) {en} (en)"]
        assert english.str.len().gt(0).all() and not english.str.contains(
            "[\u4e00-\u9fff]").any()
    unit_sheet = workbook["项目单元 Project units"]
    unit_rows = table(unit_sheet, 2, 3, 2 + len(units))
    assert unit_rows["区县"].tolist() == [
        "、".join(f"{zh} {en}" for zh, en in zip(
            zhs.split("、"), ens.split(", "), strict=True))
        for zhs, ens in zip(units["区县(中文) Counties (zh)"], units["区县(英文) Counties (en)"],
                            strict=True)]


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
    assert (lists["类型 Entry"] == "新开工 new start").sum() == len(plan.chosen)
    assert (lists["所属重点工程/项目(中文) Plan project (zh)"] == "").all()
    assert (lists["所属重点工程/项目(英文) Plan project (en)"] == "").all()


def test_project_library_columns_are_filled_on_every_yearly_sheet(written, workbook) -> None:
    _, plan, _ = written
    for year, rows in plan.chosen.groupby("start_year"):
        listed = year_list(workbook[f"{year}年"], len(rows))
        for column in LIBRARY:
            assert listed[column].map(lambda v: isinstance(v, str) and v.strip() != "").all(), \
                (year, column)
        works = listed["建设内容及规模"]
        assert works.str.match(r"^\S.* [\d,.]+ (万亩|亩)$|.* 处，治理面积 ").all()
        assert listed["资金安排年度"].str.match(r"^\d{4}年$|^\d{4}-\d{4}年$").all()
        assert listed["资金来源"].str.contains("中央").all()
        assert listed["责任单位"].str.contains("局").all()


def test_works_and_areas_switch_to_wan_mu_from_ten_thousand_mu(written) -> None:
    paths, _, _ = written
    units = pd.read_csv(paths[2], encoding="utf-8-sig")
    big = units["面积(万亩) Area (10k mu)"] >= 1
    assert big.any() and (~big).any()
    assert units.loc[big, "建设内容及规模 Works and scale"].str.endswith("万亩").all()
    assert units.loc[~big, "建设内容及规模 Works and scale"].str.endswith(" 亩").all()


def test_no_reason_has_an_internal_id_and_every_reason_is_bilingual(written, workbook,
                                                                      small_run) -> None:
    _, plan, _ = written
    internal = [re.escape(s.name) for s in small_run.corridors.sources] + [
        r"[a-z]+_[a-z_]+", r"locked_in\[", r"parcel \d", "↔", r"oasis \d", r"target\["]
    pattern = re.compile("|".join(internal))
    for year, rows in plan.chosen.groupby("start_year"):
        reasons = year_list(workbook[f"{year}年"], len(rows))["入选理由"]
        for reason in reasons:
            assert not pattern.search(reason), reason
            zh, en = reason.split("。 ", 1)
            assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)
            assert re.search(r"[A-Za-z]{3}", en)


def test_score_parts_add_up_and_benefit_columns_carry_no_weight(written) -> None:
    _, plan, region = written
    lists = priority_lists(plan, region)
    parts = lists[[f"score_{c}" for c in CRITERIA]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(lists["score_pct"].to_numpy())
    assert plan.chosen[[f"value_{c}" for c in CRITERIA]].sum(axis=1).to_numpy() == \
        pytest.approx(plan.chosen["value"].to_numpy())
    for c in CRITERIA:  # physical: the model's benefit after survival, no weight in it
        assert lists[f"expected_{c}"].to_numpy() == pytest.approx(
            (lists[f"benefit_{c}"] * lists["survival"]).to_numpy())


def test_funding_columns_split_the_cost_by_the_scenario_shares(written) -> None:
    _, plan, region = written
    lists = priority_lists(plan, region)
    levels = ["fund_central", "fund_region", "fund_city_county", "fund_social"]
    assert lists[levels].sum(axis=1).to_numpy() == pytest.approx(
        lists["total_cost_wan"].to_numpy())
    enclosure = lists[lists["action"] == "enclosure"].iloc[0]
    shares = plan.scenario.funding["enclosure"]
    assert enclosure["fund_central"] == pytest.approx(
        shares.central * enclosure["total_cost_wan"])
    assert "林业草原改革发展资金" in enclosure["funding"] and "估算" in enclosure["funding"]
    due = [f"due_{level}" for level in levels]  # the year's funds due, split alike
    assert lists[due].sum(axis=1).to_numpy() == pytest.approx(lists["year_cost_wan"].to_numpy())


def test_summary_explains_the_score_and_reports_indicators_and_unit_sizes(written,
                                                                        workbook) -> None:
    _, plan, _ = written
    ws = workbook["汇总 Summary"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(cells)
    from outputs.explain import criterion_shares

    shares = criterion_shares(plan)
    assert shares["share_weighted"].sum() == pytest.approx(1.0)
    for row in shares.itertuples():
        said = f"{row.name_zh}占方案加权效益的 {row.share_weighted:.1%}" in text
        assert said == (row.share_weighted > 1 / 3), row.criterion
    assert "全域潜力" in text and "归一化" in text
    forest = next(r for r in range(1, ws.max_row + 1)
                  if str(ws.cell(row=r, column=1).value).startswith("森林覆盖率"))
    values = [ws.cell(row=forest, column=k).value for k in range(1, 7)]
    afforested = plan.chosen.query("action == 'afforestation'")
    gain = float((afforested["area_km2"] * afforested["survival"]).sum()) / 69713 * 100
    assert values[2] == pytest.approx(3.40) and values[4] == pytest.approx(gain)
    assert values[5] == pytest.approx(3.40 + gain)
    assert "未计入" in str(ws.cell(row=forest, column=7).value)  # 2021-2026 works left out
    assert "项目单元规模 Project-unit sizes" in text and "个项目单元" in text


def _notes(path) -> dict[str, str]:
    ws = load_workbook(path)["说明 Notes"]
    return {str(row[0]).split(" ")[0]: str(row[1]) for row in ws.iter_rows(values_only=True)
            if row[0] is not None}


@pytest.mark.parametrize("scale", ["budget", "potential"])
def test_the_score_columns_note_names_the_scale_the_run_divided_by(written, tmp_path,
                                                                   scale) -> None:
    """The 综合得分 column's note and the 得分 row say the same scale: the budget-achievable
    one the runs use, or the region's potential when a plan's scales are that."""
    _, plan, region = written
    scales = plan.scales.copy()
    if scale == "potential":
        scales["scale"] = scales["weighted_potential"]
    else:
        scales["scale"] = scales["weighted_potential"] * 0.5
    plan = dataclasses.replace(plan, scales=scales)
    folder = tmp_path / scale
    folder.mkdir()
    notes = _notes(write_priorities(folder, plan, region)[0])
    said = "全域潜力" if scale == "potential" else "归一化尺度"
    unsaid = "归一化尺度" if scale == "potential" else "全域潜力"
    for key in ("综合得分(占方案%)", "得分"):
        assert said in notes[key] and unsaid not in notes[key], key
    # a budget's scale follows the budget: a smaller budget's share can rise as its benefit
    # falls, and the rule says so (a reviewer compared 14.2 % with the baseline's 12.9 %)
    follows = "随本方案的预算而定" in normalisation_rule(plan)
    assert follows == (scale == "budget")


def test_the_notes_say_the_years_water_includes_the_lakes_delivery(written) -> None:
    """当年用水 counts Aydingkol's delivery with the works' new water (docs/water.md): the
    Notes sheet says so, so 4,260 / 4,260 is not read as new use."""
    note = _notes(written[0][0])["当年用水(万m³)"]
    assert "艾丁湖" in note and "Aydingkol" in note


def test_no_csv_of_a_run_shows_float_noise(small_run) -> None:
    """Every CSV the small run wrote (plan, priority lists, project units, projects without
    works): no number longer than the 12 significant digits we write (a binary-noise figure
    such as 0.17500000000000002, the area of five karez, has 17)."""
    csvs = sorted(small_run.out_dir.glob("*.csv"))
    assert {"plan.csv", "priorities.csv"} <= {p.name for p in csvs}
    for path in csvs:
        text = path.read_text(encoding="utf-8-sig")
        numbers = re.findall(r"(?<![\w.])-?(\d*)\.(\d+)(?:e[-+]\d+)?(?![\w.])", text)
        longest = max((len((a + b).lstrip("0")) for a, b in numbers), default=0)
        assert longest <= 12, path.name


def _block(ws, caption: str) -> tuple[int, int]:
    """The header row of the table under ``caption`` and the row of its total."""
    start = next(r for r in range(1, ws.max_row + 1)
                 if str(ws.cell(row=r, column=1).value).startswith(caption))
    end = next(r for r in range(start, ws.max_row + 1)
               if str(ws.cell(row=r, column=1).value).startswith(("合计 Total", "无 None")))
    return start + 1, end


@pytest.fixture(scope="module")
def written_with_water(water_run, tmp_path_factory):
    """The lists of the small box with zone-1 grassland (conftest.ZONE_1_GRASSLAND): a plan
    with works paid over several years (the box alone has none once water weighs 0)."""
    outcome, plan, region = water_run
    assert outcome.problem.weights["water"] > 0  # the grassland gives water a real range
    folder = tmp_path_factory.mktemp("priorities_water")
    return write_priorities(folder, plan, region, outcome.corridors), plan, region


def test_each_year_sheet_asks_for_the_years_spend_new_starts_and_continuing_works(
        written_with_water) -> None:
    """A year sheet listed only that year's new starts at their whole cost: 2028's
    instalments of works started in 2027 were on no 2028 sheet. Its 当年资金需求 column and
    its 续建项目 block now add up to the Summary's spend in that year (plan.csv's cost_<year>
    summed)."""
    written = written_with_water
    workbook = load_workbook(written[0][0])
    _, plan, _ = written
    chosen = plan.chosen
    years = plan.years["year"].tolist()
    continuing_years = 0
    for year in years:
        ws = workbook[f"{year}年"]
        starts = chosen[chosen["start_year"] == year]
        listed = year_list(ws, len(starts))
        due = starts.set_index("parcel_id")[f"cost_{year}"]
        assert listed.set_index("地块编号")["当年资金需求(万元)"].to_dict() == \
            pytest.approx(due.to_dict())
        column = 1 + [c.key for c in LIST_COLUMNS].index("year_cost_wan")
        new = ws.cell(row=3 + len(starts), column=column).value if len(starts) else 0.0
        assert new == pytest.approx(due.sum())
        header, end = _block(ws, "续建项目")
        earlier = chosen[(chosen["start_year"] < year) & (chosen[f"cost_{year}"] > 0)]
        if earlier.empty:
            assert ws.cell(row=end, column=1).value == "无 None"
            continuing = 0.0
        else:
            continuing_years += 1
            block = table(ws, header, header + 1, end - 1)
            assert sorted(block["地块编号"]) == sorted(earlier["parcel_id"])
            assert (block["开工年"] < year).all()
            by_parcel = block.set_index(["地块编号", "开工年"])
            for work in earlier.itertuples():
                row = by_parcel.loc[(work.parcel_id, work.start_year)]
                assert row["当年资金需求(万元)"] == pytest.approx(getattr(work, f"cost_{year}"))
                paid = sum(getattr(work, f"cost_{y}") for y in years if y < year)
                assert row["往年已安排(万元)"] == pytest.approx(paid)
                assert row["往年已安排(万元)"] + row["当年资金需求(万元)"] + row["以后年度(万元)"] \
                    == pytest.approx(row["总投资(万元)"])
            continuing = ws.cell(row=end, column=list(block.columns).index(
                "当年资金需求(万元)") + 1).value
        spend = float(plan.years.set_index("year").loc[year, "spend"])
        assert new + continuing == pytest.approx(spend)
        line = ws.cell(row=end + 2, column=1).value
        assert line.startswith(f"{year}年当年资金需求合计 {spend:,.1f} 万元 = 新开工项目 "
                               f"{new:,.1f} + 续建项目 {continuing:,.1f}")
    assert continuing_years > 0  # the small plan has works paid over several years
    assert "续建项目" in _notes(written[0][0])["投资"]


def test_the_summary_counts_each_parcel_once_and_says_what_is_owed_after_the_horizon(
        written, workbook) -> None:
    """Barriers then afforestation on one parcel counted its area twice and "地块数" counted
    works; the cost after the horizon (instalments) and the water drawn after it were not
    said. The Summary now says area treated and net area, and total cost = spend within
    the horizon + instalments after it."""
    _, plan, _ = written
    chosen = plan.chosen
    text = "\n".join(str(c.value) for row in workbook["汇总 Summary"].iter_rows() for c in row
                     if c.value is not None)
    net = chosen.groupby("parcel_id")["area_km2"].max().sum() * 0.15
    assert f"（{len(chosen)} 项措施）；净面积 {net:,.2f} 万亩（{chosen['parcel_id'].nunique()} " \
           "个地块，每个地块只计一次）" in text
    years = plan.years["year"].tolist()
    spend = float(plan.years["spend"].sum())
    after = float(chosen["cost_after_horizon"].sum())
    total = float(chosen[[f"cost_{y}" for y in years]].to_numpy().sum()) + after
    assert f"总投资 {total:,.1f} 万元 = 规划期内支出 {spend:,.1f} 万元" \
           f"（{years[0]}-{years[-1]}年）+ {years[-1] + 1}年起到期的分期付款 {after:,.1f} 万元" \
        in text


def test_area_lines_count_a_parcel_with_two_works_once_in_the_net_area() -> None:
    from outputs.list_totals import area_lines, net_area_km2

    works = pd.DataFrame({"parcel_id": [1, 1, 2], "area_km2": [5.0, 5.0, 3.0]})
    assert net_area_km2(works) == 8.0
    line = area_lines(works)[0]
    assert line.startswith("实施面积 1.95 万亩（3 项措施）；净面积 1.20 万亩"
                           "（2 个地块，每个地块只计一次）；其中 1 个地块先后实施两项措施")
    assert "net area 1.20 万亩 (2 parcels, each once); 1 parcel carries two works" in line
    assert "其中" not in area_lines(works.iloc[1:])[0]  # no parcel twice, nothing to say


def test_the_unit_size_table_adds_up_to_its_total_and_to_the_area_treated(written,
                                                                          workbook) -> None:
    """The unit-size table's rows (万亩, two decimals) add up to its total row, which is the
    Summary's area treated rounded the same way (the HTML's rows, to 4 significant digits,
    did not add up to the total)."""
    _, plan, _ = written
    ws = workbook["汇总 Summary"]
    header, end = _block(ws, "项目单元规模")
    sizes = table(ws, header, header + 1, end - 1)
    total = [c.value for c in ws[end]]
    area = sizes["实施面积(万亩)"].astype(float)
    assert all(round(a, 2) == a for a in area)
    assert total[3] == pytest.approx(area.sum(), abs=1e-9)
    assert total[3] == pytest.approx(round(plan.chosen["area_km2"].sum() * 0.15, 2), abs=1e-9)
    assert total[1] == sizes["单元数"].sum() and total[2] == len(plan.chosen)


def test_the_notes_say_the_solve_in_both_languages(written) -> None:
    _, plan, _ = written
    solve = _notes(written[0][0])["求解"]
    assert re.search(r"[\u4e00-\u9fff]", solve.split(plan.result.solver)[0])
    from outputs.labels import status_words

    assert f"：{status_words(plan.result.status, plan.result.gap)}；" in solve


def test_the_notes_explain_the_unfunded_tables_columns_as_every_other_tables(written) -> None:
    """Every sheet's column notes were in the Notes sheet except those of the table of plan
    projects without works (outputs/unfunded.py): each of its columns is explained there."""
    from outputs.unfunded import COLUMNS

    ws = load_workbook(written[0][0])["说明 Notes"]
    glossary = {str(a): str(b) for a, b in ws.iter_rows(min_col=1, max_col=2, values_only=True)
                if a is not None and b}
    for column in COLUMNS:
        header = column.header.replace("\n", " ")
        assert column.note and glossary.get(header) == column.note, header


def test_the_csv_asks_for_each_years_funds_as_the_year_sheets_do(written_with_water) -> None:
    """priorities.csv listed the new starts only while the year sheets carry 续建项目 and
    当年资金需求: per 年度 it now has the sheet's new starts and continuing works, and their
    当年资金需求 add up to the year's spend in plan.csv (cost_<year> summed)."""
    paths, plan, _ = written_with_water
    workbook = load_workbook(paths[0])
    frame = pd.read_csv(paths[1], encoding="utf-8-sig")
    chosen = plan.chosen
    continuing_rows = 0
    for year in plan.years["year"].astype(int):
        rows = frame[frame["年度 Year"] == year]
        due = rows["当年资金需求(万元) Funds due in the year (10k CNY)"]
        assert due.sum() == pytest.approx(chosen[f"cost_{year}"].sum())
        assert due.sum() == pytest.approx(plan.years.set_index("year").at[year, "spend"])
        new = rows[rows["类型 Entry"] == "新开工 new start"]
        old = rows[rows["类型 Entry"] == "续建 continuing"]
        assert (new["开工年 Start year"] == year).all() and (old["开工年 Start year"] < year).all()
        assert new["优先序 Rank"].tolist() == list(range(1, len(new) + 1))
        assert old["优先序 Rank"].isna().all() and old["入选理由 Reason"].isna().all()
        earlier = chosen[(chosen["start_year"] < year) & (chosen[f"cost_{year}"] > 0)]
        assert sorted(old["地块编号 Parcel ID"]) == sorted(earlier["parcel_id"])
        header, end = _block(workbook[f"{year}年"], "续建项目")
        sheet = workbook[f"{year}年"]
        if len(old):
            names = [str(c.value).split("\n")[0] for c in sheet[header]]
            total = sheet.cell(row=end, column=names.index("当年资金需求(万元)") + 1).value
            assert old["当年资金需求(万元) Funds due in the year (10k CNY)"].sum() == \
                pytest.approx(total)
        paid = rows["往年已安排(万元) Paid in earlier years (10k CNY)"] + due + \
            rows["以后年度(万元) Due in later years (10k CNY)"]
        assert paid.to_numpy() == pytest.approx(rows["总投资(万元) Total cost (10k CNY)"])
        continuing_rows += len(old)
    assert continuing_rows > 0


def test_the_csvs_have_a_data_note_beside_them_that_the_manifest_names(small_run,
                                                                        small_region) -> None:
    """The xlsx, HTML and maps say which figures are modelled; the CSVs, which cannot carry
    a banner, said nothing. 数据说明_README.txt beside them says it in both languages, in
    the words of outputs/data_note.py, with what each CSV holds; the manifest and the
    report's downloads name it."""
    import json

    from outputs.data_note import README_NAME, data_note

    folder = small_run.out_dir
    text = (folder / README_NAME).read_text(encoding="utf-8-sig")
    assert data_note(small_region[0]) in text
    # the small box is a parcels file of its own, not the shipped Turpan result
    assert text.startswith("数据说明 Data note — 生态修复优化结果 restoration plan result")
    for name in ("plan.csv", "priorities.csv", "project_units.csv",
                 "projects_without_works.csv"):
        assert (folder / name).exists() and text.count(f"- {name}") == 2, name
    assert "模型估算" in text and "modelled" in text and "water_after_horizon" in text
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_note_file"] == README_NAME
    assert f"<a href='{README_NAME}'>" in (folder / "report.html").read_text(encoding="utf-8")


def test_long_lists_print_on_a3_in_column_groups_at_a_readable_scale(workbook) -> None:
    """The year sheets' 37 columns fitted to one A4 width printed at ~3 pt: they print on A3
    landscape in three column groups (what and where; money, funding and targets; water,
    benefits, score and reason), each within the page at the sheet's scale with the
    identifying columns repeated, at ≥ 90 % (≥ 9.9 pt text)."""
    from outputs.workbook import A3_PRINTABLE_PT, column_pt

    for name, columns, titles, starts in (
            ("2027年", LIST_COLUMNS, "$A:$C", ["area_mu", "water_wan_m3_per_yr"]),
            ("项目单元 Project units", UNIT_COLUMNS, "$A:$A",
             ["area_wan_mu", "water_wan_m3_per_yr"])):
        ws = workbook[name]
        setup = ws.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 8  # A3
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # fitting ignores the breaks
        assert setup.pageOrder == "overThenDown" and ws.print_title_cols == titles
        keys = [c.key for c in columns]
        breaks = [b.id for b in ws.col_breaks.brk]
        assert breaks == [keys.index(k) for k in starts]
        scale = setup.scale / 100
        assert scale >= 0.9
        title_pt = sum(column_pt(ws.column_dimensions[letter].width)
                       for letter in "ABC"[:"ABC".index(titles[-1]) + 1])
        bounds = [0, *breaks, len(columns)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            width = sum(column_pt(c.width) for c in columns[a:b]) + (title_pt if a else 0)
            assert width * scale <= A3_PRINTABLE_PT, (name, a, b)
    summary = workbook["汇总 Summary"]  # short tables: A4 fitted to the width, as before
    assert int(summary.page_setup.paperSize) == 9 and summary.sheet_properties.pageSetUpPr.fitToPage


def test_the_units_say_their_total_is_the_area_treated_and_give_the_net_area(
        written, workbook) -> None:
    """Finding 14: the units' total (sheet and HTML) counted a parcel with two works twice
    without saying so. The units sheet's total row and the unit-size text give the area
    treated with the works and the net area with the parcels; the size table's area column
    says it is the area treated, and its 万亩 rows add up to it (test above)."""
    from outputs.list_totals import units_total_label

    paths, plan, _ = written
    chosen = plan.chosen
    gross, net = chosen["area_km2"].sum() * 0.15, \
        chosen.groupby("parcel_id")["area_km2"].max().sum() * 0.15
    ws = workbook["项目单元 Project units"]
    label = ws.cell(row=ws.max_row, column=1).value
    units = pd.read_csv(paths[2], encoding="utf-8-sig")
    assert label.startswith(f"合计 Total: {len(units)} 个单元 units；实施面积 Area treated "
                            f"{gross:,.2f} 万亩（{len(chosen)} 项措施 works）；净面积 Net area "
                            f"{net:,.2f} 万亩（{chosen['parcel_id'].nunique()} 个地块 parcels")
    twice = pd.DataFrame({"parcel_id": [1, 1, 2], "area_km2": [5.0, 5.0, 3.0]})
    said = units_total_label(twice.assign(unit_id=["a", "b", "c"]), twice)
    assert "实施面积 Area treated 1.95 万亩（3 项措施 works）；净面积 Net area 1.20 万亩" in said
    header, _ = _block(workbook["汇总 Summary"], "项目单元规模")
    headers = [c.value for c in workbook["汇总 Summary"][header]]
    assert "实施面积(万亩)\nArea treated (10k mu)" in headers
    text = "\n".join(str(c.value) for row in workbook["汇总 Summary"].iter_rows() for c in row
                     if c.value is not None)
    assert f"单元面积之和为实施面积：实施面积 {gross:,.2f} 万亩" in text


def test_the_csvs_print_figures_as_the_sheets_show_them(tmp_path) -> None:
    """Review of the baseline: priorities.csv showed 水源涵养 5.02397248e-10 and a score of
    0.0001531930769 where the sheet shows 0.00 and 0.000. A list's CSV rounds each figure to
    the decimals its column shows on the sheet, money to the yuan (4 decimals of 万元) and
    areas to 0.01 hm², so that a year's funds and the areas still add up to the totals."""
    from outputs.list_columns import BENEFIT_COLUMNS, COST, PER_MONEY, SCORE
    from outputs.priorities_csv import write_csv

    columns = [COST, *BENEFIT_COLUMNS, SCORE, PER_MONEY]
    frame = pd.DataFrame({COST.key: [1167.72549999], "expected_sand": [1190.558225],
                          "expected_water": [5.02397248e-10], "expected_bio": [0.001199408727],
                          "expected_mine": [0.3176212], "expected_carbon": [0.916215],
                          "score_pct": [0.0001531930769], "pct_per_1000_wan": [2.468360319]})
    path = tmp_path / "list.csv"
    write_csv(frame, columns, path)
    text = path.read_text(encoding="utf-8-sig")
    assert "e-" not in text
    row = text.splitlines()[1].split(",")
    assert row == ["1167.7255", "1191", "0", "0.001", "0.318", "0.9", "0", "2.47"]
    # areas to 0.01 hm², so that a column adds up to the Summary's total (0.01 万亩 did not)
    from outputs.list_columns import AREA_COLUMNS, WAN_MU_AREA

    areas = pd.DataFrame({"area_mu": [1380.75], "area_hm2": [92.05],
                          "area_wan_mu": [0.138075]})
    write_csv(areas, [*AREA_COLUMNS, WAN_MU_AREA], path)
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "1380.75,92.05,0.138075"


def test_no_wrapped_text_of_the_workbook_is_cut_off(workbook) -> None:
    """Review of the baseline: the Summary's indicator table (note and source, 40 characters
    wide as written) sat under the by-year table's 12-character columns, its rows sized for
    40: the notes and sources printed cut off. Every wrapped cell of every sheet fits the
    height of its row at the width its column has on the sheet."""
    from openpyxl.utils import get_column_letter

    from outputs.workbook import LINE_PT, text_lines

    for ws in workbook.worksheets:
        merged = {c for r in ws.merged_cells.ranges for row in ws[r.coord] for c in row}
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text \
                        or cell in merged:
                    continue
                width = ws.column_dimensions[get_column_letter(cell.column)].width
                lines = sum(text_lines(part, width) for part in cell.value.split("\n"))
                height = ws.row_dimensions[cell.row].height or LINE_PT
                assert LINE_PT * lines <= height + 4, (ws.title, cell.coordinate, cell.value)


def test_a_unit_names_the_umbrella_work_its_parcels_count_towards(written) -> None:
    """The lists said 'W1 …（亦计入W6 …）' for every parcel of a unit while the unit's row
    (项目单元 sheet, project_units.csv) said 'W1 …' alone: 83 of the baseline's 134 units.
    A unit takes the umbrella its parcels share; parcels that differ leave it unsaid."""
    _, plan, region = written
    lists = priority_lists(plan, region)
    units = units_frame(lists, plan, region).set_index("unit_id")
    by_unit = lists.groupby("unit_id")["work_label"].agg(set)
    assert by_unit.map(len).eq(1).all()  # no unit mixes umbrellas here
    assert units["work_label"].to_dict() == by_unit.map(lambda s: next(iter(s))).to_dict()
    counted = lists["umbrella_id"].ne("") & lists.duplicated("unit_id", keep=False)
    assert counted.any() and units["work_label"].str.contains("亦计入").any()
    first = lists.loc[counted, "unit_id"].iat[0]  # one of its parcels made to count for none
    mixed = lists.copy()
    mixed.loc[mixed.index[mixed["unit_id"] == first][0], "umbrella_id"] = ""
    again = units_frame(mixed, plan, region).set_index("unit_id")
    assert "亦计入" not in again.at[first, "work_label"]


LEVEL_HEADERS = ["当年其中中央(万元)", "当年其中自治区(万元)", "当年其中市县(万元)",
                 "当年其中社会资本(万元)"]


def test_each_year_sheet_is_the_years_application_by_level(written_with_water) -> None:
    """Review of the baseline (finding 2): a year sheet's 其中中央/自治区/市县/社会资本 split
    each new start's total cost, not its 当年资金需求 (2028: Q+R+S+T = 8,872.9 = total cost,
    5,650.2 asked for), and its 续建项目 block had no split, 资金来源 or 绩效目标 at all. Now
    every row, new or continuing, splits its funds due by level: the level columns add up to
    当年资金需求 row by row and in both blocks' totals, the two blocks together to the
    year's spend, and the Summary gives each year's application by level."""
    paths, plan, _ = written_with_water
    workbook = load_workbook(paths[0])
    spend = plan.years.set_index("year")["spend"]
    by_level = np.zeros(4)
    for year in plan.years["year"].astype(int):
        ws = workbook[f"{year}年"]
        starts = int((plan.chosen["start_year"] == year).sum())
        new = year_list(ws, starts)
        assert new[LEVEL_HEADERS].sum(axis=1).to_numpy() == pytest.approx(
            new["当年资金需求(万元)"].to_numpy())
        header, end = _block(ws, "续建项目")
        names = [str(c.value).split("\n")[0] for c in ws[header]]
        blocks = [(new, [ws.cell(row=3 + starts, column=1 + [c.key for c in LIST_COLUMNS]
                                 .index(k)).value if starts else 0.0
                         for k in ("year_cost_wan", *[f"due_fund_{x}" for x in
                                   ("central", "region", "city_county", "social")])])]
        if ws.cell(row=end, column=1).value != "无 None":
            old = table(ws, header, header + 1, end - 1)
            assert old[LEVEL_HEADERS].sum(axis=1).to_numpy() == pytest.approx(
                old["当年资金需求(万元)"].to_numpy())
            assert old["资金来源"].str.contains("%").all() and old["绩效目标"].str.len().gt(0).all()
            assert old["责任单位"].str.len().gt(0).all()
            blocks.append((old, [ws.cell(row=end, column=names.index(h) + 1).value
                                 for h in ("当年资金需求(万元)", *LEVEL_HEADERS)]))
        due = sum(totals[0] for _, totals in blocks)
        levels = np.sum([totals[1:] for _, totals in blocks], axis=0)
        assert due == pytest.approx(spend[year])
        assert levels.sum() == pytest.approx(spend[year])  # the total rows add up too
        by_level += levels
        line = ws.cell(row=end + 2, column=1).value
        assert f"其中中央 {levels[0]:,.1f}、自治区 {levels[1]:,.1f}" in line
    summary = workbook["汇总 Summary"]
    header, end = _block(summary, "分年度资金申请")
    table_ = table(summary, header, header + 1, end - 1)
    assert table_["年度"].tolist() == plan.years["year"].astype(int).tolist()
    assert table_.iloc[:, 1:5].sum().to_numpy() == pytest.approx(by_level)
    assert table_.iloc[:, 5].to_numpy() == pytest.approx(spend.to_numpy())
    frame = pd.read_csv(paths[1], encoding="utf-8-sig")
    levels = [c for c in frame.columns if c.startswith("当年其中")]
    assert len(levels) == 4 and frame[levels].notna().all().all()
    assert frame[levels].sum(axis=1).to_numpy() == pytest.approx(
        frame["当年资金需求(万元) Funds due in the year (10k CNY)"].to_numpy(), abs=1e-3)
    assert frame["资金来源 Funding"].notna().all() and frame["绩效目标 Performance targets"] \
        .notna().all()


def test_rounded_columns_add_up_to_their_rounded_totals(tmp_path) -> None:
    """Review of the baseline (finding 8): each year's funds due in priorities.csv missed its
    spend by up to 0.00005 万元 (each figure rounded on its own), and project_units.csv's
    water added up to −17.1 where its sheet and the Summary say −17.325 (water to one
    decimal). Summed columns are now rounded by largest remainder within each year (or the
    whole file): they add up exactly to their total rounded the same way; water to the m³."""
    from outputs.list_columns import WATER_USE, YEAR_COST
    from outputs.priorities_csv import CSV_LEAD, write_csv

    third = 1 / 3
    frame = pd.DataFrame({"funds_year": [2027] * 3 + [2028] * 2,
                          "year_cost_wan": [third, third, third, 0.00004, 0.00004],
                          "water_wan_m3_per_yr": [14.85, 14.85, -17.325 - 29.7, 0.0, 0.0]})
    path = tmp_path / "funds.csv"
    write_csv(frame, [CSV_LEAD[0], YEAR_COST, WATER_USE], path, by="funds_year")
    written = pd.read_csv(path, encoding="utf-8-sig")
    due = written.groupby("年度 Year")["当年资金需求(万元) Funds due in the year (10k CNY)"].sum()
    assert due[2027] == pytest.approx(1.0, abs=1e-12)  # 3 × 0.3333 = 0.9999 before
    assert due[2028] == pytest.approx(0.0001, abs=1e-12)  # 0.00008 to the yuan
    water = written["用水(万m³/年) Water (10k m³/yr)"]
    assert water.sum() == pytest.approx(-17.325, abs=1e-12)  # −17.1 at one decimal
    assert water.tolist()[:2] == [14.85, 14.85]


def test_the_csv_decimals_the_data_note_claims_are_the_csvs(written_with_water) -> None:
    """Review of the baseline (finding 8): 数据说明_README.txt said the CSVs carry "the
    decimals the sheets show (money to the yuan …)" while the sheets show one decimal and
    hold unrounded floats (700.6350000000001). The note now says what the CSVs hold, and
    they hold it: money and water to 4 decimals, mu and hm² to 2; a year's funds due add up
    to its spend to the yuan; the year sheets' cells hold the CSV's figures."""
    from outputs.data_note import CSV_GUIDE

    paths, plan, _ = written_with_water
    note = "\n".join(CSV_GUIDE)
    assert "金额精确到元（万元后4位），水量精确到1 m³（万m³后4位），亩与公顷精确到0.01" in note
    assert "money to the yuan (4 decimals of 万元), water to the m³" in note
    assert "the decimals the sheets show" not in note
    text = paths[1].read_text(encoding="utf-8-sig").splitlines()
    frame = pd.read_csv(paths[1], encoding="utf-8-sig", dtype=str)
    assert len(frame) == len(text) - 1

    def decimals(column: str) -> int:
        values = frame[column].dropna()
        return max((len(v.split(".")[1]) if "." in v else 0 for v in values), default=0)
    for column in frame.columns:
        if "(万元)" in column or "(万m³" in column:
            assert decimals(column) <= 4, column
        if column.startswith(("面积(亩)", "面积(公顷)")):
            assert decimals(column) <= 2, column
    numbers = pd.read_csv(paths[1], encoding="utf-8-sig")
    spend = plan.years.set_index("year")["spend"]
    due = numbers.groupby("年度 Year")["当年资金需求(万元) Funds due in the year (10k CNY)"].sum()
    for year, total in due.items():
        assert total == pytest.approx(round(float(spend[year]), 4), abs=1e-9)
    workbook = load_workbook(paths[0])
    for year in plan.years["year"].astype(int):
        starts = numbers[(numbers["年度 Year"] == year)
                         & (numbers["类型 Entry"] == "新开工 new start")]
        sheet = year_list(workbook[f"{year}年"], len(starts))
        assert sheet["当年资金需求(万元)"].tolist() == \
            starts["当年资金需求(万元) Funds due in the year (10k CNY)"].tolist()


def test_the_lists_use_the_plans_terms(written, workbook, small_run) -> None:
    """Review of the baseline (finding 9): 产能, an industrial word the plan does not use,
    stood beside 实施能力 for the same thing; units "km²·质量", "km²·风险"; 草原封育/退牧还草
    read as a new grazing withdrawal while the English said the ban was in force and the
    work carries no ban payment; 建设期限 held the payment years (one year, "2027年", for
    enclosure and forest care, which run for years)."""
    from pathlib import Path

    from outputs.data_note import README_NAME

    texts = ["\n".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows()
                       for c in row if c.value is not None),
             *[(small_run.out_dir / name).read_text(encoding="utf-8-sig") for name in
               ("report.html", "priorities.csv", "project_units.csv", README_NAME)]]
    for text in texts:
        assert "产能" not in text and "km²·" not in text and "退牧还草" not in text
        assert "建设期限" not in text
    sheet = texts[0]
    assert "实施能力" in sheet  # the 约束 column's note
    assert "生物多样性维护 km²（生境质量加权）" in sheet and "km²（风险加权）" in sheet
    notes = _notes(written[0][0])
    assert "不是工程的持续期" in notes["资金安排年度"]
    assert "Not the work's span" in notes["资金安排年度"]
    region = written[2]
    grass = region.actions.set_index("code").loc["grassland_recovery"]
    plan_text = Path("/work/shared/plan/turpan-ecological-restoration-plan-2021-2035.zh.txt")
    if plan_text.exists():  # the plan's own name for the work (l.98)
        assert grass["name_zh"] in plan_text.read_text(encoding="utf-8").splitlines()[97]
    assert "ban" not in grass["name_en"]
    from outputs.library import load_library

    works = load_library(region).loc["grassland_recovery"]
    assert "禁牧已在实施" in works["works_zh"] and "不含禁牧补助" in works["works_zh"]
    assert "grazing ban is already in force: no ban payment" in works["works_en"]
