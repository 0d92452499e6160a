"""What changed between plans: works kept, moved, resized, dropped, added or replaced,
benefits, money and water.

The first result folder is the reference; every other one is compared with it. Works are
paired by (parcel, action) as the re-plan's ``changes.csv`` pairs them, with the same function
(pipeline/work_pairs.py): *moved* is the same parcel and action in another start year,
*resized* the same parcel, action and year with another area, *replaced* a work dropped on a
parcel where the other plan adds another action; the counts add up (works of the reference
− dropped − replaced out + added + replaced in = works of the plan). Water per year is
shown as gross use, the saving credited against it and the net use (gross − credited), so a
plan that drops water-saving irrigation does not read as saving water.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from outputs.labels import status_cell
from pipeline.work_pairs import CHANGE_WORDS, pair_works, reconcile
from region.errors import InputError, InputProblem
from region.progress import LAPSED_STATUSES
from region.schema import CRITERIA
from region.validate import read_csv_table

KEY = ["parcel_id", "action", "start_year"]
#: The changes counted per year (compare_years.csv), a replacement on each of its sides.
CHANGE_KINDS = ("added", "dropped", "moved", "resized", "replaced")
#: Water per year, 万m³: gross use, the saving credited against it, net use.
WATER_COLUMNS = ("water_use", "saving_credited", "net_water_use")


@dataclass(frozen=True)
class Result:
    """One result folder: its name, plan rows and manifest."""

    name: str
    plan: pd.DataFrame
    manifest: dict


def read_result(folder: Path) -> Result:
    """A result folder written by ``solve.py run`` (plan.csv and manifest.json)."""
    missing = [name for name in ("plan.csv", "manifest.json") if not (folder / name).is_file()]
    if missing:
        raise InputError([InputProblem(str(folder / missing[0]), f"{folder} has no "
                                       f"{' or '.join(missing)}: expected a result folder of "
                                       "'solve.py run' (plan.csv and manifest.json)")])
    plan = read_csv_table(folder / "plan.csv")
    missing = [c for c in (*KEY, "area_km2") if c not in plan.columns]
    if missing:
        raise InputError([InputProblem(str(folder / "plan.csv"),
                                       f"{folder}: missing column(s) {missing}: expected "
                                       "a plan.csv written by 'solve.py run'")])
    # a re-plan's rows of failed or cancelled works paid in a recorded year are money of
    # the past, not works (pipeline/replan_previous.plan_works): not paired
    works = (~plan["status"].isin(LAPSED_STATUSES) if "status" in plan.columns
             else pd.Series(True, index=plan.index))
    twice = np.flatnonzero(plan[works].duplicated(["parcel_id", "action"], keep=False)
                           .reindex(plan.index, fill_value=False).to_numpy())
    if len(twice):
        raise InputError([InputProblem(
            str(folder / "plan.csv"), f"parcel {plan['parcel_id'].iat[i]} holds action "
            f"{plan['action'].iat[i]} more than once: expected each (parcel, action) once, as "
            "'solve.py run' writes it", row=int(i) + 1, column="action",
            value=plan["action"].iat[i]) for i in twice])
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError([InputProblem(str(folder / "manifest.json"),
                                       f"not a readable manifest ({err})")]) from None
    if not isinstance(manifest, dict) or "objective" not in manifest:
        raise InputError([InputProblem(str(folder / "manifest.json"),
                                       "has no 'objective': expected the manifest of "
                                       "'solve.py run'")])
    return Result(folder.name, plan[works].reset_index(drop=True), manifest)


def read_results(folders: list[Path]) -> list[Result]:
    """Every result folder, all their problems reported at once; a folder given twice is
    one. Each plan is named by its folder, or by as much of its path as tells it from the
    others when two folders share a name (two colleagues' results/baseline)."""
    problems, results = [], []
    seen: dict[Path, Path] = {}
    for folder in folders:
        same = seen.setdefault(folder.resolve(), folder)
        if same is not folder:
            problems.append(InputProblem(str(folder), f"the same result folder as {same}: "
                                         "give each plan once"))
            continue
        try:
            results.append(read_result(folder))
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    names = distinct_names([folder.resolve() for folder in seen])
    return [Result(name, result.plan, result.manifest)
            for name, result in zip(names, results, strict=True)]


def distinct_names(folders: list[Path]) -> list[str]:
    """Each folder's name, lengthened by its parent folders (``a/baseline``, ``b/baseline``)
    until no two are the same."""
    for depth in range(1, max(len(f.parts) for f in folders) + 1):
        names = ["/".join(f.parts[-depth:]) for f in folders]
        if len(set(names)) == len(names):
            return names
    return [str(f) for f in folders]


def work_changes(reference: Result, other: Result) -> pd.DataFrame:
    """One row per work of either plan that is not kept unchanged: its change
    (pipeline/work_pairs.py), start year and area in the reference (``_ref``) and in the
    other plan (``_other``), and for a replacement the other side's action(s)."""
    pairs = pair_works(reference.plan, other.plan)
    pairs = pairs[pairs["change"] != "kept"].rename(columns={
        "start_before": "start_year_ref", "start_after": "start_year_other",
        "area_before": "area_km2_ref", "area_after": "area_km2_other"})
    pairs.insert(0, "plan", other.name)
    pairs.insert(pairs.columns.get_loc("change") + 1, "change_zh",
                 pairs["change"].map(lambda kind: CHANGE_WORDS[kind][0]))
    return with_plan_names(pairs, [reference, other], ("action",)).reset_index(drop=True)


def with_plan_names(table: pd.DataFrame, results: list[Result],
                    columns: tuple[str, ...]) -> pd.DataFrame:
    """``table`` with ``<column>_zh`` and ``<column>_en`` after each coded column (action,
    county) whose names the plans' plan.csv give (codes compared as text: county 650402
    reads 高昌区 Gaochang District); a plan without the names (an older plan.csv) adds none,
    a code no plan names keeps the code."""
    for column in columns:
        wanted = [column, f"{column}_zh", f"{column}_en"]
        names = pd.concat([r.plan.reindex(columns=wanted) for r in results]) \
            .dropna(subset=wanted[1:], how="all")
        if names.empty or column not in table:
            continue
        names = names.assign(**{column: names[column].astype(str)}) \
            .drop_duplicates(column).set_index(column)
        codes = table[column].astype(str)
        at = table.columns.get_loc(column) + 1
        for k, name in enumerate(wanted[1:]):
            table.insert(at + k, name, codes.map(names[name]).fillna(codes).to_numpy())
    return table


def _credited(year: dict) -> float:
    """The saving credited against new use in one manifest year, summed over the water
    accounts (NaN: a result without the accounts' record)."""
    counties = year.get("counties")
    if not isinstance(counties, dict) or not counties:
        return math.nan
    return float(sum(float(a.get("saving_credited") or 0.0) for a in counties.values()))


def _per_year(result: Result) -> pd.DataFrame:
    """Per year: spend, gross water use (the works' water and the lake's delivery),
    the saving credited against it and the net use (gross − credited), and works started."""
    years = result.manifest.get("years", {})
    started = result.plan.groupby("start_year").size()
    use = [v.get("water_use") for v in years.values()]
    credited = [_credited(v) for v in years.values()]
    return pd.DataFrame({
        "year": [int(y) for y in years],
        "spend": [v.get("spend") for v in years.values()],
        "water_use": use,
        "saving_credited": credited,
        "net_water_use": [math.nan if u is None else u - c
                          for u, c in zip(use, credited, strict=True)],
        "options_started": [int(started.get(int(y), 0)) for y in years],
    })


def _per_county_action(result: Result) -> pd.DataFrame:
    """Area, water used and water saved over the horizon per county and action of one plan
    (water_<year> and saving_<year> columns of plan.csv, 万m³; 0 where a plan has none)."""
    plan = result.plan.assign(county=result.plan.get("county", "—"))
    plan["county"] = plan["county"].astype(str)
    water = [c for c in plan.columns if c.startswith("water_") and c[6:].isdigit()]
    saving = [c for c in plan.columns if c.startswith("saving_") and c[7:].isdigit()]
    plan = plan.assign(water_wan_m3=plan[water].sum(axis=1) if water else 0.0,
                       saving_wan_m3=plan[saving].sum(axis=1) if saving else 0.0)
    return (plan.groupby(["county", "action"])[["area_km2", "water_wan_m3", "saving_wan_m3"]]
            .sum())


def where_plans_differ(results: list[Result]) -> pd.DataFrame:
    """Per plan, county and action: area km², water used and saved over the horizon (万m³),
    with their differences against ``results[0]``; only (county, action) pairs where some
    plan differs from the reference. This says *where* a scenario moves the plan. The
    county and action codes come with their names where the plans give them."""
    tables = {result.name: _per_county_action(result) for result in results}
    index = sorted(set().union(*(t.index for t in tables.values())))
    reference = tables[results[0].name].reindex(index, fill_value=0.0)
    frames = []
    for name, table in tables.items():
        table = table.reindex(index, fill_value=0.0)
        delta = (table - reference).add_prefix("delta_")
        frames.append(table.join(delta).assign(plan=name))
    where = pd.concat(frames).reset_index()
    differs = where.filter(like="delta_").abs().max(axis=1) > 1e-9
    keys = set(zip(where.loc[differs, "county"], where.loc[differs, "action"], strict=True))
    keep = [(c, a) in keys for c, a in zip(where["county"], where["action"], strict=True)]
    columns = ["plan", "county", "action", "area_km2", "delta_area_km2", "water_wan_m3",
               "delta_water_wan_m3", "saving_wan_m3", "delta_saving_wan_m3"]
    return with_plan_names(where.loc[keep, columns].reset_index(drop=True), results,
                           ("county", "action"))


def _objective_kind(result: Result) -> str:
    return str(result.manifest.get("objective_kind") or "benefit").split(":")[0]


def _differ(a: dict | None, b: dict | None) -> bool:
    """Two {criterion: number} records differ (None where a record is missing: unknown,
    not different; a result written before the record existed)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    for key in set(a) | set(b):
        x, y = a.get(key), b.get(key)
        if (x is None) != (y is None) or (x is not None and not math.isclose(
                float(x), float(y), rel_tol=1e-6, abs_tol=1e-12)):
            return True
    return False


def objective_mismatch(reference: Result, other: Result) -> str:
    """Why the two objectives are not on one scale ("" when they are): another objective
    (minimum cost), other weights, or benefits normalised to another budget (each run
    scales a criterion to what its own horizon budget buys, criteria/normalise.py, so a
    run with less money can show a larger objective). The benefits per criterion are in
    physical units and compare whatever the reason."""
    why = []
    if _objective_kind(other) != _objective_kind(reference):
        why.append(f"another objective ({_objective_kind(other)}, not "
                   f"{_objective_kind(reference)})")
    if _differ(reference.manifest.get("weights"), other.manifest.get("weights")):
        why.append("other weights")
    if _differ(reference.manifest.get("criterion_scales"),
               other.manifest.get("criterion_scales")):
        why.append("benefits normalised to another horizon budget")
    return "; ".join(why)


def compare(results: list[Result]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(summary per plan, per plan and year, per-parcel changes) against ``results[0]``.
    ``delta_objective`` is NaN where the objectives are not on one scale; the summary's
    ``objective_mismatch`` says why (:func:`objective_mismatch`)."""
    reference = results[0]
    summary, yearly, changes = [], [], []
    for result in results:
        totals = result.manifest.get("criterion_totals", {})
        status, gap = result.manifest.get("status"), result.manifest.get("gap")
        pairs = pair_works(reference.plan, result.plan)
        summary.append({"plan": result.name, "status": status,
                        "solved": status_cell(status, gap) if status is not None else None,
                        "objective": result.manifest.get("objective"),
                        "gap": result.manifest.get("gap"),
                        "objective_mismatch": objective_mismatch(reference, result),
                        "options": len(result.plan),
                        **reconcile(pairs, len(reference.plan), len(result.plan)),
                        "area_km2": float(result.plan["area_km2"].sum()),
                        **{f"benefit_{c}": totals.get(c) for c in CRITERIA}})
        year_rows = _per_year(result).assign(plan=result.name)
        if result is not reference:
            diff = work_changes(reference, result)
            changes.append(diff)
            when = diff["start_year_other"].fillna(diff["start_year_ref"])
            for kind in CHANGE_KINDS:
                count = when[diff["change"] == kind].value_counts()
                year_rows[kind] = year_rows["year"].map(count).fillna(0).astype(int)
        yearly.append(year_rows)
    summary_frame = pd.DataFrame(summary)
    base = summary_frame.iloc[0]
    for column in ("objective", "options", "area_km2", *[f"benefit_{c}" for c in CRITERIA]):
        summary_frame[f"delta_{column}"] = pd.to_numeric(summary_frame[column]) - pd.to_numeric(
            base[column])
    summary_frame.loc[summary_frame["objective_mismatch"] != "", "delta_objective"] = np.nan
    yearly_frame = pd.concat(yearly, ignore_index=True)
    ref_year = yearly_frame[yearly_frame["plan"] == reference.name].set_index("year")
    for column in ("spend", *WATER_COLUMNS):
        yearly_frame[f"delta_{column}"] = (yearly_frame[column]
                                           - yearly_frame["year"].map(ref_year[column]))
    change_frame = (pd.concat(changes, ignore_index=True) if changes
                    else pd.DataFrame(columns=["plan", "parcel_id", "action", "change"]))
    return summary_frame, yearly_frame, change_frame
