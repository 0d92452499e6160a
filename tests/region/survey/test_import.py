"""Importing a patch layer: encodings, CRS, every problem at once, slivers, the bureau's layers,
fields from the user or from the region, and nothing of the user's overwritten."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from region.errors import InputError
from region.io import RegionPaths, load_region
from region.schema import EQUAL_AREA_CRS
from region.survey import ImportOptions, import_survey, write_import
from region.survey.read import dbf_encoding
from solve import app
from storage import OutputRefusedError

runner = CliRunner()


def problems_of(call) -> list:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value.problems


@pytest.mark.parametrize("cpg", [False, True])
def test_gbk_dbf_with_chinese_field_names_is_read(write_layer, patch_layer, cpg) -> None:
    frame = patch_layer(["0305", "1205", "0102"]).rename(
        columns={"DLBM": "地类编码", "TBMJ": "图斑面积", "ZLDWMC": "坐落单位名称",
                 "BSM": "标识码", "ZLDWDM": "坐落单位代码"})
    path = write_layer(frame, encoding="GBK", cpg=cpg)
    assert (dbf_encoding(path) is None) == cpg
    result = import_survey(path)
    # 坐落单位名称 is cut to 10 bytes in the .dbf (坐落单位名) and still found.
    assert result.report["fields"]["zldwmc"] == "坐落单位名"
    assert result.parcels["township"].tolist() == ["恰特喀勒乡", "亚尔镇", "恰特喀勒乡"]
    assert result.parcels["land_cover"].tolist() == ["desert_shrubland", "sand_dune",
                                                     "oasis_farmland"]
    assert result.parcels["parcel_id"].tolist() == [501, 502, 503]
    assert result.parcels["county"].tolist() == ["650402"] * 3


def test_utf8_geopackage_and_geojson_read_alike(write_layer, patch_layer) -> None:
    frame = patch_layer(["0305", "1205"])
    for name in ("patches.gpkg", "patches.geojson"):
        result = import_survey(write_layer(frame, name=name))
        assert result.parcels["township"].tolist() == ["恰特喀勒乡", "亚尔镇"]


def test_field_names_of_ones_own_are_mapped(write_layer, patch_layer) -> None:
    frame = patch_layer(["0305", "1205"]).rename(columns={"DLBM": "类别", "ZLDWMC": "村"})
    frame["退化"] = [3, 0]
    path = write_layer(frame)
    with pytest.raises(InputError):
        import_survey(path)
    result = import_survey(path, ImportOptions(fields={"dlbm": "类别", "zldwmc": "村",
                                                       "degradation": "退化"}))
    assert result.parcels["degradation"].tolist() == [3, 0]
    provenance = result.provenance.set_index("field")
    assert provenance.at["degradation", "source"] == "user"
    assert provenance.at["degradation", "method"] == "field 退化"
    # …and what depends on it follows the bureau's figure.
    assert result.parcels["veg_cover"].iloc[0] < result.parcels["veg_cover"].iloc[1] * 10


def test_no_crs_unknown_codes_and_wrong_areas_reported_at_once_by_the_cli(
        write_layer, patch_layer, tmp_path) -> None:
    frame = patch_layer(["0305", "9999", "1205", "0404", "", "0102"])
    frame["TBMJ"] = frame["TBMJ"].astype(object)
    frame.loc[2, "TBMJ"] = frame.loc[2, "TBMJ"] * 1.5
    frame.loc[3, "TBMJ"] = "几百"
    no_crs = write_layer(frame.set_crs(None, allow_override=True), name="no_crs.shp")
    no_crs.with_suffix(".prj").unlink(missing_ok=True)
    with_crs = write_layer(frame, name="with_crs.shp")
    out = tmp_path / "parcels.gpkg"

    result = runner.invoke(app, ["parcels", "import", str(no_crs), "--out", str(out)])
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "no_crs.shp, column 'geometry': no CRS" in text
    assert "'solve.py parcels import … --source-crs EPSG:4518" in text
    assert "no_crs.shp, row 2, column 'DLBM': unknown land-use code" in text
    assert "no_crs.shp, row 5, column 'DLBM': no land-use code" in text
    assert "row 4, column 'TBMJ': expected the patch area in m²" in text
    assert not out.exists()

    result = runner.invoke(app, ["parcels", "import", str(with_crs), "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()
    text = " ".join(result.output.split())
    assert "with_crs.shp, row 3, column 'TBMJ': the area differs from the geometry's" in text
    assert "with_crs.shp, row 2, column 'DLBM': unknown land-use code" in text

    problems = problems_of(lambda: import_survey(with_crs))
    assert {(p.row, p.column) for p in problems} == {(2, "DLBM"), (5, "DLBM"), (3, "TBMJ"),
                                                     (4, "TBMJ")}
    wrong_area = next(p for p in problems if p.row == 3)
    assert "differs from the geometry's by more than 5%" in wrong_area.message
    assert "135,000.0 m² but the geometry has 90,000.0 m²" in str(wrong_area)


def test_a_self_intersecting_patch_is_reported_as_repaired_not_as_a_wrong_crs(
        write_layer, patch_layer, tmp_path) -> None:
    """A bow-tie patch (its outline crosses itself) was reported only as 'the area differs
    from the geometry's by more than 5% (is the CRS right?)': the repair is noted as
    'validate --parcels' notes it, and the area problem names the invalid outline."""
    frame = patch_layer(["0305", "1205", "0102"], crs=EQUAL_AREA_CRS)
    x0, y0, x1, y1 = frame.geometry.iloc[1].bounds
    frame.loc[1, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    frame = frame.to_crs("EPSG:4518")  # a bow-tie in the 三调's Gauss-Krüger zone
    frame["TBMJ"] = 90_000.0  # the surveyed area of the square the outline should be
    path = write_layer(frame, name="patches.gpkg")
    out = tmp_path / "parcels.gpkg"
    result = runner.invoke(app, ["parcels", "import", str(path), "--out", str(out)])
    text = " ".join(result.output.split())
    assert result.exit_code == 2 and not out.exists(), result.output
    assert "note: patches.gpkg: repaired 1 invalid geometries (rows 2) with make_valid" in text
    assert "patches.gpkg, row 2, column 'geometry': the geometry is invalid " \
           "(Self-intersection[" in text
    assert "90,000.0 m² but the repaired geometry has 45,000.0 m²" in text
    assert "is the CRS right" not in text


@pytest.mark.parametrize("crs", ["EPSG:4517", "EPSG:4539", "EPSG:4540", "EPSG:4490",
                                 "EPSG:4326"])
def test_gauss_kruger_zones_and_geographic_crs_give_the_same_parcels(write_layer, patch_layer,
                                                                     crs) -> None:
    reference = import_survey(write_layer(patch_layer(["0305", "1205"]), name="ref.gpkg"))
    result = import_survey(write_layer(patch_layer(["0305", "1205"], crs=crs)))
    assert result.parcels.crs.to_epsg() == int(crs.split(":")[1])
    for column in ("area_km2", "elevation_m", "dist_oasis_km", "habitat_quality"):
        assert result.parcels[column].to_numpy() == pytest.approx(
            reference.parcels[column].to_numpy(), rel=1e-6, abs=1e-6), column


def test_a_declared_crs_places_a_layer_without_one(write_layer, patch_layer) -> None:
    frame = patch_layer(["0305"])
    path = write_layer(frame.set_crs(None, allow_override=True))
    path.with_suffix(".prj").unlink(missing_ok=True)
    result = import_survey(path, ImportOptions(crs="EPSG:4518"))
    assert result.report["crs"] == "EPSG:4518"
    assert result.parcels["area_km2"].iloc[0] == pytest.approx(0.09, rel=1e-6)


@pytest.mark.parametrize("option", ["--source-crs", "--crs"])  # --crs: the earlier name
def test_the_cli_declares_the_source_crs(write_layer, patch_layer, tmp_path, option) -> None:
    path = write_layer(patch_layer(["0305"]).set_crs(None, allow_override=True))
    path.with_suffix(".prj").unlink(missing_ok=True)
    out = tmp_path / "parcels.gpkg"
    result = runner.invoke(app, ["parcels", "import", str(path), "--out", str(out), option,
                                 "EPSG:4518", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["crs"] == "EPSG:4518" and out.exists()


def test_a_patch_outside_the_region_is_a_problem(write_layer, patch_layer) -> None:
    frame = patch_layer(["0305", "1205"])
    frame.loc[1, "geometry"] = shapely.affinity.translate(frame.geometry.iloc[1], 0, 2e6)
    problems = problems_of(lambda: import_survey(write_layer(frame)))
    assert [(p.row, p.column) for p in problems] == [(2, "geometry")]
    assert "outside the region" in problems[0].message


def test_a_repeated_bsm_is_a_problem_naming_both_rows_not_a_silent_renumbering(
        write_layer, patch_layer, tmp_path) -> None:
    """BSM is the parcel id progress files name: one repeat must not renumber every parcel
    (the stranger's dupbsm.gpkg); the CLI names the file, both rows and the BSM, and writes
    nothing."""
    frame = patch_layer(["0305", "1205", "0305", "0404"])
    frame.loc[3, "BSM"] = frame.loc[1, "BSM"]
    path = write_layer(frame, "patches.gpkg")
    problems = problems_of(lambda: import_survey(path))
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "BSM", 502)]
    assert "duplicate BSM 标识码" in problems[0].message
    assert "row 2 has it already" in problems[0].message
    out = tmp_path / "ours.gpkg"
    result = runner.invoke(app, ["parcels", "import", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "patches.gpkg, row 4, column 'BSM': duplicate BSM" in " ".join(result.output.split())
    assert not out.exists()
    frame.loc[3, "BSM"] = 999  # unique again: the BSMs are the parcel ids
    parcels = import_survey(write_layer(frame, "fixed.gpkg")).parcels
    assert sorted(parcels["parcel_id"]) == [501, 502, 503, 999]


def test_slivers_merge_into_the_same_cover_or_are_dropped(write_layer, patch_layer,
                                                         ea_origin) -> None:
    x, y = ea_origin
    geoms = np.array([shapely.box(x, y, x + 300, y + 300),             # A shrubland
                      shapely.box(x + 310, y, x + 610, y + 300),       # B dune
                      shapely.box(x + 300, y, x + 310, y + 10),        # sliver, shrubland
                      shapely.box(x + 300, y + 290, x + 310, y + 300)])  # sliver, farmland
    frame = patch_layer(["0305", "1205", "0305", "0102"], geoms=geoms)
    result = import_survey(write_layer(frame))
    parcels = result.parcels.set_index("parcel_id")
    assert sorted(parcels.index) == [501, 502]
    assert parcels.at[501, "area_km2"] == pytest.approx(0.0901)
    assert parcels.at[501, "source_rows"] == "1 3"
    merged_area = gpd.GeoSeries([parcels.geometry.loc[501]], crs=result.parcels.crs)
    assert merged_area.to_crs(EQUAL_AREA_CRS).area.iloc[0] == pytest.approx(90_100, rel=1e-6)
    slivers = result.report["slivers"]
    assert slivers["merged_rows"] == [3] and slivers["dropped_rows"] == [4]
    assert slivers["dropped_area_m2"] == pytest.approx(100, rel=1e-6)
    assert result.report["area_written_km2"] == pytest.approx(0.1801)


def test_modelled_fields_are_area_weighted_over_the_region(write_layer, patch_layer,
                                                           ea_origin) -> None:
    """A patch over two region parcels takes the area-weighted mean of their elevations."""
    region = load_region().parcels.to_crs(EQUAL_AREA_CRS)
    point = shapely.Point(ea_origin)
    first = region.loc[region.contains(point)].iloc[0]
    neighbour = region.loc[region.touches(first.geometry)
                           & (region["elevation_m"] != first["elevation_m"])].iloc[0]
    patch = shapely.intersection(shapely.union_all([first.geometry, neighbour.geometry]),
                                 shapely.buffer(shapely.shortest_line(
                                     first.geometry.centroid, neighbour.geometry.centroid),
                                     300))
    a = shapely.area(shapely.intersection(patch, first.geometry))
    b = shapely.area(shapely.intersection(patch, neighbour.geometry))
    frame = patch_layer(["1207"], geoms=np.array([patch]))
    result = import_survey(write_layer(frame))
    expected = (a * first["elevation_m"] + b * neighbour["elevation_m"]) / (a + b)
    assert result.parcels["elevation_m"].iloc[0] == pytest.approx(expected, rel=1e-6)
    provenance = result.provenance.set_index("field")
    assert provenance.at["elevation_m", "source"] == "ours"
    assert provenance.at["elevation_m", "method"].startswith("area-weighted mean")
    assert provenance.at["land_cover", "source"] == "user"


def test_the_bureaus_layers_replace_ours(write_layer, patch_layer, ea_origin,
                                         tmp_path) -> None:
    x, y = ea_origin
    frame = patch_layer(["0305", "1205", "0602", "0602"])  # a row of 300 m squares
    area = gpd.GeoDataFrame({"名称": ["亚尔保护地"]}, geometry=[shapely.box(
        x - 10, y - 10, x + 460, y + 310)], crs=EQUAL_AREA_CRS).to_crs("EPSG:4490")
    area.to_file(tmp_path / "protected.gpkg")
    red = gpd.GeoDataFrame({"HXLX": ["1"]}, geometry=[shapely.box(x + 590, y, x + 1200, y + 300)],
                           crs=EQUAL_AREA_CRS)
    red.to_file(tmp_path / "red.shp", encoding="GBK")
    mines = gpd.GeoDataFrame({"矿山编号": ["KS-1"], "修复状态": ["已修复"]},
                             geometry=[shapely.box(x + 600, y, x + 900, y + 300)],
                             crs=EQUAL_AREA_CRS)
    mines.to_file(tmp_path / "mines.gpkg")
    result = import_survey(write_layer(frame), ImportOptions(
        protected=tmp_path / "protected.gpkg", red_lines=tmp_path / "red.shp",
        mines=tmp_path / "mines.gpkg"))
    parcels = result.parcels
    # 亚尔保护地 covers all of the first patch and half of the second.
    assert parcels["protected_area"].tolist() == ["亚尔保护地", "亚尔保护地", "", ""]
    assert parcels["red_line"].tolist() == ["", "", "生态保护红线 ecological protection red line",
                                            "生态保护红线 ecological protection red line"]
    assert parcels["mine_id"].tolist() == ["", "", "KS-1", ""]
    assert parcels["mine_status"].tolist() == ["", "", "done", ""]
    assert parcels["mine_area_km2"].iloc[2] == pytest.approx(0.09)
    assert parcels["degradation"].iloc[2] == 1  # a remediated mine (the build's rule)
    assert any("outside the mine inventory" in note for note in result.report["notes"])
    provenance = result.provenance.set_index("field")
    assert provenance.loc[["protected_area", "red_line", "mine_status"], "source"].tolist() \
        == ["user"] * 3


def test_a_bad_mine_inventory_is_reported_with_the_patches_problems(
        write_layer, patch_layer, ea_origin, tmp_path) -> None:
    x, y = ea_origin
    mines = gpd.GeoDataFrame({"status": ["pending", "abandoned"]},
                             geometry=[shapely.box(x, y, x + 10, y + 10), shapely.Point(x, y)],
                             crs=EQUAL_AREA_CRS)
    mines.to_file(tmp_path / "mines.gpkg")
    frame = patch_layer(["0305", "9999"])
    problems = problems_of(lambda: import_survey(write_layer(frame), ImportOptions(
        mines=tmp_path / "mines.gpkg")))
    where = {(p.file.split("/")[-1], p.row, p.column) for p in problems}
    assert where == {("mines.gpkg", 2, "geometry"), ("mines.gpkg", 2, "status"),
                     ("patches.shp", 2, "DLBM")}


def test_without_an_inventory_every_mining_patch_is_a_pending_site(write_layer,
                                                                   patch_layer) -> None:
    result = import_survey(write_layer(patch_layer(["0602", "0305"])))
    assert result.parcels["mine_status"].tolist() == ["pending", ""]
    assert result.parcels["mine_area_km2"].iloc[0] == pytest.approx(0.09)
    assert result.parcels["mine_id"].tolist() == ["P501", ""]


def test_nothing_of_the_users_is_overwritten(write_layer, patch_layer, tmp_path) -> None:
    path = write_layer(patch_layer(["0305", "1205"]))
    result = import_survey(path)
    theirs = tmp_path / "theirs.gpkg"
    patch_layer(["0305"]).to_file(theirs)
    before = theirs.read_bytes()
    with pytest.raises(OutputRefusedError, match="not written by turpan-restore"):
        write_import(result, theirs, path)
    assert theirs.read_bytes() == before
    own_layer = write_layer(patch_layer(["0305"]), name="own.gpkg")
    with pytest.raises(OutputRefusedError, match="one of the command's inputs"):
        write_import(import_survey(own_layer), own_layer, own_layer)
    ours = tmp_path / "ours.gpkg"
    notes = tmp_path / "ours.import.json"
    notes.write_text("{}", encoding="utf-8")  # someone's notes where the report would go
    with pytest.raises(OutputRefusedError, match="ours.import.json"):
        write_import(result, ours, path)
    assert not ours.exists() and not (tmp_path / "ours.provenance.csv").exists()
    notes.unlink()
    written = write_import(result, ours, path)
    assert [p.name for p in written] == ["ours.gpkg", "ours.provenance.csv", "ours.import.json"]
    assert write_import(result, ours, path)[0] == ours  # a previous result of ours: replaced
    ours.unlink()  # a write cut short after its side files: they are ours, not in the way
    assert write_import(result, ours, path)[0] == ours
    provenance = pd.read_csv(tmp_path / "ours.provenance.csv", encoding="utf-8-sig")
    assert {"parcel_id", "land_cover", "elevation_m", "habitat_quality"} <= set(
        provenance["field"])


def test_a_survey_layer_is_accepted_directly_as_parcels(write_layer, patch_layer,
                                                        tmp_path) -> None:
    path = write_layer(patch_layer(["0305", "1205", "0102"]))
    region = load_region(RegionPaths(parcels=path, projects=None, zones=None, counties=None))
    assert region.parcels["land_cover"].tolist() == ["desert_shrubland", "sand_dune",
                                                     "oasis_farmland"]
    out = tmp_path / "parcels.gpkg"
    result = runner.invoke(app, ["parcels", "import", str(path), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    again = load_region(RegionPaths(parcels=out, projects=None, zones=None, counties=None))
    assert again.parcels["parcel_id"].tolist() == [501, 502, 503]


def test_gbk_text_saved_as_latin1_is_repaired_and_said(write_layer, patch_layer,
                                                       tmp_path) -> None:
    """A GBK .dbf opened as Latin-1 and saved as a GeoPackage (UTF-8): its townships came in
    as 'ÑÇ¶ûÕò' for 亚尔镇, imported without a word. Repaired, with a note naming the column,
    an example and that the names are the region's townships (so the English names come);
    a European accent in another column is left as it is."""
    frame = patch_layer(["0305", "1205", "0102"])
    frame["ZLDWMC"] = frame["ZLDWMC"].map(lambda name: name.encode("gbk").decode("latin-1"))
    frame["BZ"] = ["Forêt", "", "ok"]  # a remark: not GBK read as Latin-1
    path = write_layer(frame, name="patches.gpkg")
    out = tmp_path / "parcels.gpkg"
    result = runner.invoke(app, ["parcels", "import", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert ("patches.gpkg: Chinese text read in the wrong encoding once (GBK taken for "
            "Latin-1") in text
    assert ("in column ZLDWMC (3 cells, e.g. 'Ç¡ÌØ¿¦ÀÕÏç' → '恰特喀勒乡'; 3 of them townships "
            "of the region (townships.csv)): read as the repaired Chinese text") in text
    assert "BZ" not in text
    parcels = gpd.read_file(out, layer="parcels")
    assert parcels["township"].tolist() == ["恰特喀勒乡", "亚尔镇", "恰特喀勒乡"]
    assert parcels["township_en"].tolist() == ["Qiatekale", "Yar", "Qiatekale"]
