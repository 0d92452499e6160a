"""What changed between plans: parcels added, dropped or moved, benefits, money and water.

The first result folder is the reference; every other one is compared with it. A parcel is
*added* when only the other plan treats it, *dropped* when only the reference does, and
*moved* when both do with a different action or start year.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from outputs.labels import status_cell
from region.errors import InputError, InputProblem
from region.schema import CRITERIA
from region.validate import read_csv_table

KEY = ["parcel_id", "action", "start_year"]


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
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError([InputProblem(str(folder / "manifest.json"),
                                       f"not a readable manifest ({err})")]) from None
    if not isinstance(manifest, dict) or "objective" not in manifest:
        raise InputError([InputProblem(str(folder / "manifest.json"),
                                       "has no 'objective': expected the manifest of "
                                       "'solve.py run'")])
    return Result(folder.name, plan, manifest)


def read_results(folders: list[Path]) -> list[Result]:
    """Every result folder, all their problems reported at once."""
    problems, results = [], []
    for folder in folders:
        try:
            results.append(read_result(folder))
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return results


def parcel_changes(reference: Result, other: Result) -> pd.DataFrame:
    """One row per parcel whose treatment differs: change, reference and other action/year."""
    left = reference.plan.groupby("parcel_id")[["action", "start_year"]].first()
    right = other.plan.groupby("parcel_id")[["action", "start_year"]].first()
    both = left.add_suffix("_ref").join(right.add_suffix("_other"), how="outer")
    change = pd.Series("moved", index=both.index)
    change[both["action_ref"].isna()] = "added"
    change[both["action_other"].isna()] = "dropped"
    same = ((both["action_ref"] == both["action_other"])
            & (both["start_year_ref"] == both["start_year_other"]))
    both = both.assign(change=change)[~same].reset_index()
    both.insert(0, "plan", other.name)
    return both


def _per_year(result: Result) -> pd.DataFrame:
    years = result.manifest.get("years", {})
    started = result.plan.groupby("start_year").size()
    return pd.DataFrame({
        "year": [int(y) for y in years],
        "spend": [v.get("spend") for v in years.values()],
        "water_use": [v.get("water_use") for v in years.values()],
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
    plan differs from the reference. This says *where* a scenario moves the plan."""
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
    return where.loc[keep, columns].reset_index(drop=True)


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
        summary.append({"plan": result.name, "status": status,
                        "solved": status_cell(status, gap) if status is not None else None,
                        "objective": result.manifest.get("objective"),
                        "gap": result.manifest.get("gap"),
                        "objective_mismatch": objective_mismatch(reference, result),
                        "options": len(result.plan),
                        "area_km2": float(result.plan["area_km2"].sum()),
                        **{f"benefit_{c}": totals.get(c) for c in CRITERIA}})
        year_rows = _per_year(result).assign(plan=result.name)
        if result is not reference:
            diff = parcel_changes(reference, result)
            changes.append(diff)
            counts = {kind: diff.loc[diff["change"] == kind]
                      .assign(year=lambda d: d["start_year_other"].fillna(d["start_year_ref"]))
                      .groupby("year").size() for kind in ("added", "dropped", "moved")}
            for kind, count in counts.items():
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
    for column in ("spend", "water_use"):
        yearly_frame[f"delta_{column}"] = (yearly_frame[column]
                                           - yearly_frame["year"].map(ref_year[column]))
    change_frame = (pd.concat(changes, ignore_index=True) if changes
                    else pd.DataFrame(columns=["plan", "parcel_id", "change"]))
    return summary_frame, yearly_frame, change_frame
