"""Result layers in the CRS the parcels file came in (CGCS2000, a CGCS2000 Gauss-Krüger zone,
WGS84) unless --crs asks for another, and a re-plan in the previous result's: the commands
run in-process on a small box of the shipped parcels saved in each CRS."""

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from region.io import TURPAN_DIR
from region.schema import EQUAL_AREA_CRS
from solve import app

runner = CliRunner()

#: About 17 × 17 km between Shanshan and Kumtag: a few dozen parcels, a plan in seconds.
BOX = (90.1, 42.7, 90.3, 42.85)
#: CGCS2000 / 3-degree Gauss-Krüger CM 90°E (the zone over Turpan, no zone prefix).
GAUSS_KRUGER = "EPSG:4539"
OWN = "the parcels file's CRS"


@pytest.fixture(scope="module")
def box(tmp_path_factory, scenario_text) -> tuple[Path, gpd.GeoDataFrame, Path]:
    """A folder, the shipped parcels of :data:`BOX` (WGS84) and a small scenario in it."""
    folder = tmp_path_factory.mktemp("output_crs")
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=BOX)
    assert 10 <= len(parcels) <= 500
    scenario = folder / "small.toml"
    scenario.write_text(scenario_text("small", seed=1, corridors={"enabled": False},
                                      solver={"time_limit_s": 600.0, "gap": 0.03}),
                        encoding="utf-8")
    return folder, parcels, scenario


def saved_in(box, crs: str) -> Path:
    """The box's parcels saved in ``crs`` (once)."""
    folder, parcels, _ = box
    path = folder / f"parcels_{crs.replace(':', '_')}.gpkg"
    if not path.exists():
        parcels.to_crs(crs).to_file(path, driver="GPKG")
    return path


def run(box, file_crs: str, *given: str) -> tuple[Path, Path, str]:
    """``run`` on the box saved in ``file_crs`` with ``given`` options: (parcels file,
    result folder, the printed output on one line)."""
    folder, _, scenario = box
    parcels = saved_in(box, file_crs)
    out = folder / f"run_{file_crs.replace(':', '_')}_{'_'.join(given).replace(':', '_')}"
    result = runner.invoke(app, ["run", "--parcels", str(parcels), "--scenario", str(scenario),
                                 "--out", str(out), *given], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return parcels, out, " ".join(result.output.split())


def layers_crs(folder: Path) -> set[str]:
    """The CRS of plan.gpkg and of every layer of priorities.gpkg."""
    found = {pyogrio.read_info(folder / "plan.gpkg")["crs"]}
    for layer, _ in pyogrio.list_layers(folder / "priorities.gpkg"):
        found.add(pyogrio.read_info(folder / "priorities.gpkg", layer=layer)["crs"])
    return found


def notes_crs_row(folder: Path) -> str:
    """The 坐标系 CRS sentence of the workbook's notes sheet."""
    sheet = load_workbook(folder / "priorities.xlsx", read_only=True)["说明 Notes"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == "坐标系 CRS"]
    assert len(rows) == 1
    return rows[0][1]


def check_lon_lat(folder: Path, degrees_of: str) -> None:
    """The units' centroid lon/lat are degrees of ``degrees_of``: the equal-area centroid of
    each unit layer's shape (read back from priorities.gpkg) taken there."""
    units = gpd.read_file(folder / "priorities.gpkg", layer="project_units")
    centre = units.geometry.to_crs(EQUAL_AREA_CRS).centroid.to_crs(degrees_of)
    assert len(units) > 0
    assert (units["centroid_lon"] - centre.x).abs().max() < 1e-5
    assert (units["centroid_lat"] - centre.y).abs().max() < 1e-5
    assert units["centroid_lon"].between(BOX[0] - 0.1, BOX[2] + 0.1).all()  # not metres
    assert units["centroid_lat"].between(BOX[1] - 0.1, BOX[3] + 0.1).all()


@pytest.mark.parametrize(("file_crs", "degrees_of"), [
    ("EPSG:4490", "EPSG:4490"),  # CGCS2000 in, CGCS2000 out
    (GAUSS_KRUGER, "EPSG:4490"),  # projected in, projected out; lon/lat of its base
    ("EPSG:4326", "EPSG:4326"),  # WGS84 in (the shipped data), WGS84 out
])
def test_layers_are_written_in_the_parcels_files_crs(box, file_crs, degrees_of) -> None:
    parcels, out, printed = run(box, file_crs)
    assert layers_crs(out) == {file_crs}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["output_crs"] == file_crs
    assert f"layers in {file_crs}" in printed and OWN in printed
    # the bureau's own coordinates back, untouched (never through WGS84 and back)
    given = gpd.read_file(parcels).set_index("parcel_id").geometry
    plan = gpd.read_file(out / "plan.gpkg")
    assert len(plan) > 0
    assert plan.geometry.geom_equals_exact(
        given.loc[plan["parcel_id"]].reset_index(drop=True), tolerance=0).all()
    check_lon_lat(out, degrees_of)
    sentence = notes_crs_row(out)
    assert file_crs in sentence and f"经纬度列为 {degrees_of}" in sentence


@pytest.fixture(scope="module")
def asked(box) -> tuple[Path, Path, str]:
    """The Gauss-Krüger file run with --crs EPSG:4490."""
    return run(box, GAUSS_KRUGER, "--crs", "EPSG:4490")


def test_crs_option_overrides_the_files_crs(asked) -> None:
    parcels, out, printed = asked
    assert layers_crs(out) == {"EPSG:4490"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["output_crs"] == "EPSG:4490"
    assert "layers in EPSG:4490" in printed and "as --crs asks" in printed
    given = gpd.read_file(parcels).to_crs("EPSG:4490").set_index("parcel_id").geometry
    plan = gpd.read_file(out / "plan.gpkg")
    assert plan.geometry.geom_equals_exact(
        given.loc[plan["parcel_id"]].reset_index(drop=True), tolerance=1e-9).all()
    check_lon_lat(out, "EPSG:4490")


def test_a_replan_keeps_the_previous_results_crs(box, asked) -> None:
    """The previous run asked for CGCS2000 of Gauss-Krüger parcels: the re-plan, given the
    same parcels and no --crs, writes CGCS2000 too, not the file's zone."""
    parcels, previous, _ = asked
    folder = box[0]
    progress = folder / "progress.csv"
    template = runner.invoke(app, ["replan", str(previous), "--year", "2028", "--progress",
                                   str(progress), "--template"])
    assert template.exit_code == 0, template.output
    assert len(pd.read_csv(progress)) > 0
    out = folder / "replan_2028"
    result = runner.invoke(app, ["replan", str(previous), "--year", "2028", "--progress",
                                 str(progress), "--parcels", str(parcels), "--out", str(out)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())
    assert "layers in EPSG:4490" in printed and "the previous result's CRS" in printed
    assert layers_crs(out) == {"EPSG:4490"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["output_crs"] == "EPSG:4490"


def test_criteria_writes_its_corridors_in_the_crs_asked(box) -> None:
    """criteria took no --crs while run, replan and compare's inputs did: its corridors.gpkg
    came back in the parcels file's CRS only. Asked for CGCS2000 of Gauss-Krüger parcels,
    both layers are in CGCS2000, the parcels' shapes those of the file taken there."""
    folder, _, scenario = box
    parcels = saved_in(box, GAUSS_KRUGER)
    out = folder / "criteria_4490"
    result = runner.invoke(app, ["criteria", "--parcels", str(parcels), "--scenario",
                                 str(scenario), "--out", str(out), "--crs", "EPSG:4490"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())
    assert "layers in EPSG:4490" in printed and "as --crs asks" in printed
    layers = [name for name, _ in pyogrio.list_layers(out / "corridors.gpkg")]
    assert {"corridors", "parcel_scores"} <= set(layers)
    assert {pyogrio.read_info(out / "corridors.gpkg", layer=name)["crs"]
            for name in layers} == {"EPSG:4490"}
    given = gpd.read_file(parcels).to_crs("EPSG:4490").set_index("parcel_id").geometry
    scores = gpd.read_file(out / "corridors.gpkg", layer="parcel_scores")
    assert scores.geometry.geom_equals_exact(
        given.loc[scores["parcel_id"]].reset_index(drop=True), tolerance=1e-9).all()
