"""The yearly cycle: re-plan the years ahead from what was done.

Each autumn the bureau reports the year's works (``progress.csv``: done, partly done,
failed, cancelled; what they cost) and, if it differs, the money and water the year had;
the scenario may change the limits ahead. :func:`replan` then

1. checks the progress against the previous result (every past work reported, no unknown
   or impossible work: region/progress.py), all problems at once;
2. solves the whole horizon again with the past fixed as it happened
   (optimizer/history.py): kept works locked in and paid as paid, failed and cancelled ones
   free from the re-planned year on, the money carried and the water used as they were;
3. with stability against the previous plan's works for the years ahead still to do
   (a work reported done early is not announced again: :func:`announced_ahead`)
   (optimizer/stability.py): by default it changes only what the new facts require (the
   fewest announced works moved or dropped that any plan meeting every rule needs, proven
   by the integer programme, then the best benefit), or, with ``[replan]`` penalties, trades
   benefit against changes;
4. writes what ``run`` writes, plus ``changes.csv`` (pipeline/changes.py), the progress
   recorded so far (``progress.csv``, ``actuals.csv``: the next re-plan starts from them),
   and the report opens with the next year's priority list and the changes; the past years
   the actuals give are shown as reported, with a warning where they contradict the
   progress (pipeline/reported.py).

The result folder is a previous result for the next year's re-plan.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel
from optimizer.greedy import complete_options
from optimizer.history import History, Past, compile_with_past
from optimizer.plan import Plan
from optimizer.problem import Problem
from optimizer.solve_stage import solve_compiled
from optimizer.stability import (
    Announced,
    announced_options,
    changes,
    keep_all,
    keep_at_least,
    keep_count_objective,
    penalised,
)
from optimizer.stages import ProgressFn
from outputs.bundle import write_planner_outputs
from outputs.labels import action_names
from outputs.priorities import priority_lists
from outputs.report import html_table, paragraphs
from pipeline.changes import Reason, replan_changes
from pipeline.reported import (
    contradictions,
    overspends,
    reported_notes,
    restate_past_years,
)
from pipeline.rule_words import rule_words
from pipeline.run import Formulation, PreparedInputs, RunOutcome, prepare, run_scenario
from region.cycle import YearActuals
from region.errors import InputError, InputProblem
from region.files import sha256_of_inputs
from region.io import Region
from region.progress import (
    KEPT_STATUSES,
    KEY,
    ProgressContext,
    merge_actuals,
    read_actuals,
    read_progress,
)
from region.scenario import Scenario, scenario_from_dict
from region.schema import CRITERIA
from region.validate import split_list
from storage import CSV_FLOATS

FACT_COLUMNS = ["parcel_id", "action", "start_year", "status", "area_km2_done",
                "cost_wan_actual", "new", "reported_for"]
ACTUAL_FIELDS = ["budget_wan", "spend_wan", "water_wan_m3"]
ADDED = {"strict": ("新增：利用结余资金和水量", "added with the money and water left"),
         "penalties": ("新增：调整后综合效益更高", "added: a better use of the money and water")}


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
    plan = pd.read_csv(folder / "plan.csv")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if "scenario" not in manifest:
        raise InputError([InputProblem(str(folder / "manifest.json"),
                                       "no scenario recorded: re-run it with 'solve.py run'")])
    facts = pd.DataFrame(columns=FACT_COLUMNS)
    if (folder / "progress.csv").is_file():
        facts = pd.read_csv(folder / "progress.csv")
    actuals = {}
    if (folder / "actuals.csv").is_file():
        table = pd.read_csv(folder / "actuals.csv")
        actuals = {int(r["year"]): YearActuals(**{k: float(r[k]) for k in ACTUAL_FIELDS
                                                  if k in r and pd.notna(r[k])})
                   for _, r in table.iterrows()}
    return PreviousResult(folder, plan, manifest, facts, actuals)


def previous_scenario(previous: PreviousResult) -> Scenario:
    """The scenario the previous result was solved with, as its manifest recorded it."""
    return scenario_from_dict(previous.manifest["scenario"],
                              source=str(previous.folder / "manifest.json"))


def _check_year(previous: PreviousResult, scenario: Scenario, year: int, source: str) -> None:
    horizon = scenario.horizon
    problems = []
    if not horizon.start < year <= horizon.end:
        problems.append(f"--year {year}: a re-plan needs a year after the horizon's first "
                        f"({horizon.start}) and within it (to {horizon.end})")
    if previous.replanned_from is not None and year < previous.replanned_from:
        problems.append(f"--year {year}: the previous result was re-planned from "
                        f"{previous.replanned_from} already; re-plan from that year or later")
    starts = previous.plan["start_year"]
    outside = previous.plan[(starts < horizon.start) | (starts > horizon.end)]
    if len(outside):
        problems.append(f"the previous plan has works outside the horizon {horizon.start}-"
                        f"{horizon.end} (e.g. parcel {outside['parcel_id'].iat[0]} in "
                        f"{outside['start_year'].iat[0]}): use the same horizon")
    if problems:
        raise InputError([InputProblem(source, p) for p in problems])


def progress_template(previous: PreviousResult, year: int) -> pd.DataFrame:
    """A progress table to fill in: every past work of the previous plan not yet recorded,
    as done (the planner changes what was not), with the action's names to read by."""
    plan = previous.plan
    past = plan[plan["start_year"] < year]
    if len(previous.facts):
        past = past[~pd.MultiIndex.from_frame(past[KEY]).isin(
            pd.MultiIndex.from_frame(previous.facts[KEY]))]
    names = [c for c in ("action_zh", "action_en", "area_km2") if c in past.columns]
    return past[KEY + names].assign(status="done", area_km2_done=np.nan,
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


def announced_ahead(plan: pd.DataFrame, facts: pd.DataFrame, year: int) -> pd.DataFrame:
    """The previous plan's works from ``year`` on that are still to do: a work the progress
    reports done or partly done in an earlier year (done early) occupies that year only, its
    money and water counted there (optimizer/history.py); its announced slot is not a work
    to keep as well (it was: the same work counted twice, so 'can every announced work
    stay' failed and a work was dropped for a later year's money)."""
    ahead = plan.loc[plan["start_year"] >= year, KEY]
    kept = facts[(facts["start_year"] < year) & facts["status"].isin(KEPT_STATUSES)]
    done = pd.MultiIndex.from_frame(kept[["parcel_id", "action"]])
    return ahead[~pd.MultiIndex.from_frame(ahead[["parcel_id", "action"]]).isin(done)] \
        .reset_index(drop=True)


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


@dataclass
class ReplanModel:
    """The re-plan's formulation (a ``pipeline.run.Formulate``): the past fixed, stability
    against the announced works. Calling it solves the 'fewest changes' step when the
    announced works cannot all stay; what it found is kept for the changes table.
    ``announced_works``: the works still to do (:func:`announced_ahead`); ``done_early``:
    how many more the previous plan had from ``year`` on, reported done before it."""

    facts: pd.DataFrame
    year: int
    actuals: dict[int, YearActuals]
    announced_works: pd.DataFrame
    previous_objective: float
    progress: ProgressFn | None = None
    done_early: int = 0
    history: History | None = field(default=None, init=False)
    announced: Announced | None = field(default=None, init=False)
    conflicts: dict[int, list[str]] = field(default_factory=dict, init=False)
    record: dict = field(default_factory=dict, init=False)

    def __call__(self, problem: Problem) -> Formulation:
        say = self.progress or (lambda _msg: None)
        past = past_of(problem, self.facts, self.year, self.actuals)
        problem, model, layout, self.history = compile_with_past(problem, past)
        self.announced = announced_options(problem, self.announced_works)
        keepable = self.announced.keepable
        chosen = np.zeros(problem.n_options, bool)
        chosen[past.kept] = True
        chosen[keepable] = True
        threads = problem.scenario.solver.threads
        start = complete_options(model, problem.n_options, chosen, threads)
        if start is None:
            self.conflicts = _conflicts(model, problem.n_options, chosen, keepable)
        settings = problem.scenario.replan
        record = {"year": self.year, "announced_works": len(self.announced_works),
                  "announced_done_early": self.done_early,
                  "announced_still_possible": int(len(keepable)),
                  "all_announced_can_stay": start is not None,
                  "history": self.history.record(),
                  "facts": self.facts["status"].value_counts().to_dict()}
        if not settings.strict:
            scale = abs(self.previous_objective) or 1.0
            move = settings.move_penalty * scale
            drop = settings.drop_penalty * scale
            model = penalised(model, problem, self.announced, move, drop)
            record["stability"] = {"mode": "penalties", "move_penalty": move,
                                   "drop_penalty": drop,
                                   "as_share_of_previous_objective":
                                       [settings.move_penalty, settings.drop_penalty]}
        elif start is not None:  # every work still possible stays: nothing else changes
            model = keep_all(model, self.announced)
            record["stability"] = {"mode": "fewest changes", "proven": True,
                                   "fewest_changes": len(self.announced_works) - len(keepable)}
        else:
            say("stability: the fewest announced works that must change")
            count, proven, start = _most_kept(problem, model, layout, self.announced, say)
            model = keep_at_least(model, self.announced, count)
            record["stability"] = {"mode": "fewest changes",
                                   "fewest_changes": len(self.announced_works) - count,
                                   "proven": proven}
        self.record = record
        return Formulation(problem, model, layout, start, {"replan": record},
                           restate=self.restate)

    def restate(self, plan: Plan) -> Plan:
        """The solved plan with its past years as reported (pipeline/reported.py); the
        contradictions between the actuals and the progress go to the record (manifest
        ``replan.warnings``)."""
        years, carry = self.history.years, plan.scenario.budget.carry_over
        self.record["warnings"] = [{"zh": zh, "en": en} for zh, en in
                                   [*contradictions(plan.years, years, self.actuals),
                                    *overspends(years, self.actuals, carry)]]
        self.record["reported_years"] = reported_notes(years, self.actuals, carry)
        return replace(plan, years=restate_past_years(plan.years, years, self.actuals, carry))


def _most_kept(problem: Problem, model: CompiledModel, layout, announced: Announced,
               say: ProgressFn) -> tuple[int, bool, np.ndarray]:
    """The most announced works a plan meeting every rule keeps (solved with the run's
    solve stage, to an absolute gap below one work), whether that is proven, and the plan."""
    counting = keep_count_objective(model, announced)
    value = counting.obj[:problem.n_options]
    solver = problem.scenario.solver
    gap = min(solver.gap, 0.5 / max(len(announced.keepable), 1))
    scenario = problem.scenario.model_copy(
        update={"solver": solver.model_copy(update={"gap": gap})})
    counting_problem = replace(problem, value=value, scenario=scenario,
                               corridor_bonus=None if problem.corridor_bonus is None
                               else np.zeros_like(problem.corridor_bonus))
    result, _, _ = solve_compiled(counting_problem, counting, layout, None, say)
    count = int(round(result.objective))
    proven = result.bound is not None and result.bound < count + 1 - 1e-6
    return count, proven, result.x


def _conflicts(model: CompiledModel, n: int, chosen: np.ndarray,
               keepable: np.ndarray) -> dict[int, list[str]]:
    """Per announced option, the labels of the rows it touches that the past plus all
    announced works break (money and water with carry-over counted year by year as the
    rows read; rows holding other columns are left out)."""
    x = np.zeros(model.n_cols)
    x[:n] = chosen
    activity = model.A @ x
    others = np.diff(model.A[:, n:].tocsr().indptr) > 0
    broken = ((activity > model.row_upper + 1e-6) | (activity < model.row_lower - 1e-6))
    try:
        budget = model.family("budget")
        rows = np.arange(budget.start, budget.stop)
        spend = np.cumsum(activity[rows])
        broken[rows] = spend > np.cumsum(model.row_upper[rows]) + 1e-6
        others[rows] = False
    except KeyError:
        pass
    broken &= ~others
    touched = model.A[:, keepable].tocsc()
    found = {}
    for k, option in enumerate(keepable):
        rows = touched.indices[touched.indptr[k]:touched.indptr[k + 1]]
        found[int(option)] = [model.row_label(r) for r in rows if broken[r]]
    found[-1] = [model.row_label(r) for r in np.flatnonzero(broken)
                 if model.row_lower[r] > -np.inf]  # ≥ rows (targets, mandatory) unmet
    return found


def _in_words(labels: list[str], scenario: Scenario, region: Region) -> Reason:
    """The first three rows of ``labels`` in the planner's words (pipeline/rule_words.py),
    each named once."""
    words = list(dict.fromkeys(rule_words(label, scenario, region) for label in labels))[:3]
    return "；".join(zh for zh, _ in words), "; ".join(en for _, en in words)


def announced_reasons(formulation: ReplanModel, scenario: Scenario,
                      region: Region) -> dict[tuple, Reason]:
    """Why each announced work was moved or dropped, in Chinese and English, the rules it
    meets named as the lists name them (``scenario``: the re-plan's, its targets due)."""
    announced = formulation.announced
    facts = formulation.facts
    kept_parcels = dict(zip(facts.loc[facts["status"].isin(KEPT_STATUSES), "parcel_id"],
                            facts.loc[facts["status"].isin(KEPT_STATUSES), "action"],
                            strict=True))
    unmet = _in_words(formulation.conflicts.get(-1, []), scenario, region)
    names = action_names(region)
    penalties = formulation.record.get("stability", {}).get("mode") == "penalties"
    reasons = {}
    for k, work in enumerate(announced.works.itertuples(index=False)):
        key = (work.parcel_id, work.action, work.start_year)
        if announced.option[k] < 0:
            reasons[key] = ("该地块已不能按原年度实施此措施", "no longer possible on this "
                                                            "parcel in that year")
        elif work.parcel_id in kept_parcels and kept_parcels[work.parcel_id] != work.action:
            other = names.get(kept_parcels[work.parcel_id], (kept_parcels[work.parcel_id],) * 2)
            reasons[key] = (f"地块已实施{other[0]}", f"the parcel was treated with {other[1]}")
        elif rows := formulation.conflicts.get(int(announced.option[k])):
            zh, en = _in_words(rows, scenario, region)
            reasons[key] = (f"原计划超出新的限额：{zh}", f"the previous plan no longer fits: {en}")
        elif penalties:  # a change the facts did not force: it paid for its penalty
            reasons[key] = ("调整后综合效益的增加超过稳定性惩罚",
                            "the benefit gained exceeds the stability penalty")
        elif unmet[0]:
            reasons[key] = (f"为满足规则腾出资金和水量：{unmet[0]}",
                            f"makes room for what the rules now need: {unmet[1]}")
        else:
            reasons[key] = ("为重新安排的工程腾出资源", "makes room for re-scheduled works")
    return reasons


def past_years_sections(record: dict) -> list[str]:
    """The report's first lines on the past years: the contradictions between the actuals
    and the progress (warnings), then what the reported years' figures are."""
    warnings = record.get("warnings", [])
    notes = record.get("reported_years", [])
    if not warnings and not notes:
        return []
    out = ["<h2>往年实际 The past years as they happened</h2>"]
    if warnings:
        out.append(paragraphs([f"注意 Warning: {w['zh']} {w['en']}" for w in warnings],
                              "banner"))
    return [*out, paragraphs([*notes, "往年按实报数（无实报数的按进度表）显示（运行表、汇总表、"
                                      "本报告）；其余年度为模型计划数。 The past years are shown "
                                      "as reported (actuals) or, without actuals, as the "
                                      "progress file records them (run table, 汇总 sheet, this "
                                      "report); the other years are the plan's."])]


def next_year_sections(plan: Plan, region: Region, changes_table: pd.DataFrame,
                       year: int) -> list[str]:
    """The report's opening: the next year's priority list, then the changes."""
    lists = priority_lists(plan, region)
    first = lists[lists["start_year"] == year]
    change = changes_table.set_index(["parcel_id", "action"])["change"]
    view = pd.DataFrame({
        "优先序 Rank": first["rank"], "地块 Parcel": first["parcel_id"],
        "区县 County": first["county_zh"], "措施 Action": first["action_label"],
        "项目 Project": first["project_label"], "面积 Area (km²)": first["area_km2"],
        "投资 Cost (万元)": first["total_cost_wan"],
        "变化 Change": [change.get((p, a), "") for p, a in
                       zip(first["parcel_id"], first["action"], strict=True)]})
    counts = changes_table["change"].value_counts()
    summary = pd.DataFrame({"变化 Change": ["kept 保持", "moved 调整年度", "dropped 取消",
                                          "added 新增"],
                            "工程数 Works": [int(counts.get(k, 0)) for k in
                                          ("kept", "moved", "dropped", "added")]})
    changed = changes_table[changes_table["change"] != "kept"]
    detail = changed.rename(columns={
        "parcel_id": "地块 Parcel", "action_zh": "措施 Action", "previous_start": "原年度 Was",
        "new_start": "新年度 Now", "change": "变化 Change", "reason_zh": "原因",
        "reason_en": "Reason"})[["地块 Parcel", "措施 Action", "原年度 Was", "新年度 Now",
                                 "变化 Change", "原因", "Reason"]]
    return [f"<h2>{year}年度优先项目清单（滚动调整后） Priority list {year} (re-planned)</h2>",
            "<p class='note'>Ranked as in priorities.xlsx; 变化 Change against the previous "
            "plan (changes.csv).</p>", html_table(view),
            "<h2>与上一版计划相比 Changes against the previous plan</h2>",
            html_table(summary),
            html_table(detail.head(200)) if len(detail) else
            f"<p class='note'>{html.escape('No announced work changed.')}</p>"]


@dataclass(frozen=True)
class ReplanOutcome:
    """A re-plan: the run, the changes against the previous plan (``changes.csv``), every
    fact reported so far (``progress.csv``) and what the re-plan records (year, history,
    stability, announced works kept, moved or dropped)."""

    run: RunOutcome
    changes: pd.DataFrame
    facts: pd.DataFrame
    record: dict


def replan(region: Region, previous_dir: Path, progress_file: Path, year: int,
           scenario: Scenario | None = None, actuals_file: Path | None = None,
           out_dir: Path | None = None, manifest_extra: dict | None = None,
           progress: ProgressFn | None = None) -> ReplanOutcome:
    """Re-plan from ``year`` on (see the module docstring); ``scenario`` defaults to the
    previous result's. Raises InputError with every problem of the progress and actuals
    files, InfeasibleScenarioError when no plan meets the rules with the past as it was."""
    previous = read_previous(previous_dir)
    scenario = scenario or previous_scenario(previous)
    _check_year(previous, scenario, year, str(previous_dir))
    prepared = prepare(region, scenario, progress=progress)
    reported, actuals = _read_reports(region, prepared, previous, scenario, progress_file,
                                      actuals_file, year)
    facts = record_facts(previous.facts, reported, year)
    actuals = merge_actuals(previous.actuals, scenario.actuals, actuals)
    prepared = replace(prepared, options=scale_partial_works(prepared.options, facts))
    plan = previous.plan
    announced = announced_ahead(plan, facts, year)
    model = ReplanModel(facts, year, actuals, announced,
                        float(previous.manifest.get("objective") or 0.0), progress,
                        done_early=int((plan["start_year"] >= year).sum()) - len(announced))
    holder: dict[str, pd.DataFrame] = {}

    def outputs(folder: Path, plan: Plan) -> None:
        table = holder["changes"] = _changes(model, previous, plan, facts, year, region)
        write_planner_outputs(folder, plan, region, prepared.corridors,
                              first=[*past_years_sections(model.record),
                                     *next_year_sections(plan, region, table, year)])
        table.to_csv(folder / "changes.csv", index=False, encoding="utf-8-sig",
                     float_format=CSV_FLOATS)
        facts.to_csv(folder / "progress.csv", index=False, encoding="utf-8",
                     float_format=CSV_FLOATS)
        pd.DataFrame([{"year": y, **a.model_dump()} for y, a in actuals.items()],
                     columns=["year", *ACTUAL_FIELDS]).to_csv(
            folder / "actuals.csv", index=False, float_format=CSV_FLOATS)

    extra = {"replan_inputs": {"previous": str(previous_dir), "progress": str(progress_file),
                               "actuals": None if actuals_file is None else str(actuals_file),
                               "previous_inputs_sha256":
                                   previous.manifest.get("inputs_sha256")},
             **(manifest_extra or {})}
    outcome = run_scenario(region, scenario, out_dir, manifest_extra=extra, progress=progress,
                           prepared=prepared, formulate=model, outputs=outputs)
    table = holder.get("changes")
    if table is None:
        table = _changes(model, previous, outcome.plan, facts, year, region)
    fate = changes(outcome.problem, model.announced, outcome.plan.result.x)
    record = {**model.record, "announced_changes": {
        kind: int((fate == kind).sum()) for kind in ("kept", "moved", "dropped")}}
    return ReplanOutcome(outcome, table, facts, record)


def inputs_changed(region: Region, previous: PreviousResult) -> bool:
    """Whether the region's input files differ from those the previous result used."""
    recorded = previous.manifest.get("inputs_sha256")
    return recorded is not None and recorded != sha256_of_inputs(region.paths.files())


def _changes(model: ReplanModel, previous: PreviousResult, plan: Plan, facts: pd.DataFrame,
             year: int, region: Region) -> pd.DataFrame:
    mode = model.record.get("stability", {}).get("mode")
    columns = [*KEY, "action_zh", "action_en"]
    return replan_changes(previous.plan.reindex(columns=columns), plan.chosen[columns], facts,
                          year, announced_reasons(model, plan.scenario, region),
                          ADDED["penalties" if mode == "penalties" else "strict"])


def _read_reports(region: Region, prepared: PreparedInputs, previous: PreviousResult,
                  scenario: Scenario, progress_file: Path, actuals_file: Path | None,
                  year: int) -> tuple[pd.DataFrame, dict[int, YearActuals]]:
    """The progress rows and actuals, every problem of both files in one InputError."""
    chains = frozenset((a.code, follower) for a in region.actions.itertuples()
                       for follower in split_list(a.compatible_with))
    context = ProgressContext(
        parcel_ids=frozenset(int(p) for p in region.parcels["parcel_id"]),
        action_codes=frozenset(region.actions["code"]), options=prepared.options,
        planned=previous.plan[KEY], recorded=previous.facts, chains=chains,
        year=year, first_year=scenario.horizon.start)
    problems: list[InputProblem] = []
    reported, actuals = pd.DataFrame(), {}
    try:
        reported = read_progress(progress_file, context)
    except InputError as err:
        problems += err.problems
    if actuals_file is not None:
        try:
            actuals = read_actuals(actuals_file, year, scenario.horizon.start)
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return reported, actuals
