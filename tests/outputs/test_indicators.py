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
    assert table.loc["forest_cover", "base_period"] == "2020"
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
    assert "2020年基数加本方案2027—2035年造林" in note and "2021—2026年已实施的工程未计入" in note
    assert "2027-2035 planting" in note and "works of 2021-2026 are not counted" in note
    later = plan_indicators(lists, small_region[0], (2021, 2035)).set_index("key")
    assert "未计入" not in later.loc["forest_cover", "note"]  # nothing left out
