"""The steps both re-plan-from-an-older-catalogue test files share
(tests/pipeline/test_replan_no_longer_allowed.py, test_replan_removed_action.py): five
shipped parcels of the Bogda foothills, a previous plan made with an older catalogue and
scenario, a progress file and the re-plan from 2028, all through the CLI in-process."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
from click.testing import Result
from typer.testing import CliRunner

from region.io import TURPAN_DIR
from solve import app

PARCELS = (14047, 14048, 14097, 14098, 14099)
runner = CliRunner()


def previous_plan(folder: Path, scenario: str, old_rules: str,
                  old_actions: pd.DataFrame) -> Path:
    """The previous result folder: the parcels, the old catalogue (``old_actions``), the old
    scenario (``scenario`` + ``old_rules``) and today's (``scenario``) written into
    ``folder``, and the plan made with the old ones."""
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg")
    parcels[parcels["parcel_id"].isin(PARCELS)].to_file(folder / "parcels.gpkg",
                                                        driver="GPKG")
    old_actions.to_csv(folder / "actions_old.csv", index=False)
    (folder / "old.toml").write_text(scenario + old_rules, encoding="utf-8")
    (folder / "new.toml").write_text(scenario, encoding="utf-8")
    previous = folder / "plan-2027"
    made = runner.invoke(app, ["run", "--scenario", str(folder / "old.toml"), "--parcels",
                               str(folder / "parcels.gpkg"), "--actions",
                               str(folder / "actions_old.csv"), "--out", str(previous)])
    assert made.exit_code == 0, made.output
    return previous


def progress_file(folder: Path, previous: Path, name: str, kept: int, kept_row: str,
                  extra: str = "") -> str:
    """A progress file ``name``: every 2027 work of the previous plan done but the one on
    parcel ``kept``, reported as ``kept_row``, and ``extra`` rows."""
    plan = pd.read_csv(previous / "plan.csv")
    rows = ["parcel_id,action,start_year,status,cost_wan_actual,new,area_km2_done"]
    for work in plan[plan["start_year"] == 2027].itertuples():
        rows.append(kept_row if work.parcel_id == kept else
                    f"{work.parcel_id},{work.action},2027,done,,false,")
    path = folder / name
    path.write_text("\n".join(rows) + "\n" + extra, encoding="utf-8")
    return str(path)


def replan(folder: Path, previous: Path, progress: str, out: str) -> Result:
    """The re-plan from 2028 with today's scenario and (shipped) catalogue."""
    return runner.invoke(app, [
        "replan", str(previous), "--year", "2028", "--progress", progress,
        "--scenario", str(folder / "new.toml"), "--parcels", str(folder / "parcels.gpkg"),
        "--out", str(folder / out)])
