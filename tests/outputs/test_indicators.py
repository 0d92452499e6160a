"""The plan's indicators on a hand-made list: forest cover, counts, areas, water, karez."""

import pandas as pd
import pytest

from outputs.indicators import plan_indicators


def test_indicators_add_up_the_options_that_move_them(small_region) -> None:
    lists = pd.DataFrame({
        "action": ["afforestation", "afforestation", "mine_remediation", "enclosure",
                   "water_saving_irrigation", "karez_protection"],
        "area_km2": [10.0, 5.0, 0.7, 20.0, 5.0, 5.0],
        "survival": [0.9, 0.9, 0.85, 1.0, 1.0, 1.0],
        "water_wan_m3_per_yr": [540.0, 270.0, 0.0, 0.0, -152.25, 25.0],
        "karez_count": [0, 0, 0, 0, 0, 3]})
    table = plan_indicators(lists, small_region[0]).set_index("key")
    gain = (10.0 + 5.0) * 0.9 / 69713 * 100  # surviving plantings over the city's area
    assert table.loc["forest_cover", "plan"] == pytest.approx(gain)
    assert table.loc["forest_cover", "after"] == pytest.approx(3.40 + gain)
    assert table.loc["forest_cover", "base_period"].startswith("2020年现状（基准年")
    assert table.loc["mines_remediated", "plan"] == 1 and table.loc["mines_remediated",
                                                                    "base"] == 10
    assert table.loc["afforestation_area", "plan"] == pytest.approx(15.0 * 1500 / 10_000)
    assert table.loc["enclosure_area", "plan"] == pytest.approx(3.0)
    assert table.loc["water_saved", "plan"] == pytest.approx(152.25)
    assert table.loc["karez_protected", "plan"] == 3
    assert table["source"].str.contains("规划第").all()  # every figure cites the plan


def test_forest_cover_plus_this_plan_says_the_years_it_leaves_out(small_region) -> None:
    """The 2020 cover plus 2027-2035 planting is not the cover after the plan: the row says
    that 2021-2026 works are not counted, in both languages."""
    lists = pd.DataFrame({"action": ["afforestation"], "area_km2": [10.0], "survival": [0.9],
                          "water_wan_m3_per_yr": [540.0], "karez_count": [0]})
    table = plan_indicators(lists, small_region[0], (2027, 2035)).set_index("key")
    note = table.loc["forest_cover", "note"]
    assert "2020年基数加本方案2027-2035年造林" in note and "2021-2026年已实施的工程未计入" in note
    assert "2027-2035 planting" in note and "works of 2021-2026 are not counted" in note
    later = plan_indicators(lists, small_region[0], (2021, 2035)).set_index("key")
    assert "未计入" not in later.loc["forest_cover", "note"]  # nothing left out


def test_sand_land_treatment_names_its_actions_and_the_barriers_still_standing(
        small_region) -> None:
    """The sand-land row counts straw checkerboards only: it says so, cites the plan's
    line 73 (enclosure with sand-fixing planting), and gives the barriers standing in the
    last year (5-year life: those laid 2031-2035 stand in 2035) beside those laid."""
    lists = pd.DataFrame({"action": ["sand_barrier"] * 3, "area_km2": [10.0, 20.0, 40.0],
                          "start_year": [2027, 2031, 2035], "survival": [1.0] * 3,
                          "water_wan_m3_per_yr": [0.0] * 3, "karez_count": [0] * 3})
    row = plan_indicators(lists, small_region[0], (2027, 2035)).set_index("key").loc[
        "sand_land_area"]
    assert row["plan"] == pytest.approx(70.0 * 1500 / 10_000)  # the area laid: 10.50 万亩
    assert "本方案计入：固沙沙障 sand-fixing barriers" in row["note"]
    assert "使用年限 5 年" in row["note"] and "铺设 10.50 万亩" in row["note"]
    assert "2035年仍在使用 9.00 万亩" in row["note"]  # 20 + 40 km² = 9 万亩
    assert "5-year life" in row["note"] and "9.00 万亩 of those laid still stand in 2035" \
        in row["note"]
    assert "第73行" in row["source"] and "封禁保护和防沙治沙人工造林相结合" in row["source"]


def test_the_indicator_headers_name_no_year() -> None:
    """The table serves any horizon: a year in a header (it said 本方案(2027起,模型)) would
    be wrong for every other one; the years are in the notes."""
    import re

    from outputs.list_columns import INDICATOR_COLUMNS

    for column in INDICATOR_COLUMNS:
        assert not re.search(r"\d{4}", column.header), column.header


def test_figures_print_as_the_plan_prints_them_in_the_sheet_and_the_report(
        small_region) -> None:
    """One rule for both outputs: 3.40 % and 19.50 万亩 as the plan writes them (lines
    11-12; the report said 3.4 and 19.5, the sheet 3.40), sites and karez whole (the sheet
    said 10.00 处), water saved to 0.1 万m³ as its note; a blank stays blank."""
    from outputs.indicators import excel_format, figures_as_text

    lists = pd.DataFrame({"action": ["afforestation", "mine_remediation",
                                     "water_saving_irrigation"],
                          "area_km2": [10.0, 0.7, 15.0], "survival": [0.9, 0.85, 1.0],
                          "water_wan_m3_per_yr": [540.0, 0.0, -456.75],
                          "karez_count": [0, 0, 0]})
    table = plan_indicators(lists, small_region[0], (2027, 2035))
    text = figures_as_text(table).set_index("key")
    assert text.loc["forest_cover", "base"] == "3.40"
    assert text.loc["forest_cover", "plan"] == "+0.01 个百分点 pp"  # points, not per cent
    assert text.loc["mines_remediated", ["base", "plan", "after"]].tolist() == ["10", "1", ""]
    assert text.loc["afforestation_area", ["base", "plan"]].tolist() == ["19.50", "1.50"]
    assert text.loc["water_saved", "plan"] == "456.8"
    assert text.loc["karez_protected", "plan"] == "0"
    assert [excel_format(u) for u in ("%", "万亩", "处", "条", "万m³/年")] == [
        "#,##0.00", "#,##0.00", "#,##0", "#,##0", "#,##0.0"]


def test_the_indicator_table_says_what_its_figures_are(small_region) -> None:
    """Review of the baseline (finding 10): l.12's 19.50 万亩 is 重点防护林建设人工造林, not all
    人工造林; the "规划数值" column held past achievements (2016-2020) beside a base-year
    status and a target, unlabelled; forest cover showed "0.03" under "%", where this plan
    adds 0.03 percentage points (surviving area ÷ 69,713 km², l.5)."""
    from outputs.indicators import excel_format, figures_as_text
    from outputs.list_columns import INDICATOR_COLUMNS

    lists = pd.DataFrame({"action": ["afforestation"], "area_km2": [20.8], "survival": [0.9],
                          "water_wan_m3_per_yr": [540.0], "karez_count": [0]})
    table = plan_indicators(lists, small_region[0], (2027, 2035)).set_index("key")
    assert table.loc["afforestation_area", "name"].startswith("重点防护林建设人工造林")
    assert "完成重点防护林建设人工造林19.50万亩" in table.loc["afforestation_area", "source"]
    base = next(c for c in INDICATOR_COLUMNS if c.key == "base")
    assert "现状/已完成/目标" in base.zh and "past achievement or target" in base.en
    assert "完成" in table.loc["afforestation_area", "base_period"]  # a past achievement
    assert "任务" in table.loc["mines_remediated", "base_period"]  # a target
    points = 20.8 * 0.9 / 69713 * 100
    assert table.loc["forest_cover", "plan"] == pytest.approx(points)
    note = table.loc["forest_cover", "note"]
    assert f"= {points:+.2f} 个百分点" in note and f"= {points:+.2f} pp" in note
    text = figures_as_text(table.reset_index()).set_index("key")
    assert text.loc["forest_cover", "plan"] == "+0.03 个百分点 pp"
    assert text.loc["forest_cover", "base"] == "3.40"
    assert excel_format("%", "plan").startswith('+#,##0.00" 个百分点 pp"')
    assert excel_format("%", "base") == "#,##0.00"
