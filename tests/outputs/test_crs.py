"""Result layers in the CRS asked for (--crs), else in the parcels' own; the lon/lat
columns' CRS (the CLI runs on CGCS2000 and projected parcel files: tests/test_output_crs.py)."""

import pyogrio
import pytest
from pyproj import CRS
from typer.testing import CliRunner

from outputs.crs import CGCS2000, WGS84, in_output_crs, lonlat_crs
from outputs.priorities import write_priorities


def test_layers_are_written_in_the_crs_asked_for(small_run, township_region, tmp_path) -> None:
    region = in_output_crs(township_region, CGCS2000)
    assert region.parcels.crs.to_epsg() == 4490
    assert region.parcels["area_km2"].equals(township_region.parcels["area_km2"])
    paths = write_priorities(tmp_path, small_run.plan, region)
    for layer, _ in pyogrio.list_layers(paths[3]):
        assert pyogrio.read_info(paths[3], layer=layer)["crs"] == "EPSG:4490"
    small_run.plan.write(tmp_path / "run", region.parcels)
    assert pyogrio.read_info(tmp_path / "run" / "plan.gpkg")["crs"] == "EPSG:4490"
    assert in_output_crs(township_region, WGS84) is township_region  # already in it
    assert in_output_crs(township_region, None) is township_region  # the parcels' own


def test_an_unknown_crs_is_refused_naming_the_option(small_region) -> None:
    with pytest.raises(ValueError, match="--crs 'EPSG:99999'.*EPSG:4490"):
        in_output_crs(small_region[0], "EPSG:99999")


@pytest.mark.parametrize(("crs", "lonlat"), [
    ("EPSG:4490", 4490),  # geographic: itself
    ("EPSG:4326", 4326),
    ("EPSG:4518", 4490),  # CGCS2000 3-degree Gauss-Krüger zone 30: CGCS2000's degrees
    ("EPSG:4539", 4490),  # the same zone by its central meridian 90°E, no prefix
    ("EPSG:32645", 4326),  # UTM 45N: WGS84's
])
def test_lon_lat_are_degrees_of_the_crs_or_of_its_geographic_base(crs, lonlat) -> None:
    found = lonlat_crs(CRS.from_user_input(crs))
    assert found.is_geographic and found.to_epsg() == lonlat


@pytest.mark.parametrize("command", ["run", "replan", "sweep", "pareto"])
def test_the_commands_state_their_default_crs(command) -> None:
    from solve import app

    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    words = " ".join(result.output.replace("│", " ").split())
    assert "--crs" in words and "the parcels file's own CRS" in words
    assert "EPSG:4490" in words and "CGCS2000" in words
