"""The progress reported so far, as facts of the re-plan (pipeline/replan.py).

A template to fill in, this year's report recorded over the earlier ones, partly done works
scaled to the area done, and the recorded facts as options of the problem
(optimizer/history.py's :class:`Past`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.history import Past
from optimizer.problem import Problem
from optimizer.stability import announced_options
from pipeline.replan_previous import FACT_COLUMNS, PreviousResult
from region.cycle import YearActuals
from region.progress import KEPT_STATUSES, KEY, STATUS_LABELS
from region.schema import CRITERIA


def progress_template(previous: PreviousResult, year: int) -> pd.DataFrame:
    """A progress table to fill in: every past work of the previous plan not yet recorded,
    as done, by both names (已完成 done, as region/progress.py reads it back; the planner
    changes what was not), with the action's names to read by."""
    plan = previous.plan
    past = plan[plan["start_year"] < year]
    if len(previous.facts):
        past = past[~pd.MultiIndex.from_frame(past[KEY]).isin(
            pd.MultiIndex.from_frame(previous.facts[KEY]))]
    names = [c for c in ("action_zh", "action_en", "area_km2") if c in past.columns]
    return past[KEY + names].assign(status=STATUS_LABELS["done"], area_km2_done=np.nan,
                                    cost_wan_actual=np.nan, new=False) \
        .rename(columns={"area_km2": "planned_area_km2"}).reset_index(drop=True)


def record_facts(earlier: pd.DataFrame, reported: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every progress row so far: this year's report over the earlier records (a row for
    the same work corrects the earlier one)."""
    reported = reported.assign(reported_for=year)
    earlier = earlier.reindex(columns=FACT_COLUMNS)
    if len(earlier):
        earlier = earlier[~pd.MultiIndex.from_frame(earlier[KEY]).isin(
            pd.MultiIndex.from_frame(reported[KEY]))]
    facts = pd.concat([earlier, reported[FACT_COLUMNS]], ignore_index=True) \
        if len(earlier) else reported[FACT_COLUMNS].reset_index(drop=True)
    return facts.astype({"parcel_id": "int64", "start_year": "int64", "new": bool}) \
        .sort_values(KEY, kind="stable").reset_index(drop=True)


def scale_partial_works(options: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The option table with each partly done pair scaled to the area done: area, cost,
    water and benefits (so its instalments still due, its water and its benefit are those
    of what was planted)."""
    partial = facts[facts["status"] == "partial"]
    if partial.empty:
        return options
    out = options.copy()
    index = pd.MultiIndex.from_frame(out[["parcel_id", "action"]])
    scaled = ["area_km2", "cost_wan", "water_wan_m3_per_yr",
              *[f"{p}{c}" for p in ("benefit_", "norm_") for c in CRITERIA]]
    for work in partial.itertuples():
        row = index.get_loc((work.parcel_id, work.action))
        share = min(work.area_km2_done / out["area_km2"].iat[row], 1.0)
        for column in scaled:
            out.iloc[row, out.columns.get_loc(column)] *= share
    return out


def _option_index(problem: Problem, works: pd.DataFrame) -> np.ndarray:
    """Option of each work (parcel_id, action, start_year); −1 when it has none."""
    return announced_options(problem, works).option


def past_of(problem: Problem, facts: pd.DataFrame, year: int,
            actuals: dict[int, YearActuals]) -> Past:
    """The recorded facts as options of the problem (see optimizer/history.py)."""
    facts = facts[facts["start_year"] < year].reset_index(drop=True)
    option = _option_index(problem, facts)
    kept = facts["status"].isin(KEPT_STATUSES).to_numpy() & (option >= 0)
    lapsed = ~facts["status"].isin(KEPT_STATUSES).to_numpy() & (option >= 0)
    paid = facts["cost_wan_actual"].to_numpy(float)
    # the re-plan that recorded each fact: its cost covers the years before it, and a
    # failed or cancelled work is paid nothing after it (not given: recorded now)
    recorded = facts.reindex(columns=["reported_for"])["reported_for"].fillna(year) \
        .to_numpy(np.int64)
    return Past(year, option[kept], paid[kept], option[lapsed], paid[lapsed],
                (facts["status"] == "failed").to_numpy()[lapsed], actuals,
                kept_recorded=recorded[kept], lapsed_recorded=recorded[lapsed])
