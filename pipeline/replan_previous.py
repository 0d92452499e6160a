"""A previous result folder, as the yearly re-plan reads it (pipeline/replan.py).

A folder of ``run`` or ``replan``: its plan.csv and manifest.json, and what an earlier
re-plan recorded beside them (progress.csv: every fact reported so far; actuals.csv: the
money and water the past years really had).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from region.cycle import YearActuals
from region.errors import InputError, InputProblem
from region.files import sha256_of_inputs
from region.io import Region
from region.progress import LAPSED_STATUSES, read_recorded
from region.scenario import Scenario
from region.scenario_problems import scenario_from_dict

FACT_COLUMNS = ["parcel_id", "action", "start_year", "status", "area_km2_done",
                "cost_wan_actual", "new", "reported_for"]

ACTUAL_FIELDS = ["budget_wan", "spend_wan", "water_wan_m3"]


@dataclass(frozen=True)
class PreviousResult:
    """A result folder of ``run`` or ``replan``: its plan, manifest and the progress an
    earlier re-plan recorded (empty for a ``run``)."""

    folder: Path
    plan: pd.DataFrame
    manifest: dict
    facts: pd.DataFrame
    actuals: dict[int, YearActuals]

    @property
    def replanned_from(self) -> int | None:
        """The year the previous result was re-planned from (None: a plain run)."""
        return (self.manifest.get("replan") or {}).get("year")


def read_previous(folder: Path) -> PreviousResult:
    """The result folder's plan.csv, manifest.json and, if any, progress.csv and
    actuals.csv."""
    missing = [name for name in ("plan.csv", "manifest.json") if not (folder / name).is_file()]
    if missing:  # named by the folder the user gave, not by the file it lacks
        lacks = ("does not exist" if not folder.exists() else "is a file, not a folder"
                 if not folder.is_dir() else f"has no {' and no '.join(missing)}")
        raise InputError([InputProblem(str(folder), (
            f"the folder {folder} {lacks}: expected a result folder of 'solve.py run' or "
            "'replan' (plan.csv and manifest.json), e.g. results/baseline"))])
    plan = plan_works(pd.read_csv(folder / "plan.csv"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if "scenario" not in manifest:
        raise InputError([InputProblem(str(folder / "manifest.json"),
                                       "no scenario recorded: re-run it with 'solve.py run'")])
    facts = pd.DataFrame(columns=FACT_COLUMNS)
    if (folder / "progress.csv").is_file():
        facts = read_recorded(folder / "progress.csv")  # a planner may have edited it
    actuals = {}
    if (folder / "actuals.csv").is_file():
        table = pd.read_csv(folder / "actuals.csv")
        actuals = {int(r["year"]): YearActuals(**{k: float(r[k]) for k in ACTUAL_FIELDS
                                                  if k in r and pd.notna(r[k])})
                   for _, r in table.iterrows()}
    return PreviousResult(folder, plan, manifest, facts, actuals)


def previous_parcels(previous: PreviousResult, shipped: Path) -> tuple[Path, str | None]:
    """The parcels a re-plan runs on when none are given: the file the previous result was
    solved on (its manifest's first input; a planner's own parcels would otherwise be
    swapped for the shipped Turpan ones without a word), with a note when that is not
    ``shipped``; ``shipped`` for a result that records none. Raises InputError when the
    recorded file is gone."""
    inputs = previous.manifest.get("inputs") or []
    if not inputs or Path(inputs[0]).resolve() == shipped.resolve():
        return shipped, None
    recorded = Path(inputs[0])
    if not recorded.is_file():
        raise InputError([InputProblem(str(previous.folder / "manifest.json"), (
            f"the previous result was solved on the parcels {recorded}, which no longer "
            "exists: give the parcels to re-plan on with --parcels"))])
    return recorded, (f"parcels: {recorded}, the previous result's (--parcels to re-plan "
                      "on others)")


def plan_works(plan: pd.DataFrame) -> pd.DataFrame:
    """plan.csv's works: without the rows of failed and cancelled works paid in a recorded
    year (status failed, cancelled: money of the past, not works; progress.csv records
    them as facts)."""
    if "status" not in plan:
        return plan
    return plan[~plan["status"].isin(LAPSED_STATUSES)].reset_index(drop=True)


def previous_scenario(previous: PreviousResult) -> Scenario:
    """The scenario the previous result was solved with, as its manifest recorded it."""
    return scenario_from_dict(previous.manifest["scenario"],
                              source=str(previous.folder / "manifest.json"))


def inputs_changed(region: Region, previous: PreviousResult) -> bool:
    """Whether the region's input files differ from those the previous result used."""
    recorded = previous.manifest.get("inputs_sha256")
    return recorded is not None and recorded != sha256_of_inputs(region.paths.files())
