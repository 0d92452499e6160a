"""Past works whose action code today's catalogue no longer has at all: history from the
previous result's own record.

Between two years the bureau may rename or drop an action (actions.csv, or a scenario's
own option table). A work of the previous plan with such a code, done or partly done in a
past year, is still a fact: its money and water were spent, its parcel is taken. The
catalogue's parameters of the action (cost per km², cost and water years, effects, lag,
maturity, lifetime) are gone, so nothing is recomputed and nothing is invented; the re-plan
takes what the previous result recorded of the work (its plan.csv row, or the manifest of
an earlier re-plan that kept it: :func:`recorded_figures`):

* **cost and water** per horizon year, after the horizon, and its area, as recorded
  (a partly done one scaled to the area done, as any partial work);
* **names** in both languages, as recorded (the code is shown beside them);
* **benefits: none counted.** The criteria models need the action's effects, lag and
  maturity to say what the work earns from its start to the evaluation year on today's
  scale; the previous plan's benefit was scored on that plan's scale and weights and cannot
  be carried over as a figure of this one. So the kept work adds nothing to the objective,
  the plan's benefits or the region's potential; the console, the manifest
  (``replan.no_longer_allowed``: ``code_removed``, ``previous_value``), changes.csv,
  plan.csv and the lists say so, in Chinese and English.

The work then goes the way of a work today's rules no longer allow
(pipeline/replan_history.py): marked ``history_only``, open in no year but as the kept work
itself (optimizer/history.py); a failed or cancelled one is recorded, paid as any failed
one, never re-scheduled; an announced one of a year ahead is dropped, its reason naming the
code. To build the problem, the region's catalogue gets one row per such code, named as
recorded and with every parameter blank (:func:`with_former_actions`); the problem's rows
of the work are then set to the recorded figures (:func:`with_recorded_figures`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from optimizer.problem import Problem
from pipeline.replan_previous import PreviousResult
from region.io import Region
from region.progress import KEY
from region.schema import CRITERIA

#: Columns of :func:`former_works`: the no-longer-allowed works' columns and the record.
FIGURES = ["area_km2", "survival", "cost_after_horizon", "water_after_horizon",
           "previous_value"]


def removed_words(code: str, names: tuple[str, str]) -> tuple[str, str]:
    """Why such a work is history (its ``rule_zh``, ``rule_en``), in Chinese and English."""
    return (f"现行目录已无措施代码“{code}”（{names[0]}），按上一成果记录的费用、用水和面积计入，"
            "效益不计（该措施的参数已不在目录中）",
            f"today's catalogue has no action code '{code}' ({names[1]}) any more: its cost, "
            "water and area are counted as the previous result recorded them, its benefits "
            "are not (the action's parameters are no longer in the catalogue)")


def dropped_words(code: str, names: tuple[str, str]) -> tuple[str, str]:
    """The reason of an announced work of such a code, dropped."""
    return (f"现行目录已无措施代码“{code}”（{names[0]}），不再安排",
            f"today's catalogue has no action code '{code}' ({names[1]}) any more: dropped")


def _year_columns(prefix: str, table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c.startswith(prefix) and c[len(prefix):].isdigit()]


def recorded_figures(previous: PreviousResult) -> pd.DataFrame:
    """Per work the previous result recorded (its key), its names, area, survival and cost,
    water and saving per year: first what an earlier re-plan recorded of a work with a
    removed code (manifest ``replan.no_longer_allowed``, ``recorded``: the figures it took,
    where plan.csv holds the kept work with its benefit not counted, and no failed one),
    then plan.csv's rows."""
    plan = previous.plan.copy()
    plan["previous_value"] = plan.get("value", np.nan)
    earlier = [dict(work["recorded"], **{k: work[k] for k in KEY})
               for work in (previous.manifest.get("replan") or {}).get("no_longer_allowed", [])
               if work.get("recorded")]
    if earlier:
        plan = pd.concat([pd.DataFrame(earlier), plan], ignore_index=True)
    return plan.drop_duplicates(KEY).reset_index(drop=True)


def former_works(region: Region, previous: PreviousResult, year: int) -> pd.DataFrame:
    """The previous plan's works started before ``year`` and the works recorded so far whose
    action code today's catalogue does not have, on a parcel of the region, each with the
    record of it (:func:`recorded_figures`) and why it is history (``rule_zh``,
    ``rule_en``)."""
    works = pd.concat([previous.plan.reindex(columns=KEY), previous.facts.reindex(columns=KEY)],
                      ignore_index=True).dropna()
    works = works.astype({"parcel_id": "int64", "start_year": "int64"})
    works = works[(works["start_year"] < year)
                  & ~works["action"].isin(region.actions["code"])
                  & works["parcel_id"].isin(region.parcels["parcel_id"])]
    works = works.drop_duplicates(KEY).sort_values(KEY).reset_index(drop=True)
    figures = recorded_figures(previous).astype({"parcel_id": "int64", "start_year": "int64"})
    works = works.merge(figures.drop(columns=[c for c in figures.columns
                                              if c.startswith(("rule_", "kept", "status"))],
                                     errors="ignore"), on=KEY, how="left")
    numbers = [c for c in works.columns if c in FIGURES
               or (c.startswith(("cost_", "water_", "saving_")) and c[-4:].isdigit())]
    works[numbers] = works[numbers].apply(pd.to_numeric, errors="coerce")
    for language in ("zh", "en"):
        column = f"action_{language}"
        works[column] = works[column].fillna(works["action"]) if column in works \
            else works["action"]
    words = [removed_words(w.action, (w.action_zh, w.action_en))
             for w in works.itertuples(index=False)]
    works["rule_zh"] = [zh for zh, _ in words]
    works["rule_en"] = [en for _, en in words]
    return works


def former_options(works: pd.DataFrame, region: Region, options: pd.DataFrame
                   ) -> pd.DataFrame:
    """One option row per pair of ``works`` (:func:`former_works`), ``history_only``: the
    parcel's attributes as today's, the area and cost as recorded, no benefit."""
    if works.empty:
        return options.iloc[:0].assign(history_only=pd.Series(dtype=bool))
    pairs = works.drop_duplicates(["parcel_id", "action"])
    parcels = region.parcels.set_index("parcel_id")
    rows = pd.DataFrame({"parcel_id": pairs["parcel_id"].to_numpy(),
                         "action": pairs["action"].to_numpy(),
                         "area_km2": pairs["area_km2"].fillna(0.0).to_numpy(float)})
    for column in ("zone", "county", "land_cover"):
        if column in parcels:
            rows[column] = parcels[column].reindex(rows["parcel_id"]).to_numpy()
    rows["object_count"] = 0.0
    rows["cost_wan"] = (pairs[_year_columns("cost_", pairs)].sum(axis=1)
                        + pairs["cost_after_horizon"].fillna(0.0)).to_numpy(float)
    water = pairs[_year_columns("water_", pairs)].to_numpy(float)
    rows["water_wan_m3_per_yr"] = np.nanmax(water, axis=1, initial=0.0)
    for prefix in ("benefit_", "priority_", "norm_"):
        for c in CRITERIA:
            rows[f"{prefix}{c}"] = 0.0
    rows["score"] = 0.0
    return rows.reindex(columns=options.columns).assign(history_only=True)


def with_former_actions(region: Region, works: pd.DataFrame, source: str) -> Region:
    """The region with one catalogue row per removed code of ``works``: its names and the
    survival as recorded, every other parameter blank (the problem takes the work's figures
    from the record, :func:`with_recorded_figures`), ``rule_source`` naming ``source``."""
    if works.empty:
        return region
    codes = works.drop_duplicates("action")
    rows = pd.DataFrame({"code": codes["action"], "name_zh": codes["action_zh"],
                         "name_en": codes["action_en"],
                         "survival": codes["survival"].to_numpy(float),
                         "rule_source": f"not in today's catalogue: as recorded in {source}"})
    text = [c for c in region.actions.columns if region.actions[c].dtype == object
            or pd.api.types.is_string_dtype(region.actions[c])]
    rows = rows.reindex(columns=region.actions.columns)
    for column in text:
        rows[column] = rows[column].astype(object).where(rows[column].notna(), "")
    return replace(region, actions=pd.concat([region.actions, rows], ignore_index=True))


def with_recorded_figures(problem: Problem, works: pd.DataFrame,
                          previous_credit: float) -> Problem:
    """The problem with each option of a removed code costing and drawing water as its
    work recorded (at the work's start year; none at any other, where it is never open),
    scaled to the area of its option row (a partly done work's area done), and earning
    nothing. A failed or cancelled work no record holds (recorded by a re-plan made
    before its code was removed, whose manifest kept no figures of it) costs nothing here:
    what it was reported to have cost (``cost_wan_actual``) is counted in its start year
    (optimizer/history.py). plan.csv's water is net of the previous scenario's ``saving_credit``
    (``previous_credit``) times the saving: the demand is recovered and today's credit
    applied, as optimizer/problem.py nets it."""
    if works.empty:
        return problem
    options = problem.option_frame()
    years = list(problem.years)
    former = options["action"].isin(works["action"]).to_numpy()
    cost, water, saving = (m.tolil() for m in (problem.cost, problem.water, problem.saving))
    cost_after = problem.cost_after_horizon.copy()
    water_after = problem.water_after_horizon.copy()
    value, benefit_years = problem.value.copy(), problem.benefit_years.copy()
    record = works.set_index(KEY)
    credit = problem.scenario.water.saving_credit
    for i in np.flatnonzero(former):
        key = (int(options["parcel_id"].iat[i]), options["action"].iat[i],
               int(options["start_year"].iat[i]))
        value[i] = benefit_years[i] = 0.0
        zero = np.zeros(len(years))
        cost[i, :], water[i, :], saving[i, :] = zero, zero, zero
        cost_after[i] = water_after[i] = 0.0
        if key not in record.index:
            continue
        work = record.loc[key]
        area = float(np.nan_to_num(work["area_km2"]))
        share = float(options["area_km2"].iat[i]) / area if area > 0 else 1.0
        figure = {prefix: np.nan_to_num(np.array([float(work.get(f"{prefix}{y}", np.nan))
                                                  for y in years])) * share
                  for prefix in ("cost_", "water_", "saving_")}
        cost[i, :] = figure["cost_"]
        saving[i, :] = figure["saving_"]
        water[i, :] = figure["water_"] + (previous_credit - credit) * figure["saving_"]
        cost_after[i] = float(np.nan_to_num(work["cost_after_horizon"])) * share
        water_after[i] = float(np.nan_to_num(work["water_after_horizon"])) * share
    return replace(problem, cost=cost.tocsr(), water=water.tocsr(), saving=saving.tocsr(),
                   cost_after_horizon=cost_after, water_after_horizon=water_after,
                   value=value, benefit_years=benefit_years)


def figures_record(work: pd.Series) -> dict:
    """What the manifest keeps of such a work (``replan.no_longer_allowed``, ``recorded``),
    so that a later re-plan finds it when plan.csv no longer holds it: names, area,
    survival, the benefit value the previous plan gave it, cost, water and saving per
    year."""
    columns = ["action_zh", "action_en", *FIGURES,
               *[c for c in work.index if c.startswith(("cost_", "water_", "saving_"))
                 and c.split("_")[-1].isdigit()]]
    return {c: (None if pd.isna(work[c]) else work[c].item() if isinstance(work[c], np.generic)
                else work[c]) for c in columns if c in work.index}


def first_named(marks: pd.DataFrame, previous: PreviousResult, year: int) -> pd.Series:
    """Per work of ``marks``, the re-plan that first named it as history: the previous
    result's ``first_named`` (or its re-plan year) where it named the work with the same
    status, else ``year``. The console warns of a work once, when it is first named."""
    replan = previous.manifest.get("replan") or {}
    before = {(int(w["parcel_id"]), w["action"], int(w["start_year"]), w.get("status")):
              int(w.get("first_named", replan.get("year", year)))
              for w in replan.get("no_longer_allowed", [])}
    return pd.Series([before.get((int(w.parcel_id), w.action, int(w.start_year), w.status),
                                 year) for w in marks.itertuples(index=False)],
                     index=marks.index, dtype="int64")
