"""Which plan a sensitivity analysis compares its samples with, and how that plan relates
to the plan of the result folder the analysis is written into.

The analysis solves its own base plan (sensitivity/analysis.py base_context): the samples
are warm-started from that solve's full solution vector, which plan.csv does not hold (it
lists the chosen works, not the model's other columns). So the base is a fresh solve; when
the analysis is written into a result folder of ``solve.py run`` (results/<scenario>/
sensitivity beside plan.csv), the summary says whether that solve gave the folder's plan,
with both objectives, and counts works (项措施: a parcel with two works counts twice) apart
from parcels (个地块).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.replan_previous import plan_works

#: plan.csv's columns that name a work.
WORK_COLUMNS = ["parcel_id", "action", "start_year"]


def plan_counts(chosen: str) -> tuple[int, int]:
    """(works, parcels) of a run's ``chosen`` field ("parcel:year" per work)."""
    items = chosen.split()
    return len(items), len({item.split(":")[0] for item in items})


def folder_plan(out_dir: Path | None, base_items: frozenset[tuple[int, str, int]]
                ) -> dict | None:
    """The plan of the result folder ``out_dir`` lies in (its plan.csv and manifest.json):
    folder, objective, works, parcels and whether it is the base plan (the same parcels,
    actions and start years); None when that folder holds no such plan."""
    if out_dir is None:
        return None
    folder = out_dir.parent
    if not ((folder / "plan.csv").is_file() and (folder / "manifest.json").is_file()):
        return None
    plan = pd.read_csv(folder / "plan.csv", encoding="utf-8-sig")
    if not set(WORK_COLUMNS) <= set(plan.columns):
        return None
    plan = plan_works(plan)  # a re-plan's paid rows of failed or cancelled works: no works
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    items = frozenset((int(p), str(a), int(y)) for p, a, y in
                      plan[WORK_COLUMNS].itertuples(index=False))
    objective = manifest.get("objective")
    return {"folder": str(folder), "objective": None if objective is None else float(objective),
            "works": len(plan), "parcels": int(plan["parcel_id"].nunique()),
            "same_plan": items == base_items}


def base_lines(base: dict, folder: dict | None) -> tuple[str, str]:
    """The base plan in one sentence, Chinese and English: a fresh solve, its objective,
    works and parcels, and whether it is the folder's plan (with that plan's objective)."""
    works, parcels = plan_counts(base.get("chosen", ""))
    objective = base.get("objective")
    said = "n/a" if objective is None else f"{objective:.6g}"
    zh = (f"基准方案：本分析重新求解（目标值 {said}，{works} 项措施，{parcels} 个地块），"
          "各样本与之比较")
    en = (f"Base plan: solved afresh by this analysis (objective {said}, {works} works on "
          f"{parcels} parcels); every sample is compared with it")
    if folder is None:
        return zh + "。", en + "."
    other = "n/a" if folder["objective"] is None else f"{folder['objective']:.6g}"
    where = f"{folder['folder']}/plan.csv"
    if folder["same_plan"]:
        return (zh + f"；与结果文件夹的方案 {where}（目标值 {other}）相同"
                "（地块、措施与开始年份一致）。",
                en + f"; it is the plan of the result folder, {where} (objective {other}): "
                "the same parcels, actions and start years.")
    return (zh + f"；与结果文件夹的方案 {where}（目标值 {other}，{folder['works']} 项措施，"
            f"{folder['parcels']} 个地块）不同，本分析的稳健核心与相似度均相对于重新求解的方案。",
            en + f"; it is not the plan of the result folder, {where} (objective {other}, "
            f"{folder['works']} works on {folder['parcels']} parcels): the robust core and "
            "the similarities here are against the fresh solve.")
