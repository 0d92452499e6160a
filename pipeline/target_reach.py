"""Targets the scenario's options cannot reach: ``run`` stops on them ("the scenario cannot
be met", optimizer/presolve.py) when all options matching a target's action, zone, county,
land cover and plan project together give less than its minimum. ``validate`` runs the
presolve's own check (:func:`optimizer.presolve.target_shortfall`) on the feasible pairs it
builds, or on the planner's option table, and names the scenario file and the target's key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.presolve import target_shortfall
from optimizer.problem import rule_matches
from region.errors import InputProblem
from region.io import Region
from region.projects import assign_projects
from region.scenario import Scenario


def unreachable_targets(scenario: Scenario, source: str, pairs: pd.DataFrame,
                        region: Region | None = None) -> list[InputProblem]:
    """One problem per target of ``scenario`` (read from ``source``) that ``pairs`` (one row
    per feasible parcel-action, or the planner's options) cannot reach, as the run's presolve
    would find it: every pair may start in every horizon year, less the locked-out options.
    A target on a plan project needs ``region``: its projects file the pairs as a run does."""
    years = np.array(scenario.horizon.years, dtype=np.int64)
    if (region is not None and not {"project_id", "work_id"} <= set(pairs.columns)
            and any(t.project is not None for t in scenario.targets)):
        pairs = assign_projects(pairs, region.projects, region.places)
    pairs = pairs[[c for c in ("parcel_id", "zone", "county", "action", "land_cover",
                               "area_km2", "project_id", "work_id",
                               "umbrella_id") if c in pairs.columns]]
    option_pair = np.repeat(np.arange(len(pairs)), len(years))
    frame = pairs.iloc[option_pair].reset_index(drop=True)
    frame["start_year"] = np.tile(years, len(pairs))
    locked_out = np.zeros(len(frame), bool)
    for rule in scenario.locked_out:
        locked_out |= rule_matches(frame, rule)
    problems = []
    for k, target in enumerate(scenario.targets):
        shortfall = target_shortfall(target, frame, option_pair, locked_out)
        if shortfall:
            problems.append(InputProblem(
                source, f"the scenario cannot be met: {shortfall} (run stops on it); lower the "
                        "minimum, widen the target's zone, county, land cover, action or "
                        "project, or the action's rules (actions.csv zones, land covers, "
                        "places; the scenario's spatial rules)",
                column=f"targets.{k}.minimum", value=target.minimum))
    return problems
