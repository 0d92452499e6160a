"""A capacity's source is printed only for the figure it gives (outputs/capacity_source.py):
a capacity a planner edits in their own actions.csv is called theirs (用户设定), the sourced
figure beside it; a catalogue without the sourced figure loads and states no source."""

import math
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from outputs.capacity_source import NO_SOURCE, judge_capacity_source
from region.errors import InputError
from region.io import TURPAN_DIR, load_actions
from solve import app

ENCLOSURE = ("推算：规划第12行封育面积21.50万亩按5年计", "derived: plan line 12's 21.50万亩")
ESTIMATE = ("估算：无出处", "estimate: no source found")


def test_the_source_is_printed_for_the_figure_it_gives() -> None:
    judged = judge_capacity_source(28.7, 28.7, ENCLOSURE)
    assert judged.words == ENCLOSURE and judged.grade == ("推算", "derived")
    # the same figure written otherwise in the CSV ("28.70") is the same figure
    assert judge_capacity_source(28.70, float("28.7"), ESTIMATE).grade == ("估算", "estimate")


def test_another_figure_is_the_users_with_the_sourced_one_beside_it() -> None:
    judged = judge_capacity_source(40.0, 28.7, ENCLOSURE)
    assert judged.grade == ("用户设定，来源数值28.7 km²/年",
                            "user's figure; the source's figure is 28.7 km²/yr")
    assert judged.words == (f"用户设定，来源数值28.7 km²/年（{ENCLOSURE[0]}）",
                            f"user's figure; the source's figure is 28.7 km²/yr ({ENCLOSURE[1]})")
    # the source follows the sourced figure only, never the user's (what the outputs print
    # after the capacity starts with the grade, not the source)
    assert not judged.words[0].startswith(ENCLOSURE[0])
    assert not judged.words[1].startswith(ENCLOSURE[1])
    # a figure a hair off is the user's too: no tolerance beyond the float's own
    assert judge_capacity_source(28.8, 28.7, ENCLOSURE).grade[0].startswith("用户设定")


@pytest.mark.parametrize(("capacity", "sourced", "source", "expected"), [
    (28.7, math.nan, ENCLOSURE, NO_SOURCE),  # no figure given: the text supports none
    (28.7, 28.7, ("", ""), NO_SOURCE),  # a figure without a text
    (28.7, 28.7, (ENCLOSURE[0], " "), NO_SOURCE),  # one language missing
])
def test_a_source_without_its_figure_or_text_is_not_stated(capacity, sourced, source,
                                                           expected) -> None:
    judged = judge_capacity_source(capacity, sourced, source)
    assert judged.grade == judged.words == expected == ("来源未注明", "source not stated")


def test_a_sourced_figure_without_a_text_still_marks_the_users_figure() -> None:
    judged = judge_capacity_source(40.0, 28.7, ("", ""))
    assert judged.words == ("用户设定，来源数值28.7 km²/年（来源未注明）",
                            "user's figure; the source's figure is 28.7 km²/yr "
                            "(source not stated)")


def test_every_shipped_capacity_is_the_figure_its_source_gives() -> None:
    actions = load_actions(TURPAN_DIR / "actions.csv")
    capped = actions[actions["capacity_km2_per_yr"].notna()]
    assert len(capped) == 8
    assert (capped["capacity_km2_per_yr"] == capped["capacity_source_km2_per_yr"]).all()
    assert actions.loc[actions["capacity_km2_per_yr"].isna(),
                       "capacity_source_km2_per_yr"].isna().all()


def test_a_sourced_figure_that_is_no_number_is_named_by_file_row_and_column(tmp_path) -> None:
    actions = pd.read_csv(TURPAN_DIR / "actions.csv", dtype=str, keep_default_na=False)
    actions.loc[actions["code"] == "enclosure", "capacity_source_km2_per_yr"] = "21.50万亩"
    actions.loc[actions["code"] == "afforestation", "capacity_source_km2_per_yr"] = "-1"
    actions.to_csv(tmp_path / "actions.csv", index=False)
    with pytest.raises(InputError) as caught:
        load_actions(tmp_path / "actions.csv")
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(1, "capacity_source_km2_per_yr"), (3, "capacity_source_km2_per_yr")}
    assert all(p.file.endswith("actions.csv") for p in caught.value.problems)


# --- through the CLI, on a small region with the planner's own catalogue -------------------

runner = CliRunner()


def small_case(tmp_path: Path, scenario_text, enclosure_km2: float,
               drop_sourced_figure: bool = False) -> list[str]:
    """The `run` arguments for the shipped parcels of a box around Shanshan and Kumtag (where
    enclosure's capacity binds) with the shipped catalogue, enclosure's capacity edited to
    ``enclosure_km2`` (and the sourced-figure column dropped: an older catalogue)."""
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.2, 42.8))
    parcels.to_file(tmp_path / "small.gpkg", driver="GPKG")
    actions = pd.read_csv(TURPAN_DIR / "actions.csv", dtype=str, keep_default_na=False)
    actions.loc[actions["code"] == "enclosure", "capacity_km2_per_yr"] = f"{enclosure_km2:g}"
    if drop_sourced_figure:
        actions = actions.drop(columns="capacity_source_km2_per_yr")
    actions.to_csv(tmp_path / "actions.csv", index=False)
    (tmp_path / "small.toml").write_text(scenario_text(
        "small", seed=1, water={"default": 400.0, "saving_credit": 1.0},
        corridors={"enabled": False}, solver={"time_limit_s": 600.0, "gap": 0.03}),
        encoding="utf-8")
    return ["run", "--parcels", str(tmp_path / "small.gpkg"), "--actions",
            str(tmp_path / "actions.csv"), "--scenario", str(tmp_path / "small.toml"),
            "--out", str(tmp_path / "result")]


def test_a_run_on_an_edited_capacity_calls_it_the_users(tmp_path, scenario_text) -> None:
    """Enclosure's capacity edited from the sourced 28.7 to 5 km²/yr: the run's data note
    and, where it binds, the run table, the Summary and the report call 5 the user's figure
    and give 28.7 with plan line 12's source beside it; nowhere is that source printed after
    the 5."""
    result = runner.invoke(app, small_case(tmp_path, scenario_text, 5.0))
    assert result.exit_code == 0, result.output
    out = tmp_path / "result"
    note = (out / "数据说明_README.txt").read_text(encoding="utf-8-sig")
    assert ("- 封育 enclosure / natural recovery：5 km²/年，用户设定，来源数值28.7 km²/年（推算："
            "规划第12行封育面积21.50万亩按5年计") in note
    assert ("5 km²/yr, user's figure; the source's figure is 28.7 km²/yr (derived: plan "
            "line 12's 21.50万亩 of enclosure") in note
    assert "5 km²/年，推算" not in note and "5 km²/yr, derived" not in note
    # the other capacities are as shipped: their sources stand
    assert "26 km²/yr, derived: plan line 12's 19.50万亩" in note
    # 5 km²/yr binds in this box (28.7 did): the run table's line, the Summary's and the
    # report's capacity cells grade it the user's figure
    assert "cap. 实施能力" in result.output
    printed = " ".join(result.output.split())  # the terminal may wrap the line
    assert "封育（用户设定，来源数值28.7 km²/年） enclosure (user's figure; the source's figure " \
           "is 28.7 km²/yr) (2027-2030)" in printed
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "封育（用户设定，来源数值28.7 km²/年）" in report and "封育（推算）" not in report
    summary = openpyxl.load_workbook(out / "priorities.xlsx")["汇总 Summary"]
    cells = [v for row in summary.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any("实施能力 capacity（封育（用户设定，来源数值28.7 km²/年） enclosure (user's "
               "figure; the source's figure is 28.7 km²/yr)）" in cell for cell in cells)
    assert not any("封育（推算）" in cell for cell in cells)


def test_a_catalogue_without_the_sourced_figure_loads_and_states_no_source(
        tmp_path, scenario_text) -> None:
    """An older catalogue (no capacity_source_km2_per_yr) still runs; its source texts are
    tied to no figure, so every capacity reads 来源未注明 / source not stated."""
    result = runner.invoke(app, small_case(tmp_path, scenario_text, 28.7,
                                           drop_sourced_figure=True))
    assert result.exit_code == 0, result.output
    note = (tmp_path / "result" / "数据说明_README.txt").read_text(encoding="utf-8-sig")
    assert "- 封育 enclosure / natural recovery：28.7 km²/年，来源未注明；28.7 km²/yr, source " \
           "not stated" in note
    assert "derived: plan line 12" not in note and "用户设定" not in note
