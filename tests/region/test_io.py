"""Loaders: every problem named with file, row and column, all at once; the shipped data load."""

import ast
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon

from region.errors import InputError
from region.files import sha256_of_inputs
from region.io import (
    TURPAN_DIR,
    RegionPaths,
    load_actions,
    load_parcels,
    load_projects,
    load_region,
)
from region.references import code_text


def problems_of(call) -> list:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value.problems


def test_valid_parcels_load_in_their_own_crs_with_schema_dtypes(make_parcels,
                                                               write_parcels) -> None:
    frame = make_parcels()  # in the equal-area projection, a CRS without an EPSG code
    parcels = load_parcels(write_parcels(frame))
    assert parcels.crs.equals(frame.crs)
    assert parcels["parcel_id"].dtype == "int64"
    assert list(parcels["zone"]) == [1, 2, 3, 3]


@pytest.mark.parametrize("epsg", ["EPSG:4490", "EPSG:4326", "EPSG:32645"])
def test_cgcs2000_wgs84_and_projected_crs_accepted_and_kept(make_parcels, write_parcels,
                                                           epsg) -> None:
    frame = make_parcels(crs=epsg)
    parcels = load_parcels(write_parcels(frame))
    assert len(parcels) == 4
    # kept in the file's CRS, coordinates untouched: the result layers are written in it
    assert parcels.crs.to_epsg() == int(epsg.split(":")[1])
    assert parcels.geometry.geom_equals_exact(frame.geometry, tolerance=0).all()


def test_missing_column_duplicate_id_and_broken_geometry_reported_together(
        make_parcels, write_parcels) -> None:
    frame = make_parcels().drop(columns="land_cover")
    frame.loc[2, "parcel_id"] = 1
    frame.loc[3, "geometry"] = Polygon()
    problems = problems_of(lambda: load_parcels(write_parcels(frame)))
    text = "\n".join(str(p) for p in problems)
    assert "missing column 'land_cover'" in text
    assert "row 3, column 'parcel_id': duplicate id" in text
    assert "row 4, column 'geometry': empty or missing geometry" in text
    assert all("parcels.gpkg" in str(p) for p in problems)


def test_bad_values_named_with_row_column_and_value(make_parcels, write_parcels) -> None:
    frame = make_parcels()
    frame["degradation"] = [1, 7, 1, 1]
    frame["land_cover"] = ["forest", "jungle", "gobi", "gobi"]
    frame["zone"] = [1, 2, 9, 3]
    problems = problems_of(lambda: load_parcels(write_parcels(frame),
                                                zones=pd.Series([1, 2, 3, 4, 5])))
    found = {(p.row, p.column, p.value) for p in problems}
    assert (2, "degradation", 7) in found
    assert (2, "land_cover", "jungle") in found
    assert (3, "zone", 9) in found


def test_area_mismatch_reported(make_parcels, write_parcels) -> None:
    frame = make_parcels()
    frame.loc[1, "area_km2"] = 5.0  # geometry is 4 km²
    problems = problems_of(lambda: load_parcels(write_parcels(frame)))
    assert [(p.row, p.column) for p in problems] == [(2, "area_km2")]
    assert "geometry has 4 km²" in str(problems[0])


def test_missing_crs_rejected(make_parcels, write_parcels) -> None:
    frame = make_parcels().set_crs(None, allow_override=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the writer warns about the missing CRS too
        path = write_parcels(frame)
    problems = problems_of(lambda: load_parcels(path))
    assert [(p.column, "no CRS" in p.message) for p in problems] == [("geometry", True)]


def test_repairable_geometry_repaired_with_a_warning(make_parcels, write_parcels) -> None:
    frame = make_parcels()  # in the equal-area CRS, metres
    bowtie = Polygon([(0, 0), (2000, 2000), (2000, 0), (0, 2000), (0, 0)])  # self-crossing
    frame.loc[0, "geometry"] = bowtie
    frame.loc[0, "area_km2"] = 2.0  # the repaired bow-tie: two triangles of 1 km² each
    with pytest.warns(UserWarning, match=r"repaired 1 invalid geometries \(rows 1\)"):
        parcels = load_parcels(write_parcels(frame))
    assert parcels.geometry.is_valid.all()


def test_the_parcels_and_the_survey_import_note_repairs_with_one_function() -> None:
    """region/parcels.py and the survey import built the same note each; one function now,
    naming the first ten rows."""
    import numpy as np

    import region.survey.importer
    from region.parcels import warn_repaired

    assert region.survey.importer.warn_repaired is warn_repaired
    invalid = np.zeros(14, bool)
    invalid[[0, *range(2, 14)]] = True
    with pytest.warns(UserWarning, match=r"^a.gpkg: repaired 13 invalid geometries \(rows 1, "
                                         r"3, 4, 5, 6, 7, 8, 9, 10, 11…\) with make_valid$"):
        warn_repaired("data/a.gpkg", invalid)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_repaired("data/a.gpkg", np.zeros(3, bool))


def test_missing_file_is_an_input_error(tmp_path) -> None:
    problems = problems_of(lambda: load_parcels(tmp_path / "none.gpkg"))
    assert problems[0].message == f"file not found (looked for {tmp_path / 'none.gpkg'})"


def test_action_catalogue_problems(tmp_path) -> None:
    actions = pd.read_csv(TURPAN_DIR / "actions.csv", dtype=str, keep_default_na=False)
    actions.loc[0, "unit_cost_wan_per_km2"] = "-5"
    actions.loc[1, "unit_cost_wan_per_km2"] = "NaN"
    actions.loc[2, "land_covers"] = "forest|swamp"
    actions.loc[3, "compatible_with"] = "teleport"
    actions.loc[4, "code"] = actions.loc[5, "code"]
    path = tmp_path / "actions.csv"
    actions.to_csv(path, index=False)
    problems = problems_of(lambda: load_actions(path, zones=pd.Series([1, 2, 3, 4, 5])))
    found = {(p.row, p.column) for p in problems}
    assert {(1, "unit_cost_wan_per_km2"), (2, "unit_cost_wan_per_km2"), (3, "land_covers"),
            (4, "compatible_with"), (6, "code")} <= found


def test_projects_must_name_known_actions(tmp_path) -> None:
    path = tmp_path / "projects.csv"
    shutil.copy(TURPAN_DIR / "projects.csv", path)
    problems = problems_of(lambda: load_projects(path, {"enclosure"}))
    assert any(p.column == "actions" and "unknown action code" in p.message for p in problems)


def test_load_region_collects_problems_from_every_file(make_parcels, write_parcels,
                                                       tmp_path) -> None:
    frame = make_parcels().drop(columns="degradation")
    bad_actions = tmp_path / "actions.csv"
    bad_actions.write_text("code,name_zh\nx,甲\n", encoding="utf-8")
    paths = RegionPaths(parcels=write_parcels(frame), actions=bad_actions, projects=None,
                        zones=TURPAN_DIR / "zones.csv", counties=TURPAN_DIR / "counties.csv")
    problems = problems_of(lambda: load_region(paths))
    files = {p.file.split("/")[-1] for p in problems}
    assert files == {"parcels.gpkg", "actions.csv"}


def test_shipped_turpan_region_loads_clean() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        region = load_region()
    assert len(region.parcels) >= 10_000
    assert set(region.parcels["zone"]) == {1, 2, 3, 4, 5}
    assert len(region.actions) >= 10


def test_inputs_hash_is_stable_and_sensitive(tmp_path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("1")
    b.write_text("2")
    first = sha256_of_inputs([a, b])
    assert first == sha256_of_inputs([b, a])
    b.write_text("3")
    assert sha256_of_inputs([a, b]) != first


def test_a_shapefiles_side_files_are_hashed_with_it(tmp_path) -> None:
    for ext in (".shp", ".shx", ".DBF", ".prj"):
        (tmp_path / f"parcels{ext}").write_bytes(b"x")
    paths = RegionPaths(parcels=tmp_path / "parcels.shp", actions=tmp_path / "none.csv",
                        projects=None, zones=None, counties=None, boundaries=None)
    assert sorted(p.name for p in paths.files()) == [
        "parcels.DBF", "parcels.prj", "parcels.shp", "parcels.shx"]
    before = sha256_of_inputs(paths.files())
    (tmp_path / "parcels.DBF").write_bytes(b"other attributes")
    assert sha256_of_inputs(paths.files()) != before


def test_a_table_without_shapes_as_parcels_is_an_input_error(tmp_path, make_parcels) -> None:
    """A planner's parcel list saved as CSV was read as a plain table and failed later with
    an AttributeError (exit 1, 'a bug'); it is a bad input that says what is expected."""
    table = tmp_path / "parcels.csv"
    make_parcels().drop(columns="geometry").to_csv(table, index=False)
    problems = problems_of(lambda: load_parcels(table))
    assert len(problems) == 1
    assert "parcels.csv" in str(problems[0])
    assert "is a table (.csv), not a layer of shapes" in str(problems[0])
    assert "GeoPackage" in str(problems[0])


def test_a_shapefiles_cut_column_names_are_read_as_their_full_names(tmp_path,
                                                                    scenario_text) -> None:
    """A Shapefile keeps 10 characters of a name: 'degradation' comes back 'degradatio' and
    the parcels were refused ('missing column degradation'); they are read by their full
    names, the same values as the GeoPackage's, and a note says so."""
    import geopandas as gpd
    from typer.testing import CliRunner

    from solve import app

    shipped = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.2, 42.8))
    shipped.to_file(tmp_path / "parcels.gpkg", driver="GPKG")
    with warnings.catch_warnings():  # GDAL's own warning that it cuts the names
        warnings.simplefilter("ignore")
        shipped.to_file(tmp_path / "parcels.shp", driver="ESRI Shapefile", encoding="utf-8")
    assert "degradatio" in gpd.read_file(tmp_path / "parcels.shp").columns
    with pytest.warns(UserWarning, match="degradatio → degradation.*wind_expos → "
                                         "wind_exposure"):
        from_shp = load_parcels(tmp_path / "parcels.shp")
    from_gpkg = load_parcels(tmp_path / "parcels.gpkg")
    for column in ("degradation", "wind_exposure", "dist_oasis_km", "habitat_quality",
                   "protected_area", "township_en"):
        expected = from_gpkg[column].tolist()
        if from_gpkg[column].dtype.kind == "f":
            expected = pytest.approx(expected)
        assert from_shp[column].tolist() == expected, column
    scenario = tmp_path / "box.toml"  # the box has no mine for the baseline's mine target
    scenario.write_text(scenario_text("box"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--parcels", str(tmp_path / "parcels.shp"),
                                      "--scenario", str(scenario), "--json"])
    assert result.exit_code == 0, result.output
    assert "degradatio → degradation" in " ".join(result.output.split())


def test_only_a_shapefile_has_its_cut_column_names_read_as_full_names(tmp_path) -> None:
    """A GeoPackage keeps whole names: its column literally named 'degradatio' stays so
    (and 'degradation' is missing), with no note about a Shapefile's 10-character names; a
    zipped Shapefile is a Shapefile."""
    import zipfile

    import geopandas as gpd

    from region.parcels import read_vector_layer

    shipped = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.0, 42.7))
    cut = shipped.rename(columns={"degradation": "degradatio"})
    cut.to_file(tmp_path / "parcels.gpkg", driver="GPKG")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no renaming note
        columns = read_vector_layer(tmp_path / "parcels.gpkg", None).columns
    assert "degradatio" in columns and "degradation" not in columns
    problems = problems_of(lambda: load_parcels(tmp_path / "parcels.gpkg"))
    assert any("missing column 'degradation'" in str(p) for p in problems), problems

    with warnings.catch_warnings():  # GDAL's own warning that it cuts the names
        warnings.simplefilter("ignore")
        shipped.to_file(tmp_path / "parcels.shp", driver="ESRI Shapefile", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "parcels.zip", "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            archive.write(tmp_path / f"parcels{suffix}", f"parcels{suffix}")
    with pytest.warns(UserWarning, match="degradatio → degradation"):
        zipped = read_vector_layer(tmp_path / "parcels.zip", None)
    assert "degradation" in zipped.columns


def test_io_and_the_survey_import_one_way_at_module_top() -> None:
    """region.io imports a survey layer given as parcels (region.survey); the survey reads
    the region's parcels and files through region.parcels and region.files, never region.io,
    so no lazy import inside a function hides a circle between them."""
    import region

    root = Path(region.__file__).parent

    def imported(path: Path) -> list[tuple[str, bool]]:
        """(module imported, at the module's top) for every import of ``path``."""
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        found = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [(name, id(node) in top) for name in names]
        return found

    survey = [(p.name, name) for p in sorted((root / "survey").glob("*.py"))
              for name, _ in imported(p) if name == "region.io" or name.startswith("region.io.")]
    assert survey == []
    in_functions = [name for name, at_top in imported(root / "io.py") if not at_top]
    assert in_functions == []


@pytest.mark.parametrize(("typed", "text"), [
    (1.0, "1"), (650402.0, "650402"), (np.float32(2.0), "2"), (np.int64(3), "3"),
    ("01", "01"), (" 650402 ", "650402"), (2.5, "2.5"),
    (float("nan"), ""), (None, ""), (pd.NA, ""),
])
def test_a_code_reads_the_same_however_it_was_typed_and_a_blank_is_empty(typed, text) -> None:
    assert code_text(typed) == text


def test_a_parcels_county_read_as_a_number_is_checked_as_its_code_and_a_blank_once(
        make_parcels, write_parcels) -> None:
    frame = make_parcels()
    frame["county"] = [650402.0, float("nan"), 650421.0, 650499.0]
    counties = pd.Series(["650402", "650421"])
    problems = problems_of(lambda: load_parcels(write_parcels(frame), counties=counties))
    # the blank is named once, as blank, not a second time as an unknown county ''
    assert [(p.row, p.column) for p in problems] == [(2, "county"), (4, "county")]
    assert "blank" in str(problems[0])
    assert "unknown county: expected one of ['650402', '650421']" in str(problems[1])


def test_the_tables_beside_the_catalogue_that_the_lists_read_are_hashed(tmp_path) -> None:
    """The project library and the indicators set 建设内容, 责任单位 and 绩效目标 in the
    priority lists: a change to either changes the run's inputs hash."""
    (tmp_path / "actions.csv").write_text("code\n")
    paths = RegionPaths(parcels=tmp_path / "none.gpkg", actions=tmp_path / "actions.csv",
                        projects=None, zones=None, counties=None, boundaries=None)
    for name in ("project_library.csv", "indicators.csv"):
        before = sha256_of_inputs(paths.files())
        (tmp_path / name).write_text("changed\n")
        assert name in {p.name for p in paths.files()}
        assert sha256_of_inputs(paths.files()) != before


def test_a_shapefile_without_its_shx_reads_as_the_whole_one(tmp_path) -> None:
    """The index GDAL rebuilds (in a temporary copy) finds every shape where the .shx that
    was lost did: the same parcels, geometries and columns; said once per file."""
    import geopandas as gpd

    from region.parcels import read_vector_layer

    shipped = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.1, 42.8))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shipped.to_file(tmp_path / "whole.shp")
        whole = read_vector_layer(tmp_path / "whole.shp", None)
    for suffix in (".shp", ".dbf", ".prj", ".cpg"):
        shutil.copy(tmp_path / f"whole{suffix}", tmp_path / f"lost{suffix}")
    with pytest.warns(UserWarning, match="lost.shx is missing; rebuilt it"):
        lost = read_vector_layer(tmp_path / "lost.shp", None)
    pd.testing.assert_frame_equal(pd.DataFrame(lost.drop(columns="geometry")),
                                  pd.DataFrame(whole.drop(columns="geometry")))
    assert lost.geometry.geom_equals_exact(whole.geometry, tolerance=0).all()
    assert not (tmp_path / "lost.shx").exists()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert len(read_vector_layer(tmp_path / "lost.shp", None)) == len(whole)
    assert not [w for w in said if "rebuilt" in str(w.message)]


def test_a_gbk_cell_after_a_quoted_two_line_cell_is_named_by_its_record(tmp_path) -> None:
    """The row of a byte that is not UTF-8 counts records, as pandas numbers rows, not
    physical lines: a quoted cell holding a line break (an Excel note) before a GBK cell
    shifted it by one; a blank line (pandas skips it) also counted."""
    from region.validate import read_csv_table

    path = tmp_path / "notes.csv"
    path.write_bytes("代码 code,说明 note\n".encode()
                     + '"a","第一行\n第二行"\n\n'.encode()
                     + b"b," + "固沙".encode("gbk") + b"\n")
    [problem] = problems_of(lambda: read_csv_table(path))
    assert (problem.row, problem.column) == (2, "说明 note")
    assert "is not UTF-8 text (byte 0xb9)" in problem.message
    header = tmp_path / "header.csv"
    header.write_bytes(b"code," + "说明".encode("gbk") + b'\n"x\ny",z\n')
    [problem] = problems_of(lambda: read_csv_table(header))
    assert (problem.row, problem.column) == (None, None)
    assert "in the header" in problem.message
