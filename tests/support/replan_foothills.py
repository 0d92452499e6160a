"""The steps both re-plan-from-an-older-catalogue test files share
(tests/pipeline/test_replan_no_longer_allowed.py, test_replan_removed_action.py): five
shipped parcels of the Bogda foothills, a previous plan made with an older catalogue and
scenario, a progress file and the re-plan from 2028, all through the CLI in-process."""

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from click.testing import Result
from typer.testing import CliRunner

from criteria.normalise import achievable_range
from criteria.options import build_options
from criteria.ramp import cumulative_benefit
from region.io import TURPAN_DIR, RegionPaths, load_region
from region.scenario import Scenario, horizon_budget_wan
from region.scenario_toml import load_scenario
from region.schema import CRITERIA
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


@dataclass(frozen=True)
class Pricing:
    """What the brute-force re-plans price options with: today's options on the foothills
    parcels under ``new.toml``, a work's benefit (weight × benefit × priority over today's
    achievable range, times the ramp's cumulative factor) and its money per year."""

    scenario: Scenario
    today: pd.DataFrame
    scale: dict
    weights: dict
    catalogue: pd.DataFrame

    def value(self, row, start: int) -> float:
        annual = sum(self.weights[c] * row[f"benefit_{c}"] * row[f"priority_{c}"]
                     / self.scale[c] for c in CRITERIA if self.weights[c] > 0)
        act = self.catalogue.loc[row["action"]]
        lifetime = float(act["lifetime_years"]) if pd.notna(act["lifetime_years"]) else np.inf
        return annual * float(cumulative_benefit(
            start, self.scenario.horizon.evaluation_year, act["lag_years"],
            act["maturity_years"], act["survival"], base_year=2027, lifetime_years=lifetime))

    def spend(self, row, start: int) -> dict[int, float]:
        """Money per year; instalments after the horizon are held in its last year."""
        years = int(self.catalogue.loc[row["action"], "cost_years"])
        end = self.scenario.horizon.end
        money: dict[int, float] = {}
        for k in range(years):
            year = min(start + k, end)
            money[year] = money.get(year, 0.0) + row["cost_wan"] / years
        return money


def pricing(folder: Path, manifest: dict) -> Pricing:
    """:class:`Pricing` of the foothills folder, with the weights the run used."""
    scenario = load_scenario(folder / "new.toml")
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    budget_wan = horizon_budget_wan(scenario)
    today = build_options(region.parcels, region.actions, budget_wan=budget_wan)
    return Pricing(scenario, today, achievable_range(today, budget_wan),
                   manifest["weights_used"], region.actions.set_index("code"))
