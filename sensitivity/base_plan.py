"""Which plan a sensitivity analysis compares its samples with, and how that plan relates
to the plan of the result folder the analysis is written into.

Written into a result folder of ``solve.py run`` (results/<scenario>/sensitivity beside
plan.csv), the analysis uses that folder's plan as its base when the plan was solved from
the same inputs: the input files' SHA-256, the scenario (its name, description and
[sensitivity] table aside: they shape neither the problem nor its solve) and the seed, as
its manifest.json records them, and plan.csv as it was written. A fresh solve would give
that plan again; using it saves the solve and the report speaks of the plan the planner
has. The samples are warm-started from the base's full solution vector, which plan.csv does
not hold (it lists the chosen works, not the model's other columns): it is rebuilt from the
works (optimizer/greedy.py complete_options), and the folder's plan is used only when
today's model gives it the objective its manifest records. Otherwise (other inputs, another
plan, no folder) the base is a fresh solve, and the summary says why the folder's plan was
not used and whether the fresh solve gave it anyway, with both objectives; works (项措施: a
parcel with two works counts twice) are counted apart from parcels (个地块).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel
from optimizer.greedy import complete_options
from optimizer.problem import Problem
from pipeline.replan_previous import plan_works
from region.scenario import Scenario
from storage import edited_entries

#: plan.csv's columns that name a work.
WORK_COLUMNS = ["parcel_id", "action", "start_year"]
#: The scenario's keys that shape neither the plan's problem nor its solve: a label, a
#: note, and what the sensitivity analysis samples.
NOT_THE_PLAN = frozenset({"name", "description", "sensitivity"})
#: How far today's objective of the folder's works may lie from the one its manifest
#: records, relative: float noise of a re-summed objective, not another model.
SAME_OBJECTIVE = 1e-6

Reason = tuple[str, str]  # (Chinese, English)


@dataclass(frozen=True)
class FolderResult:
    """The plan of the result folder an analysis is written into: its works and manifest."""

    folder: Path
    works: pd.DataFrame
    manifest: dict

    @property
    def items(self) -> frozenset[tuple[int, str, int]]:
        """The works as (parcel, action, start year)."""
        return frozenset((int(p), str(a), int(y)) for p, a, y in
                         self.works[WORK_COLUMNS].itertuples(index=False))


def plan_counts(chosen: str) -> tuple[int, int]:
    """(works, parcels) of a run's ``chosen`` field ("parcel:year" per work)."""
    items = chosen.split()
    return len(items), len({item.split(":")[0] for item in items})


def read_folder(out_dir: Path | None) -> FolderResult | None:
    """The plan of the result folder ``out_dir`` lies in (its plan.csv and manifest.json);
    None when that folder holds no such plan."""
    if out_dir is None:
        return None
    folder = out_dir.parent
    if not ((folder / "plan.csv").is_file() and (folder / "manifest.json").is_file()):
        return None
    plan = pd.read_csv(folder / "plan.csv", encoding="utf-8-sig")
    if not set(WORK_COLUMNS) <= set(plan.columns):
        return None
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    # a re-plan's paid rows of failed or cancelled works: no works
    return FolderResult(folder, plan_works(plan), manifest if isinstance(manifest, dict) else {})


def why_not_same_inputs(held: FolderResult, inputs_sha256: str, scenario: Scenario
                        ) -> list[Reason]:
    """Why the folder's plan is not what a fresh solve of ``scenario`` on inputs hashed
    ``inputs_sha256`` gives (empty: it is), by what its manifest.json records."""
    manifest, reasons = held.manifest, []
    writer = next((w for w in ("replan", "sweep", "pareto") if manifest.get(w)), None)
    if writer is not None:
        reasons.append((f"它由 {writer} 写出，不是本情景的一次求解",
                        f"it was written by '{writer}', not solved from this scenario alone"))
    if manifest.get("objective_kind"):
        reasons.append(("它是最小投资方案（run --objective min_cost）",
                        "it is the cheapest plan (run --objective min_cost)"))
    if manifest.get("inputs_sha256") != inputs_sha256:
        reasons.append(("输入文件与其 manifest.json 记录的不同（SHA-256）",
                        "the input files differ from those its manifest.json records "
                        "(SHA-256)"))
    if manifest.get("seed") != scenario.seed:
        reasons.append((f"随机种子不同（{manifest.get('seed')} ≠ {scenario.seed}）",
                        f"the seed differs ({manifest.get('seed')} ≠ {scenario.seed})"))
    recorded = manifest.get("scenario")
    now = json.loads(json.dumps(scenario.model_dump(mode="json")))
    if not isinstance(recorded, dict):
        reasons.append(("其 manifest.json 未记录情景", "its manifest.json records no scenario"))
    else:
        keys = sorted(k for k in set(recorded) | set(now) if k not in NOT_THE_PLAN
                      and k != "seed" and recorded.get(k) != now.get(k))  # seed: above
        if keys:
            said = ", ".join(f"[{k}]" for k in keys)
            reasons.append((f"情景的 {said} 不同",
                            f"the scenario's {said} {'differ' if len(keys) > 1 else 'differs'}"))
    if manifest.get("heuristics", {}).get("reproducible") is False:
        reasons.append(("其求解被时钟截断，同样输入的重新求解可能得到另一方案",
                        "its solve was cut short by the clock, so a fresh solve of the same "
                        "inputs may give another plan"))
    edited = [name for name in edited_entries(held.folder) if name == "plan.csv"]
    if edited:
        reasons.append(("其 plan.csv 在写出后被修改", "its plan.csv was edited after it was "
                                                       "written"))
    return reasons


def folder_solution(held: FolderResult, problem: Problem, model: CompiledModel,
                    threads: int) -> tuple[np.ndarray | None, list[Reason]]:
    """The folder's plan as a full solution of ``model`` (its works' options, the other
    columns set by an LP), or None and why not: a work with no option in today's model, a
    rule it breaks, or an objective other than the one its manifest records."""
    frame = problem.option_frame()
    index = {key: k for k, key in enumerate(zip(
        frame["parcel_id"].astype(int), frame["action"].astype(str),
        frame["start_year"].astype(int), strict=True))}
    missing = [item for item in held.items if item not in index]
    if missing:
        return None, [(f"其 {len(missing)} 项措施在今日的模型中没有对应的选项",
                       f"{len(missing)} of its works have no option in today's model")]
    chosen = np.zeros(problem.n_options, bool)
    chosen[[index[item] for item in held.items]] = True
    x = complete_options(model, problem.n_options, chosen, threads)
    if x is None:
        return None, [("它违反今日模型的约束", "it breaks a rule of today's model")]
    recorded, today = held.manifest.get("objective"), model.objective_value(x)
    if recorded is None or abs(today - float(recorded)) > SAME_OBJECTIVE * max(
            1.0, abs(float(recorded))):
        said = "n/a" if recorded is None else f"{float(recorded):.6g}"
        return None, [(f"今日的模型对它的目标值为 {today:.6g}，而其 manifest.json 记录 {said}"
                       "（由其他版本写出？）",
                       f"today's model gives it the objective {today:.6g}, not the {said} "
                       "its manifest.json records (written by another version?)")]
    return x, []


def folder_plan(held: FolderResult | None, base_items: frozenset[tuple[int, str, int]],
                reused: bool = False, why_not: list[Reason] | None = None) -> dict | None:
    """What analysis.json and the report say of the folder's plan: folder, objective,
    works, parcels, whether it is the base plan (the same parcels, actions and start
    years), whether it was used as the base (``reused``) and, if not, why (``why_not``);
    None without a folder plan."""
    if held is None:
        return None
    objective = held.manifest.get("objective")
    return {"folder": str(held.folder),
            "objective": None if objective is None else float(objective),
            "works": len(held.works), "parcels": int(held.works["parcel_id"].nunique()),
            "same_plan": held.items == base_items, "reused": reused,
            "why_not_reused": None if reused or not why_not else
            {"zh": "；".join(zh for zh, _ in why_not), "en": "; ".join(en for _, en in why_not)}}


def base_lines(base: dict, folder: dict | None) -> tuple[str, str]:
    """The base plan in one sentence, Chinese and English: the folder's plan used as it is,
    or a fresh solve (why the folder's plan was not used), its objective, works and
    parcels, and whether it is the folder's plan (with that plan's objective)."""
    works, parcels = plan_counts(base.get("chosen", ""))
    objective = base.get("objective")
    said = "n/a" if objective is None else f"{objective:.6g}"
    if folder is not None and folder.get("reused"):
        where = f"{folder['folder']}/plan.csv"
        return (f"基准方案：结果文件夹的方案 {where}（目标值 {said}，{works} 项措施，{parcels} "
                "个地块）；它由相同的输入求解（输入文件 SHA-256、情景与随机种子均与其 "
                "manifest.json 记录一致），本分析直接采用，未重新求解；各样本与之比较。",
                f"Base plan: the plan of the result folder, {where} (objective {said}, "
                f"{works} works on {parcels} parcels), solved from the same inputs (input "
                "files' SHA-256, scenario and seed as its manifest.json records): used as it "
                "is, not solved afresh; every sample is compared with it.")
    zh = (f"基准方案：本分析重新求解（目标值 {said}，{works} 项措施，{parcels} 个地块），"
          "各样本与之比较")
    en = (f"Base plan: solved afresh by this analysis (objective {said}, {works} works on "
          f"{parcels} parcels); every sample is compared with it")
    if folder is None:
        return zh + "。", en + "."
    why = folder.get("why_not_reused")
    if why:
        zh += f"；未采用结果文件夹的方案作基准，因为{why['zh']}"
        en += f"; the result folder's plan was not used as the base because {why['en']}"
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
