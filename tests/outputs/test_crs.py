"""Result layers in CGCS2000 (EPSG:4490) on request; WGS84 by default."""

import pyogrio
import pytest
from typer.testing import CliRunner

from outputs.crs import CGCS2000, DEFAULT_OUTPUT_CRS, in_output_crs
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
    assert in_output_crs(township_region, DEFAULT_OUTPUT_CRS) is township_region


def test_an_unknown_crs_is_refused_naming_the_option(small_region) -> None:
    with pytest.raises(ValueError, match="--crs 'EPSG:99999'.*EPSG:4490"):
        in_output_crs(small_region[0], "EPSG:99999")


def test_the_run_command_states_its_default_crs() -> None:
    from solve import app

    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"})
    assert "--crs" in result.output and "EPSG:4326" in result.output
    assert "EPSG:4490" in result.output and "CGCS2000" in result.output
