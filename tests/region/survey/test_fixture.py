"""The shipped synthetic 三调 fixture: imported from the CLI, and planned on from the CLI."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from region.io import REPO_ROOT
from region.survey import load_code_table
from region.survey.read import read_layer
from solve import app

FIXTURE = REPO_ROOT / "data" / "survey" / "fixture" / "turpan_sandiao_synthetic.shp"
SCENARIO = REPO_ROOT / "data" / "survey" / "part_of_turpan.toml"
runner = CliRunner()


@pytest.fixture(scope="module")
def fixture_layer() -> gpd.GeoDataFrame:
    layer, problems = read_layer(FIXTURE)
    assert problems == []
    return layer.frame


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple:
    out = tmp_path_factory.mktemp("fixture") / "parcels.gpkg"
    result = runner.invoke(app, ["parcels", "import", str(FIXTURE), "--out", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.output)


def test_the_fixture_is_a_gbk_gauss_kruger_survey_layer(fixture_layer) -> None:
    assert not FIXTURE.with_suffix(".cpg").exists()
    assert fixture_layer.crs.to_epsg() == 4518
    assert {"BSM", "DLBM", "DLMC", "TBMJ", "ZLDWDM", "ZLDWMC"} <= set(fixture_layer.columns)
    assert 2_000 <= len(fixture_layer) <= 5_000
    assert (fixture_layer["BZ"] == "合成数据 synthetic").all()
    assert fixture_layer["DLBM"].isin(load_code_table().table.index).all()


def test_importing_the_fixture_keeps_every_patch_and_its_township(imported,
                                                                  fixture_layer) -> None:
    out, report = imported
    assert report["encoding"] == "GB18030" and report["crs"] == "EPSG:4518"
    assert report["patches_read"] == len(fixture_layer)
    parcels = gpd.read_file(out, layer="parcels")
    assert len(parcels) + len(report["slivers"]["dropped_rows"]) == len(fixture_layer)
    towns = fixture_layer.set_index("BSM")["ZLDWMC"]
    assert (parcels["township"] == towns.reindex(parcels["parcel_id"]).to_numpy()).all()
    assert parcels["area_km2"].sum() == pytest.approx(fixture_layer["TBMJ"].sum() / 1e6,
                                                      rel=1e-6)
    provenance = pd.read_csv(out.with_name("parcels.provenance.csv"), encoding="utf-8-sig")
    source = provenance.set_index("field")["source"]
    assert source[["parcel_id", "area_km2", "land_cover", "township", "county"]].eq(
        "user").all()
    assert source[["zone", "elevation_m", "wind_exposure", "habitat_quality",
                   "degradation"]].eq("ours").all()


def test_a_plan_on_the_fixture_from_the_cli_lists_its_townships(imported, fixture_layer,
                                                                tmp_path) -> None:
    out, _ = imported
    result = runner.invoke(app, ["run", "--parcels", str(out), "--scenario", str(SCENARIO),
                                 "--horizon", "2027-2029", "--time-limit", "10",
                                 "--out", str(tmp_path / "plan"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)  # the notes are on stderr
    assert summary["options_chosen"] > 0
    # basin-floor patches: the budget buys litres of water conservation, which weighs 0
    assert "note: water: the most the budget can buy is" in result.stderr
    lists = pd.read_csv(tmp_path / "plan" / "priorities.csv", encoding="utf-8-sig")
    parcel_id = next(c for c in lists.columns if c.startswith("地块编号"))
    township = next(c for c in lists.columns if c.startswith("乡镇"))
    # Each listed parcel shows the ZLDWMC of its patch (BSM = parcel id).
    towns = fixture_layer.set_index("BSM")["ZLDWMC"]
    assert (lists[township] == towns.reindex(lists[parcel_id]).to_numpy()).all()
    assert lists[township].nunique() >= 2
