"""The run report renders in a real headless Chromium, offline, without errors, and every
Chinese character it shows renders from the font embedded in it."""

import base64
import dataclasses
import gc
import html
import io
import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from outputs.html_page import font_face, html_table, page_text
from outputs.labels import figure_text, status_words
from outputs.maps import write_maps
from outputs.report import write_report


@pytest.fixture(scope="module")
def report(small_run, library_plan, township_region, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    for name in ("manifest.json", "plan.csv", "priorities.xlsx"):
        shutil.copy(small_run.out_dir / name, folder / name)
    write_maps(folder, library_plan, township_region, small_run.corridors)
    return write_report(folder, library_plan, township_region, small_run.corridors)


def test_report_is_one_self_contained_file(report) -> None:
    text = report.read_text(encoding="utf-8")
    # no external script, stylesheet or image (plotly.js's own default URLs are inert)
    assert "<script src=" not in text and "<link" not in text and 'src="http' not in text
    assert "data:image/png;base64," in text
    for heading in ("关键指标 Key figures", "影子价格 Shadow prices", "数据来源 Data provenance",
                    "年度优先项目", "哪项限额起约束 Which limit binds", "效益构成",
                    "规划指标", "下载 Downloads"):
        assert heading in text
    # the modelled-data banner comes before everything but the title
    assert text.index("class='banner'") < text.index("关键指标 Key figures")
    # a positive money price with carry-over is not money binding: the note says where to read
    # that (a reviewer read the table's "0: does not bind" as "positive: binds")
    shadow = text[text.index("影子价格 Shadow prices"):text.index("数据来源 Data provenance")]
    assert "某年的正值可能来自以后年度的累计预算或资金总额" in shadow
    assert "'Which limit binds' above says which" in shadow


def test_every_chinese_character_is_in_the_embedded_font(report) -> None:
    text = report.read_text(encoding="utf-8")
    data = re.search(r"data:font/otf;base64,([A-Za-z0-9+/=]+)", text).group(1)
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    body = text[text.index("<body>"):]  # the page, its charts' data included
    shown = {ch for ch in page_text(body) if re.match(r"[\u4e00-\u9fff\u3000-\u303f]", ch)}
    assert {"预", "算", "限", "额", "涵"} <= shown  # chart titles, legends, hover text
    assert sorted(ch for ch in shown if ord(ch) not in cmap) == []


def test_no_chinese_glyph_falls_back_in_chromium(report, glyph_fallbacks) -> None:
    seen = glyph_fallbacks(report, min_plots=4)
    assert len(seen["chars"]) > 200 and "预" in seen["chars"]
    assert seen["fallback"] == ""


def test_downloads_link_the_files_beside_the_report(report) -> None:
    text = report.read_text(encoding="utf-8")
    links = re.findall(r"<a href='([^']+)'>", text[text.index("<body>"):])
    assert {"priorities.xlsx", "plan.csv", "manifest.json"} <= set(links)
    assert all((report.parent / link).exists() for link in links)


def test_the_interactive_map_is_drawn_at_true_scale(report) -> None:
    text = report.read_text(encoding="utf-8")
    figures = re.findall(r'draw\("plot-[0-9a-f]+", (\{.*?\})\);</script>', text)
    import json

    layouts = [json.loads(f)["layout"] for f in figures]
    maps = [lay for lay in layouts if "scaleanchor" in lay.get("xaxis", {})]
    assert len(maps) == 1
    assert maps[0]["xaxis"]["scaleanchor"] == "y" and maps[0]["xaxis"]["scaleratio"] == 1
    assert "km" in maps[0]["xaxis"]["title"]["text"]  # projected metres, not degrees


def test_report_loads_offline_in_chromium_with_charts_and_maps_drawn(report,
                                                                      render_offline) -> None:
    seen = render_offline(report, min_plots=4)
    assert seen["errors"] == [] and seen["requests"] == []
    assert seen["chinese"], "Chinese labels render as boxes: the embedded CJK font is missing"
    assert seen["plots"] == seen["drawn"] == 4  # money, water, benefits, interactive map
    assert seen["images"] == 2  # the two static maps
    pixels = seen["pixels"]
    assert len(np.unique(pixels)) > 50 and pixels.std() > 10


@pytest.mark.usefixtures("render_offline")  # skips without chromium
def test_legends_fit_their_labels_once_the_chinese_font_has_loaded(report) -> None:
    """Charts drawn before the embedded font loads size their legends for the fallback font
    and clip the Chinese labels; the page waits for the font."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .legend').length"
                               " >= 4", timeout=30_000)
        overflow = page.evaluate("""() => Array.from(document.querySelectorAll('.legend'))
            .flatMap(legend => {
                const box = legend.querySelector('.bg').getBoundingClientRect();
                return Array.from(legend.querySelectorAll('.legendtext'))
                    .filter(t => t.getBoundingClientRect().right > box.right + 1)
                    .map(t => t.textContent);
            })""")
        browser.close()
    assert overflow == []


def test_tables_escape_text_align_it_left_and_round_numbers() -> None:
    frame = pd.DataFrame({"name": ["<b>沙障</b>", "封育"], "cost": [1234.5678, np.nan],
                          "year": [2027, 2028]})
    table = html_table(frame)
    assert "&lt;b&gt;沙障&lt;/b&gt;" in table and "<b>" not in table
    assert "<td class='text'>封育</td>" in table
    assert "<td>1,235</td>" in table and "<td></td>" in table and "<td>2027</td>" in table


def test_a_missing_year_shows_a_dash_not_na() -> None:
    """A re-plan's changes table: a dropped work has no new year, an added one no previous
    year (pandas' Int64 NA); the report printed "<NA>" there."""
    frame = pd.DataFrame({"parcel": [9171, 13839], "was": [2027, None], "now": [None, 2028]})
    frame = frame.astype({"was": "Int64", "now": "Int64"})
    table = html_table(frame)
    assert "NA" not in table
    assert "<td>9171</td><td>2027</td><td>—</td>" in table
    assert "<td>13839</td><td>—</td><td>2028</td>" in table


def test_an_empty_plan_still_gets_a_report(small_run, small_region, tmp_path) -> None:
    empty = dataclasses.replace(small_run.plan, chosen=small_run.plan.chosen.iloc[:0])
    shutil.copy(small_run.out_dir / "manifest.json", tmp_path / "manifest.json")
    text = write_report(tmp_path, empty, small_region[0], None).read_text(encoding="utf-8")
    assert ("<td class='text'>入选措施 Works chosen</td>"
            "<td class='text'>0 项 works，0 个地块 parcels</td>") in text


def test_county_water_accounts_are_shown_when_the_plan_has_them(small_run, small_region,
                                                                 tmp_path) -> None:
    shutil.copy(small_run.out_dir / "manifest.json", tmp_path / "manifest.json")
    accounts = pd.DataFrame({"year": [2027], "account": ["650421"], "water_use": [12.5],
                             "water_available": [40.0], "saving_credited": [3.0],
                             "groundwater_relief": [1.5]})
    plan = dataclasses.replace(small_run.plan, water_accounts=accounts)
    text = write_report(tmp_path, plan, small_region[0], None).read_text(encoding="utf-8")
    assert "分县水账 Water accounts per county" in text
    assert "<td class='text'>鄯善县 Shanshan County</td><td>12.5</td><td>40</td>" in text


def test_large_figures_are_written_in_full_not_in_scientific_notation() -> None:
    """The report showed project-unit areas as '2.715e+05' 亩 and sand control as
    '1.261e+08 t/年': not how a funding application writes a figure."""
    frame = pd.DataFrame({"area_mu": [271_475.25, 5_804.0, 0.04372],
                          "sand": [126_099_791.6, 12_346.0, -31_415.9]})
    table = html_table(frame)
    for shown in ("271,500", "5,804", "0.04372", "126,100,000", "12,350", "-31,420"):
        assert f"<td>{shown}</td>" in table, shown
    assert "e+" not in table
    assert figure_text(float("nan")) == "nan" and figure_text(9_999.4) == "9,999"


def test_every_header_and_note_is_bilingual(report) -> None:
    """Table headers and note paragraphs with English words carry Chinese too: the report
    goes to Chinese funding bodies (headers such as "Value" and the intros of the top
    priorities and shadow prices were English only)."""
    text = report.read_text(encoding="utf-8")
    body = text[text.index("<body>"):]
    pieces = re.findall(r"<th>(.*?)</th>", body) + re.findall(
        r"<p class='note'>(.*?)</p>", body, flags=re.S)
    units = re.compile("万元|万m³|万亩")  # units in an English sentence do not make it Chinese
    english_only = [p for p in pieces if re.search(r"[A-Za-z]{3}", p)
                    and not re.search(r"[\u4e00-\u9fff]", units.sub("", p))]
    assert not english_only


def _rows(text: str, caption: str) -> list[list[str]]:
    """The cells of the first table after ``caption``."""
    after = text[text.index(caption):]
    body = after[after.index("<tbody>"):after.index("</tbody>")]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if row]


def test_the_unit_size_table_is_in_wan_mu_and_adds_up_to_its_total(report, library_plan) -> None:
    """Its rows, in 亩 to 4 significant digits, added up to 3,208,191 against a total of
    3,207,947: now 万亩 to two decimals as in the workbook, and a total row."""
    rows = _rows(report.read_text(encoding="utf-8"), "<h2>项目单元 Project units</h2>")
    *parts, total = rows
    assert total[0] == "合计 Total"
    area = [float(r[3].replace(",", "")) for r in parts]
    assert all(re.fullmatch(r"[\d,]+\.\d\d", r[3]) for r in rows)
    assert float(total[3].replace(",", "")) == pytest.approx(sum(area), abs=1e-9)
    assert float(total[3].replace(",", "")) == pytest.approx(
        round(library_plan.chosen["area_km2"].sum() * 0.15, 2), abs=1e-9)
    assert int(total[2]) == len(library_plan.chosen)
    text = report.read_text(encoding="utf-8")
    section = text[text.index("<h2>项目单元 Project units</h2>"):]
    assert "实施面积(万亩) Area treated (10k mu)" in section  # the total is the area treated,
    assert "单元面积之和为实施面积" in section.split("<table")[0]  # and the net area is said


def test_key_figures_say_works_parcels_net_area_and_total_cost_in_both_languages(
        report, library_plan) -> None:
    text = report.read_text(encoding="utf-8")
    key = {r[0]: r[1] for r in _rows(text, "<h2>关键指标 Key figures</h2>")}
    chosen = library_plan.chosen
    assert key["入选措施 Works chosen"] == \
        f"{len(chosen):,} 项 works，{chosen['parcel_id'].nunique():,} 个地块 parcels"
    net = chosen.groupby("parcel_id")["area_km2"].max().sum()
    assert key["净面积 Net area (each parcel once)"].endswith(f"= {net:,.1f} km²")
    spend = library_plan.years["spend"].sum()
    after = chosen["cost_after_horizon"].sum()
    assert key["总投资 Total cost"].startswith(
        f"{spend + after:,.0f} 万元 = {spend:,.0f} 规划期内 within ")
    status = key["求解状态 Status"]
    r = library_plan.result
    assert status.startswith(f"{status_words(r.status, r.gap)} ({r.solver} ")
    assert "差距 gap" in status
    if r.gap is not None and r.gap > 1e-6:  # optimal only when proven
        assert "最优解" not in status and "optimal within" not in status
    end = int(library_plan.years["year"].max())
    # (the small plan pays every work whole by its last year: none of it after, now that the
    # last year's money holds what is due later; tests/outputs/test_year_funds.py has some)
    assert f"+ {end + 1}年起到期的分期付款 {after:,.1f} 万元" in text


def test_the_shipped_scenarios_describe_themselves_in_both_languages() -> None:
    """The report's 情景 row showed the scenario's English description only."""
    from region.io import REPO_ROOT
    from region.scenario_toml import load_scenario

    for path in sorted((REPO_ROOT / "data" / "scenarios").glob("*.toml")):
        description = load_scenario(path).description
        assert re.match(r"^[^A-Za-z]*[\u4e00-\u9fff]", description), path.name
        assert re.search(r" [A-Za-z][a-z]+ ", description), path.name


def test_the_report_font_file_is_closed_after_subsetting() -> None:
    """fontTools' loader keeps the font file open until the font is closed: left open, its
    ResourceWarning surfaced in a later command's output (a --json summary that no longer
    parsed)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "@font-face" in font_face("吐鲁番 Turpan")
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_the_binding_table_says_its_first_column_is_money_and_water(report) -> None:
    """Review of the baseline: the column '紧约束 Binding' said '均无 neither' for 2027 beside
    '实施能力紧约束 Capacity binds' naming four actions: it only ever judged money and water."""
    text = report.read_text(encoding="utf-8")
    assert "<th>资金与水紧约束 Money or water binds</th>" in text
    assert "<th>紧约束 Binding</th>" not in text


def test_the_key_figures_say_corridors_and_connectivity_in_both_languages(report) -> None:
    """Review of the baseline: '20 analysed, 0 completed by the plan' and '0.001842 now →
    0.002853 after the plan' were the only English-only values of the key figures."""
    text = report.read_text(encoding="utf-8")
    assert re.search(r"分析 \d+ 条，本方案修复完成 \d+ 条 \d+ analysed, \d+ completed by the plan",
                     text)
    assert re.search(r"现状 [\d.]+ → 本方案实施后 [\d.]+ now [\d.]+ → [\d.]+ after the plan",
                     text)


def test_the_indicators_read_as_in_the_summary_sheet(report, small_run) -> None:
    """The report's indicator table and the Summary's print each figure alike (3.40 %, 10
    处: the report said 3.4, the sheet 10.00), and the report's header says the plan's
    figure is modelled in Chinese too (it said 本方案 beside 'This plan (modelled)')."""
    import openpyxl

    text = report.read_text(encoding="utf-8")
    table = text[text.index("<h2>规划指标"):]
    table = table[:table.index("</table>")]
    assert "<th>本方案(模型) This plan (modelled)</th>" in table
    forest = table[table.index("森林覆盖率"):]
    assert forest[:forest.index("</tr>")].count("<td>3.40</td>") == 1
    mines = table[table.index("历史遗留矿山治理"):]
    assert "<td>10</td>" in mines[:mines.index("</tr>")]
    sheet = openpyxl.load_workbook(small_run.out_dir / "priorities.xlsx")["汇总 Summary"]
    formats = {str(row[0].value).split(" ")[0]: row[2].number_format
               for row in sheet.iter_rows() if row[0].value and row[2].value is not None}
    assert formats["森林覆盖率"] == "#,##0.00" and formats["历史遗留矿山治理"] == "#,##0"


def test_the_summarys_net_new_water_is_not_called_what_the_report_calls_the_works_water(
        small_run) -> None:
    """The Summary's column nets the credited savings off the works' need, by start year;
    the report's is every work's use in the year: both read 新增用水 (2035 of the baseline:
    -17.3 in the Summary's total beside 1,125 in the report). The Summary's says 净 and its
    note says how the two differ."""
    import openpyxl

    from outputs.list_columns import SUMMARY_COLUMNS

    book = openpyxl.load_workbook(small_run.out_dir / "priorities.xlsx")
    headers = {cell.value for row in book["汇总 Summary"].iter_rows() for cell in row
               if isinstance(cell.value, str) and "新增用水(" in cell.value}  # headers
    assert headers == {"净新增用水(万m³/年)\nNet new water (10k m³/yr)"}
    notes = {row[0].value: row[1].value for row in book["说明 Notes"].iter_rows()}
    note = notes["净新增用水(万m³/年) Net new water (10k m³/yr)"]
    assert "不是该年的用水" in note and "savings not deducted" in note
    others = [c.zh for c in SUMMARY_COLUMNS if c.key != "water_wan_m3_per_yr"]
    assert not any("新增用水" in header for header in others)


def test_the_top_priorities_name_counties_townships_and_projects_in_both_languages(
        report, library_plan, township_region) -> None:
    """The table's works and reasons were bilingual, its county, township and project
    Chinese only (鄯善县 beside 'historical mine remediation')."""
    from outputs.priority_lists import priority_lists

    text = report.read_text(encoding="utf-8")
    table = text[text.index("<h2>年度优先项目(前10)"):]
    table = table[:table.index("</table>")]
    first = priority_lists(library_plan, township_region).sort_values(
        ["start_year", "rank"]).iloc[0]
    for zh, en in (("county_zh", "county_en"), ("township_zh", "township_en")):
        assert f"<td class='text'>{first[zh]} {first[en]}</td>" in table
    assert first["project_label"]  # the library plan files its works under projects
    assert f"{first['project_label']} {first['project_en']}" in table


def test_the_score_table_is_the_summarys(report, small_run) -> None:
    """The report printed the criteria's table under its own headers (其面积, 占尺度,
    成熟期物理效益 without 模型) and weights to 4 digits beside the Summary's 3 and the
    sentence's 2 (0.2545, 0.255, 0.25); now one set of headers and 3 decimals everywhere,
    the physical benefit and potential marked modelled in both languages."""
    import openpyxl

    from outputs.list_columns import SHARE_COLUMNS

    text = report.read_text(encoding="utf-8")
    table = text[text.index("<h2>效益构成"):]
    table = table[:table.index("</table>")]
    for column in SHARE_COLUMNS:
        assert f"<th>{html.escape(f'{column.zh} {column.en}')}</th>" in table
    assert "(×成活率,模型)" in table and "(modelled)" in table
    sheet = openpyxl.load_workbook(small_run.out_dir / "priorities.xlsx")["汇总 Summary"]
    weights = [row[1].value for row in sheet.iter_rows()
               if isinstance(row[1].value, float) and row[1].number_format == "0.000"]
    assert weights and all(f"<td>{w:.3f}</td>" in table for w in weights)
    banner = text[text.index("<h2>效益构成"):text.index("<h2>规划指标")]
    assert re.search(r"（权重 \d\.\d{3}）", banner)  # the sentence's weight, as the table's
